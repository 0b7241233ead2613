/**
 * Batched claims on a real store (PGlite in-process and the PostgreSQL server): nodes
 * racing over the same candidates claim each job exactly once, a batch follows the queue
 * order and holds the per-tenant cap.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { openSqlClient, type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobRepository, jobStreamId, systemCommandMetadata } from '../../job-domain/src/index.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { jobSubmission } from '../../../test/support/job-commands.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { claimQueuedJobs } from './claim-queued-jobs.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

const AGING = 600;
const NOW = new Date('2024-03-01T12:00:00.000Z');

interface NodeStack {
  readonly sql: SqlClient;
  readonly events: PostgresEventStore;
  readonly jobs: PostgresJobReadStore;
  readonly repository: JobRepository;
  close(): Promise<void>;
}

async function stackOn(sql: SqlClient, tenantMaxRunningJobs: number | null, ownsClient: boolean): Promise<NodeStack> {
  const events = await createEventStoreOnClient(sql);
  const jobs = new PostgresJobReadStore(sql, AGING, tenantMaxRunningJobs);
  await jobs.migrate();
  return {
    sql, events, jobs, repository: new JobRepository(events, new PostgresJobWriter(sql, events, AGING)),
    async close() {
      await events.close();
      if (ownsClient) await sql.close();
    },
  };
}

/** Two nodes' stacks on one store: their own pools on PostgreSQL, one instance embedded. */
type OpenPair = (tenantMaxRunningJobs: number | null) => Promise<{ a: NodeStack; b: NodeStack; cleanup(): Promise<void> }>;

function describeClaims(name: string, openPair: OpenPair | null): void {
  (openPair ? describe : describe.skip)(`batched claims on ${name}`, () => {
    let pair: Awaited<ReturnType<OpenPair>> | undefined;
    beforeAll(async () => {
      pair = await openPair!(2);
    });
    afterAll(async () => {
      await pair?.cleanup();
    });

    async function submit(stack: NodeStack, scope: { tenantId: string; projectId: string }, count: number, minute: number): Promise<string[]> {
      const ids = Array.from({ length: count }, () => randomUUID());
      for (const [i, id] of ids.entries()) {
        const submittedAt = new Date(Date.UTC(2024, 2, 1, 10, minute, i)).toISOString();
        await stack.repository.execute(id, { kind: 'SubmitJob', submission: jobSubmission(id, scope, { submittedAt }) }, systemCommandMetadata('test'));
      }
      return ids;
    }

    /** Claims for `nodeId` until a round finds nothing; the jobs it got. */
    async function claimUntilEmpty(stack: NodeStack, nodeId: string, limit: number): Promise<string[]> {
      const got: string[] = [];
      for (;;) {
        const outcome = await claimQueuedJobs(stack.jobs, stack.repository, { nodeId, limit, now: NOW, metadata: () => systemCommandMetadata(nodeId) });
        got.push(...outcome.claimed.map((s) => s.jobId));
        if (outcome.claimed.length === 0 && outcome.lost.length === 0) return got;
        // Finish what was claimed, so the tenant cap frees up for the next round.
        await Promise.all(outcome.claimed.map((s) => stack.repository.execute(s.jobId, {
          kind: 'FailJob', nodeId, at: NOW.toISOString(), errorType: 'ExecutionError', message: 'ended by the test',
        }, systemCommandMetadata(nodeId), { retries: 0, known: s })));
      }
    }

    it('claims each job exactly once when two nodes race over the same candidates', async () => {
      const { a, b } = pair!;
      const scopes = [0, 1, 2].map(() => ({ tenantId: randomUUID(), projectId: randomUUID() }));
      const ids = (await Promise.all(scopes.map((scope, i) => submit(a, scope, 8, i)))).flat();
      const [byA, byB] = await Promise.all([claimUntilEmpty(a, 'node-a', 4), claimUntilEmpty(b, 'node-b', 4)]);
      const claimed = [...byA, ...byB];
      expect(new Set(claimed).size).toBe(claimed.length);
      expect([...claimed].sort()).toEqual([...ids].sort());
      for (const id of ids) {
        const starts = (await a.events.readStream(jobStreamId(id))).filter((e) => e.type === 'JobStarted');
        expect(starts).toHaveLength(1);
        expect((starts[0].data as { nodeId: string }).nodeId).toBe(byA.includes(id) ? 'node-a' : 'node-b');
      }
    });

    it('claims a batch in queue order and holds the per-tenant cap within it', async () => {
      const { a } = pair!;
      const scopes = [0, 1].map(() => ({ tenantId: randomUUID(), projectId: randomUUID() }));
      await submit(a, scopes[0], 5, 20);
      await submit(a, scopes[1], 5, 21);
      const expected = (await a.jobs.nextQueuedJobs(NOW, 10)).map((j) => j.jobId);
      expect(expected).toHaveLength(4); // the cap of 2 running jobs per tenant, from an empty start
      const outcome = await claimQueuedJobs(a.jobs, a.repository, { nodeId: 'node-a', limit: 10, now: NOW, metadata: () => systemCommandMetadata('node-a') });
      expect(outcome.claimed.map((s) => s.jobId)).toEqual(expected);
      const perTenant = new Map<string, number>();
      for (const s of outcome.claimed) perTenant.set(s.tenantId, (perTenant.get(s.tenantId) ?? 0) + 1);
      expect([...perTenant.values()]).toEqual([2, 2]);
      // The claims' views are committed with them: the queue now says both tenants are at their cap.
      expect(await a.jobs.nextQueuedJobs(NOW, 10)).toEqual([]);
      for (const s of outcome.claimed) expect(await a.jobs.getJob(s.tenantId, s.projectId, s.jobId)).toEqual(s);
    });
  });
}

describeClaims('PGlite', async (cap) => {
  const sql = await openMemoryPglite();
  const a = await stackOn(sql, cap, false);
  const b = await stackOn(sql, cap, false);
  return { a, b, async cleanup() { await a.close(); await b.close(); await sql.close(); } };
});

const server = await resolveTestPostgres('batched claim suite');
describeClaims('PostgreSQL', server && (async (cap) => {
  const schema = randomSchemaName('claim_test');
  const a = await stackOn(await openSqlClient({ kind: 'pg', connectionString: server.url, schema }), cap, true);
  const b = await stackOn(await openSqlClient({ kind: 'pg', connectionString: server.url, schema }), cap, true);
  return { a, b, async cleanup() { await a.close(); await b.close(); await dropSchema(server.url, schema); } };
}));
