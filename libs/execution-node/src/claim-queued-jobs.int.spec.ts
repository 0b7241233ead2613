/**
 * Batched claims on a real store (PGlite in-process and the PostgreSQL server): nodes
 * racing over the same candidates claim each job exactly once, a batch follows the queue
 * order and holds the per-tenant cap; with the running gate, nodes of two processes claiming
 * at once never take a tenant past its own cap, as the jobs' histories show.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { openSqlClient, pgConnectionConfig, type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobRepository, jobStreamId, systemCommandMetadata, type JobPriority } from '../../job-domain/src/index.js';
import { TenantLocks } from '../../read-store/src/postgres/tenant-locks.js';
import { TenantRunningGate } from '../../read-store/src/postgres/tenant-running-gate.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import { jobSubmission } from '../../../test/support/job-commands.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { claimQueuedJobs } from './claim-queued-jobs.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

const AGING = 600;
const NOW = new Date('2024-03-01T12:00:00.000Z');

interface NodeStack {
  readonly sql: SqlClient;
  readonly events: PostgresEventStore;
  readonly jobs: PostgresJobReadStore;
  readonly repository: JobRepository;
  /** With tenants' own running caps: the process's running gate. */
  readonly gate: TenantRunningGate | null;
  close(): Promise<void>;
}

