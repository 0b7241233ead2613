/**
 * One long transaction elsewhere on the PostgreSQL server (an idle session, a pg_dump of
 * another database) must not stall the service: its projections keep flowing, commands
 * answer at once and jobs run (ADR 0002).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const server = await resolveTestPostgres('long-transaction end-to-end suite');
const started: ServiceProcess[] = [];

afterAll(async () => {
  for (const s of started) await s.stop('SIGKILL');
  for (const s of started) removeDataDir(s.dataDir);
});

(server ? describe : describe.skip)('a transaction held open in another database of the server', () => {
  it('does not stall commands, views or jobs of this service', async () => {
    const schema = randomSchemaName('e2e_longtx');
    const other = new URL(server!.url);
    other.pathname = other.pathname === '/postgres' ? '/template1' : '/postgres';
    const holder = new pg.Client({ connectionString: other.toString() });
    await holder.connect();
    try {
      const service = await startServiceProcess({ DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, EMBEDDED_WORKER_CAPACITY: '2' });
      started.push(service);
      const tenant = randomUUID();
      const project = randomUUID();
      const base = `/api/${tenant}/${project}`;
      const token = await service.token(tenant, [project]);
      const datasetId = await uploadDataset(service, token, base);

      // Open and give it an xid, so it holds the cluster's snapshot xmin back from now on.
      await holder.query('BEGIN');
      await holder.query('CREATE TEMP TABLE held_open (id int)');
      const { rows } = await holder.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
      const heldXid = BigInt(rows[0].xid);

      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        const submittedAt = Date.now();
        const res = await api(service.url, token, 'POST', `${base}/execution/job`, {
          jobName: `beside a long transaction ${i}`, jobType: 'Analysis', priority: 'Normal',
          parameters: { datasetId, analysisType: 'variants' },
        });
        // Read-your-writes waits for the projection: a stalled one answers 503 after 5 s.
        expect(res.status).toBe(201);
        expect(Date.now() - submittedAt).toBeLessThan(4000);
        ids.push(res.body.jobId);
      }
      for (const id of ids) {
        const done = await waitFor(async () => {
          const res = await api(service.url, token, 'GET', `${base}/execution/job/${id}`);
          return res.body.status === 'Completed' ? res.body : null;
        }, 40_000, 100);
        expect(done.status).toBe('Completed');
      }
      // The other transaction was open (and older than every job) the whole time.
      const { rows: still } = await holder.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
      expect(BigInt(still[0].xid)).toBe(heldXid);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
      await dropSchema(server!.url, schema).catch(() => undefined);
    }
  }, 60_000);
});
