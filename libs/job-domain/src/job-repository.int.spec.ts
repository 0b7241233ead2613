/** The job repository on a real (in-process) store: the same command appended twice at one revision is stored once. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createPgliteEventStore, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { JobRepository } from './job-repository.js';
import type { JobSubmittedData } from './job.events.js';
import { jobStreamId } from './job.types.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

let sql: SqlClient;
let store: PostgresEventStore;
let repository: JobRepository;

beforeAll(async () => {
  sql = await openMemoryPglite();
  store = await createPgliteEventStore({ dataDir: undefined, client: sql });
  repository = new JobRepository(store);
});
afterAll(async () => {
  await store.close();
  await sql.close();
});

function submission(jobId: string): JobSubmittedData {
  return {
    jobId, tenantId: randomUUID(), projectId: randomUUID(), jobName: 'idempotent', jobDescription: null, jobType: 'Analysis',
    priority: 'Normal', resource: null, parameters: {}, scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 5 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] }, submittedBy: 't',
    submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
  };
}

describe('job repository', () => {
  it('re-appending a decision after an unknown outcome is a no-op, while another command conflicts', async () => {
    const jobId = randomUUID();
    const meta = { actor: 'test', correlationId: randomUUID(), causationId: randomUUID() };
    const submitted = await repository.execute(jobId, { kind: 'SubmitJob', submission: submission(jobId) }, meta);
    const claim = { kind: 'StartJob', nodeId: 'n1', at: new Date().toISOString() } as const;
    const claimMeta = { ...meta, causationId: randomUUID() };
    const first = await repository.execute(jobId, claim, claimMeta, { retries: 0, known: submitted.state });
    // The same command, decided on the same state again (as a caller retrying a timed-out append would).
    const again = await repository.execute(jobId, claim, claimMeta, { retries: 0, known: submitted.state });
    expect(again.position).toEqual(first.position);
    expect((await store.readStream(jobStreamId(jobId))).map((e) => e.type)).toEqual(['JobSubmitted', 'JobStarted']);
    // Another node's claim on the same state is a different command: it conflicts.
    await expect(repository.execute(jobId, { ...claim, nodeId: 'n2' }, { ...meta, causationId: randomUUID() }, { retries: 0, known: submitted.state }))
      .rejects.toThrow(/expected revision/);
  });
});