/** `capped`: the tenants' own running caps and the process's locks (what openStores gives a process). */
async function stackOn(
  sql: SqlClient, tenantMaxRunningJobs: number | null, ownsClient: boolean,
  capped?: { readonly byTenant: Record<string, number | null>; readonly locks: TenantLocks },
): Promise<NodeStack> {
  const events = await createEventStoreOnClient(sql);
  const jobs = new PostgresJobReadStore(sql, AGING, tenantMaxRunningJobs, capped?.byTenant);
  await jobs.migrate();
  const gate = capped ? new TenantRunningGate(sql, capped.locks, { tenantMaxRunningJobs, runningCapsByTenant: capped.byTenant }) : null;
  return {
    sql, events, jobs, gate, repository: new JobRepository(events, new PostgresJobWriter(sql, events, AGING)),
    async close() {
      await capped?.locks.close();
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

/** Two processes' stacks with tenants' own running caps: their own pools and lock connections on PostgreSQL, one process embedded. */
type OpenCappedPair = (byTenant: Record<string, number | null>) => Promise<{ a: NodeStack; b: NodeStack; cleanup(): Promise<void> }>;

/** The most jobs of `jobIds` Running at once by their histories: [JobStarted, end) by recorded time, ends first on a tie. */
async function mostRunningAtOnce(stack: NodeStack, jobIds: readonly string[]): Promise<number> {
  const ENDS = new Set(['JobCompleted', 'JobFailed', 'JobCancelled', 'JobRequeued']);
  const edges: Array<[number, number]> = [];
  for (const id of jobIds) {
    for (const e of await stack.events.readStream(jobStreamId(id))) {
      if (e.type === 'JobStarted') edges.push([Date.parse(e.recordedAt), +1]);
      else if (ENDS.has(e.type)) edges.push([Date.parse(e.recordedAt), -1]);
    }
  }
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let running = 0;
  let most = 0;
  for (const [, delta] of edges) most = Math.max(most, (running += delta));
  return most;
}

function describeRunningCaps(name: string, openPair: OpenCappedPair | null): void {
  (openPair ? describe : describe.skip)(`tenants' own running caps on ${name}`, () => {
    const acme = { tenantId: `acme-${randomUUID()}`, projectId: randomUUID() };
    const other = { tenantId: `other-${randomUUID()}`, projectId: randomUUID() };
    const racer = { tenantId: `racer-${randomUUID()}`, projectId: randomUUID() };
    let pair: Awaited<ReturnType<OpenCappedPair>> | undefined;
    beforeAll(async () => {
      pair = await openPair!({ [acme.tenantId]: 2, [racer.tenantId]: 2 });
    });
    afterAll(async () => {
      await pair?.cleanup();
    });

    async function submit(stack: NodeStack, scope: { tenantId: string; projectId: string }, count: number, priority: JobPriority = 'Normal'): Promise<string[]> {
      const ids = Array.from({ length: count }, () => randomUUID());
      await Promise.all(ids.map((id, i) => stack.repository.execute(id, {
        kind: 'SubmitJob', submission: jobSubmission(id, scope, { priority, submittedAt: new Date(Date.UTC(2024, 2, 1, 10, 0, i)).toISOString() }),
      }, systemCommandMetadata('test'))));
      return ids;
    }

    it('holds the cap for a claim read before another node started the tenant\'s newer, more urgent jobs', async () => {
      const { a, b } = pair!;
      const normal = await submit(a, racer, 2);
      let urgent: string[] = [];
      // Node a reads its candidates (the two Normal jobs); before it appends, two Critical jobs
      // arrive and node b starts them: the tenant is at its cap, and a's read says otherwise.
      const staleRead = {
        async nextQueuedJobDocuments(now: Date, limit: number) {
          const stale = await a.jobs.nextQueuedJobDocuments(now, limit);
          urgent = await submit(b, racer, 2, 'Critical');
          const first = await claimQueuedJobs(b.jobs, b.repository, { nodeId: 'b', limit: 2, now: new Date(), metadata: () => systemCommandMetadata('b') }, b.gate);
          expect(first.claimed.map((s) => s.jobId).sort()).toEqual([...urgent].sort());
          return stale;
        },
      };
      const second = await claimQueuedJobs(staleRead, a.repository, { nodeId: 'a', limit: 2, now: new Date(), metadata: () => systemCommandMetadata('a') }, a.gate);
      expect(second.claimed).toEqual([]);
      expect([...second.lost].sort()).toEqual([...normal].sort());
      const statuses = await Promise.all([...urgent, ...normal].map(async (id) => (await a.repository.load(id))!.status));
      expect(statuses).toEqual(['Running', 'Running', 'Queued', 'Queued']);
    });

    it('never has more of a capped tenant\'s jobs Running than its cap while four claimers of two processes race, nor holds the other tenant back', async () => {
      const { a, b } = pair!;
      const acmeIds = await submit(a, acme, 16);
      const otherIds = await submit(b, other, 8);
      const total = acmeIds.length + otherIds.length + 4;
      let ended = 0;
      const claimer = async (stack: NodeStack, nodeId: string) => {
        while (ended < total) {
          const outcome = await claimQueuedJobs(stack.jobs, stack.repository, {
            nodeId, limit: 3, now: new Date(), metadata: () => systemCommandMetadata(nodeId),
          }, stack.gate);
          expect(outcome.uncertain).toEqual([]);
          if (outcome.claimed.length === 0) {
            await new Promise((resolve) => setTimeout(resolve, 2)); // others hold the tenant's places: look again
            continue;
          }
          await Promise.all(outcome.claimed.map(async (state) => {
            await new Promise((resolve) => setImmediate(resolve));
            await stack.repository.execute(state.jobId, {
              kind: 'FailJob', nodeId, at: new Date().toISOString(), errorType: 'ExecutionError', message: 'ended by the test',
            }, systemCommandMetadata(nodeId), { retries: 0, known: state });
            ended += 1;
          }));
        }
      };
      // Critical jobs arriving mid-run jump the queue: a claim read before them races with one read after.
      const late = async () => {
        await waitFor(() => ended >= 6, 30_000, 5, 'six jobs to end');
        acmeIds.push(...await submit(b, acme, 4, 'Critical'));
      };
      await Promise.all([claimer(a, 'a-1'), claimer(a, 'a-2'), claimer(b, 'b-1'), claimer(b, 'b-2'), late()]);
      expect(acmeIds).toHaveLength(20);
      const statuses = await Promise.all([...acmeIds, ...otherIds].map(async (id) => (await a.repository.load(id))!.status));
      expect(new Set(statuses)).toEqual(new Set(['Failed']));
      expect(await mostRunningAtOnce(a, acmeIds)).toBeLessThanOrEqual(2);
      // The other tenant has no cap and was not held up behind the capped one: all of its jobs started before acme's last.
      const lastStart = async (ids: readonly string[]) => Math.max(...(await Promise.all(ids.map(async (id) =>
        Date.parse((await a.events.readStream(jobStreamId(id))).find((e) => e.type === 'JobStarted')!.recordedAt)))));
      expect(await lastStart(otherIds)).toBeLessThan(await lastStart(acmeIds));
    });
  });
}

describeRunningCaps('PGlite', async (byTenant) => {
  const sql = await openMemoryPglite();
  const locks = new TenantLocks(null); // one process: both stacks share its locks, as openStores shares them
  const a = await stackOn(sql, null, false, { byTenant, locks });
  const b = await stackOn(sql, null, false, { byTenant, locks });
  return { a, b, async cleanup() { await a.close(); await b.close(); await sql.close(); } };
});

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
describeRunningCaps('PostgreSQL', server && (async (byTenant) => {
  const schema = randomSchemaName('running_cap_test');
  const config = { kind: 'pg' as const, connectionString: server.url, schema };
  const a = await stackOn(await openSqlClient(config), null, true, { byTenant, locks: new TenantLocks(pgConnectionConfig(config)) });
  const b = await stackOn(await openSqlClient(config), null, true, { byTenant, locks: new TenantLocks(pgConnectionConfig(config)) });
  return { a, b, async cleanup() { await a.close(); await b.close(); await dropSchema(server.url, schema); } };
}));
