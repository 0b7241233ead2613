/**
 * The tenant queue gate on real stores: concurrent submits for one tenant, from two
 * "processes" (their own pools and lock connections) on the PostgreSQL server, or from one
 * process on PGlite, queue exactly the cap, never more.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from '@jest/globals';
import { createEventStoreOnClient, type PostgresEventStore } from '../../../event-store/src/postgres/postgres-event-store.js';
import { openSqlClient, pgConnectionConfig, type SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import { JobRepository, systemCommandMetadata } from '../../../job-domain/src/index.js';
import { jobSubmission } from '../../../../test/support/job-commands.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { PostgresJobReadStore } from './postgres-job-read-store.js';
import { PostgresJobWriter } from './postgres-job-writer.js';
import { TenantQueueGate } from './tenant-queue-gate.js';
import { TenantLocks } from './tenant-locks.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

const LIMIT = 3;

interface Submitter {
  readonly gate: TenantQueueGate;
  readonly locks: TenantLocks;
  readonly repository: JobRepository;
  readonly events: PostgresEventStore;
  readonly sql: SqlClient;
}

async function submitterOn(sql: SqlClient, lockConnection: ConstructorParameters<typeof TenantLocks>[0]): Promise<Submitter> {
  const events = await createEventStoreOnClient(sql);
  await new PostgresJobReadStore(sql, 600, null).migrate();
  const locks = new TenantLocks(lockConnection);
  return { sql, events, locks, gate: new TenantQueueGate(sql, locks), repository: new JobRepository(events, new PostgresJobWriter(sql, events, 600)) };
}

async function submitConcurrently(submitters: readonly Submitter[], perSubmitter: number) {
  const scope = { tenantId: randomUUID(), projectId: randomUUID() };
  const outcomes = await Promise.all(submitters.flatMap((s) => Array.from({ length: perSubmitter }, () => {
    const jobId = randomUUID();
    return s.gate.admit(scope.tenantId, LIMIT, () => s.repository.execute(jobId, { kind: 'SubmitJob', submission: jobSubmission(jobId, scope) }, systemCommandMetadata('test')));
  })));
  const queued = await submitters[0].gate.queueLoad.queuedJobs(scope.tenantId);
  return { admitted: outcomes.filter((o) => o.admitted).length, refused: outcomes.filter((o) => !o.admitted).map((o) => (o.admitted ? null : o.current)), queued };
}

const server = await resolveTestPostgres('tenant queue gate suite');
(server ? describe : describe.skip)('tenant queue gate on PostgreSQL, two processes', () => {
  const schema = randomSchemaName('gate_test');
  const opened: Submitter[] = [];
  afterAll(async () => {
    for (const s of opened) {
      await s.locks.close();
      await s.events.close();
      await s.sql.close();
    }
    await dropSchema(server!.url, schema);
  });

  it(`queues exactly ${LIMIT} of 16 concurrent submits split over two processes`, async () => {
    for (let i = 0; i < 2; i += 1) {
      const config = { kind: 'pg' as const, connectionString: server!.url, schema };
      opened.push(await submitterOn(await openSqlClient(config), pgConnectionConfig(config)));
    }
    const result = await submitConcurrently(opened, 8);
    expect(result).toEqual({ admitted: LIMIT, refused: Array(16 - LIMIT).fill(LIMIT), queued: LIMIT });
  });
});

describe('tenant queue gate on PGlite, one process', () => {
  let submitter: Submitter | undefined;
  afterAll(async () => {
    await submitter?.events.close();
    await submitter?.sql.close();
  });

  it(`queues exactly ${LIMIT} of 10 concurrent submits`, async () => {
    submitter = await submitterOn(await openMemoryPglite(), null);
    expect(await submitConcurrently([submitter], 10)).toEqual({ admitted: LIMIT, refused: Array(10 - LIMIT).fill(LIMIT), queued: LIMIT });
  });
});
