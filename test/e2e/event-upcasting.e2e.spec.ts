/**
 * Schema evolution end to end: a job whose stream an older release left behind (its
 * JobRequeued at schema version 1, without `nodeLost`, written into the events table
 * directly) is read through the API, the job projection and the export in the current shape.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openEventStream } from '../support/event-feed-client.js';
import { createEventStoreOnClient } from '../../libs/event-store/src/postgres/postgres-event-store.js';
import { openSqlClient, type SqlClient } from '../../libs/event-store/src/postgres/sql-client.js';
import { JOB_EVENT_SCHEMA_VERSIONS } from '../../libs/job-domain/src/index.js';
import { jobSubmission } from '../support/job-commands.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.js';

const server = await resolveTestPostgres('event upcasting end-to-end suite');
const schema = randomSchemaName('e2e_upcast');
const tenantId = randomUUID();
const projectId = randomUUID();
const jobId = randomUUID();
const base = `/api/${tenantId}/${projectId}`;
let sql: SqlClient;
let service: ServiceProcess | undefined;
let token: string;

/** The rows an older release wrote: submitted, claimed by node-a, requeued when node-a went silent (version 1). */
async function storeOldStream(): Promise<void> {
  const metadata = (actor: string, occurredAt: string) => JSON.stringify({
    tenantId, projectId, actor, correlationId: randomUUID(), causationId: randomUUID(), occurredAt,
  });
  const rows: [string, number, unknown, string, string][] = [
    ['JobSubmitted', 1, jobSubmission(jobId, { tenantId, projectId }, { submittedAt: '2024-03-01T10:00:00.000Z' }), 'tester', '2024-03-01T10:00:00.000Z'],
    ['JobStarted', 1, { nodeId: 'node-a', startedAt: '2024-03-01T10:00:01.000Z' }, 'node-a', '2024-03-01T10:00:01.000Z'],
    ['JobRequeued', 1, { requeuedAt: '2024-03-01T10:01:00.000Z', previousNodeId: 'node-a', reason: 'lease expired' }, 'supervisor', '2024-03-01T10:01:00.000Z'],
  ];
  await sql.query('INSERT INTO streams (stream_id, revision) VALUES ($1, $2)', [`job-${jobId}`, rows.length - 1]);
  for (const [revision, [type, version, data, actor, at]] of rows.entries()) {
    await sql.query(
      `INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata, recorded_at)
       VALUES ($1, $2, $3::uuid, $4, $5, $6::jsonb, $7::jsonb, $8::timestamptz)`,
      [`job-${jobId}`, revision, randomUUID(), type, version, JSON.stringify(data), metadata(actor, at), at],
    );
  }
}

beforeAll(async () => {
  if (!server) return;
  sql = await openSqlClient({ kind: 'pg', connectionString: server.url, schema });
  await (await createEventStoreOnClient(sql)).close(); // the tables, as the service makes them
  await storeOldStream();
  // No worker: the requeued job must stay as the old stream left it.
  service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '0', DATABASE_URL: server.url, DATABASE_SCHEMA: schema });
  token = await service.token(tenantId, [projectId], 'auditor');
}, 60_000);

afterAll(async () => {
  await service?.stop();
  if (service) removeDataDir(service.dataDir);
  await sql?.close();
  if (server) await dropSchema(server.url, schema).catch(() => undefined);
});

(server ? describe : describe.skip)('events stored in an older schema version', () => {
  it('are read in the current shape by the history, the projection, time travel and the export; the rows stay as stored', async () => {
    expect(JOB_EVENT_SCHEMA_VERSIONS.JobRequeued).toBe(2);
    // The projection folds the old stream from position 0 when the service starts.
    const status = await waitFor(async () => {
      const res = await api(service!.url, token, 'GET', `${base}/execution/job/${jobId}`);
      return res.status === 200 ? res.body : null;
    }, 30_000, 100, 'the projection to fold the old stream');
    expect(status).toMatchObject({ status: 'Queued' });
    const [view] = await sql.query<{ doc: { lostAttempts: number; requeueCount: number } }>('SELECT doc FROM job_views WHERE job_id = $1', [jobId]);
    expect(view.doc).toMatchObject({ requeueCount: 1, lostAttempts: 1 });

    const history = await api(service!.url, token, 'GET', `${base}/execution/job/${jobId}/history?asOf=2024-03-01T10:01:00Z`);
    expect(history.status).toBe(200);
    expect(history.body.events[2]).toMatchObject({ type: 'JobRequeued', schemaVersion: 2, data: { nodeLost: true, reason: 'lease expired' } });
    expect(history.body.jobAsOfRevision).toMatchObject({ status: 'Queued' });

    const ocel = JSON.parse(await (await fetch(`${service!.url}${base}/execution/events/export?format=ocel`, { headers: { Authorization: `Bearer ${token}` } })).text());
    const requeued = ocel.events.find((e: { type: string }) => e.type === 'Requeued');
    expect(requeued.attributes).toEqual(expect.arrayContaining([{ name: 'nodeLost', value: 'true' }]));
    expect(requeued.relationships).toEqual(expect.arrayContaining([{ objectId: 'node:node-a', qualifier: 'lost by' }]));

    // The event feed too: an NDJSON page and an SSE catch-up of the job.
    const page = await fetch(`${service!.url}${base}/execution/events?jobId=${jobId}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' } });
    const lines = (await page.text()).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.find((e) => e.type === 'JobRequeued')).toMatchObject({ schemaVersion: 2, data: { nodeLost: true, reason: 'lease expired' } });
    const stream = await openEventStream(`${service!.url}${base}/execution/job/${jobId}/events`, token);
    await waitFor(async () => stream.events.length >= lines.length, 10_000, 20, 'the job feed to catch up');
    stream.close();
    expect(stream.events.map((e) => JSON.parse(e.data)).find((e) => e.type === 'JobRequeued')).toMatchObject({ schemaVersion: 2, data: { nodeLost: true } });

    const [row] = await sql.query<{ schema_version: number; data: Record<string, unknown> }>(
      `SELECT schema_version, data FROM events WHERE stream_id = $1 AND event_type = 'JobRequeued'`, [`job-${jobId}`],
    );
    expect(row.schema_version).toBe(1);
    expect(row.data).not.toHaveProperty('nodeLost');
  });
});
