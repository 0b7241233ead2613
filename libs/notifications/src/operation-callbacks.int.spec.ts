/**
 * An async operation's callbacks through the notification saga and outbox on PGlite: progress
 * reports are throttled to one row per window of the attempt's run, the end adds the final
 * progress and onCompletion, and a replay of every event queues nothing new.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { START_POSITION } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { JobRepository, operationIdOf } from '../../job-domain/src/index.js';
import { jobOutcome, jobProgress, jobSubmission } from '../../../test/support/job-commands.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';
import { JobNotificationSaga } from './job-notification-saga.js';
import { NotificationOutbox } from './notification-outbox.js';

const meta = () => ({ actor: 'test', correlationId: randomUUID(), causationId: randomUUID() });
const quiet = { log: () => undefined, warn: () => undefined };
const T0 = Date.parse('2024-03-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();

describe('async operation callbacks through the outbox (PGlite)', () => {
  let sql: SqlClient;
  let events: PostgresEventStore;
  let outbox: NotificationOutbox;
  let repository: JobRepository;

  beforeAll(async () => {
    sql = await openMemoryPglite();
    events = await createEventStoreOnClient(sql, { pollIntervalMs: 20 });
    outbox = new NotificationOutbox(sql);
    await outbox.migrate();
    repository = new JobRepository(events);
  });

  afterAll(async () => {
    await events?.close();
    await sql?.close();
  });

  const rowsOf = (jobId: string) => sql.query<{ kind: string; channel: string; sequence: number; body: string }>(
    `SELECT kind, channel, sequence, body FROM job_notifications WHERE job_id = $1 ORDER BY kind, sequence`, [jobId],
  );

  it('queues the first progress report of each 10 s window, then the final progress and onCompletion, once however often replayed', async () => {
    const jobId = randomUUID();
    const scope = { tenantId: randomUUID(), projectId: randomUUID() };
    await repository.execute(jobId, {
      kind: 'SubmitJob',
      submission: jobSubmission(jobId, scope, {
        notifications: {
          onCompletion: false, onFailure: false, emailRecipients: [],
          callbacks: { onProgress: 'https://r.example/progress', onCompletion: 'https://r.example/done', onError: null, secretRef: null },
        },
        operation: { operationId: operationIdOf(jobId), operationType: 'StatisticalAnalysis' },
      }),
    }, meta());
    await repository.execute(jobId, { kind: 'StartJob', nodeId: 'n1', at: at(0) }, meta());
    // Windows of 10 s from the start: 1, 1, 2, 2, 3.
    for (const [percentage, second] of [[10, 1], [20, 4], [50, 12], [60, 15], [90, 25]]) {
      await repository.execute(jobId, { kind: 'ReportProgress', nodeId: 'n1', progress: jobProgress(percentage, at(second)) }, meta());
    }
    const completed = await repository.execute(jobId, { kind: 'CompleteJob', nodeId: 'n1', at: at(27), outcome: jobOutcome() }, meta());

    const run = async () => {
      const saga = new JobNotificationSaga(events, outbox, { logger: quiet, progressCallbackSeconds: 10 });
      await saga.start();
      try {
        expect(await saga.waitFor(completed.position!, 20_000)).toBe(true);
      } finally {
        await saga.stop();
      }
    };
    await run();
    const rows = await rowsOf(jobId);
    // Windows are numbered per claim: the JobStarted at revision 1 makes them 1_000_001, ….
    expect(rows.map((r) => [r.kind, r.channel, Number(r.sequence)])).toEqual([
      ['completed', 'callback', 0], ['progress', 'callback', 0], ['progress', 'callback', 1_000_001], ['progress', 'callback', 1_000_002],
      ['progress', 'callback', 1_000_003],
    ]);
    const percentages = rows.filter((r) => r.kind === 'progress').map((r) => JSON.parse(r.body).data.progress.percentage);
    expect(percentages).toEqual([100, 10, 50, 90]);

    await outbox.resetCheckpoint(START_POSITION);
    await run();
    expect(await rowsOf(jobId)).toEqual(rows);
  });

  it('numbers the windows apart for each run of a requeued job: its second run reports from its own first window', async () => {
    const jobId = randomUUID();
    await repository.execute(jobId, {
      kind: 'SubmitJob',
      submission: jobSubmission(jobId, { tenantId: randomUUID(), projectId: randomUUID() }, {
        notifications: {
          onCompletion: false, onFailure: false, emailRecipients: [],
          callbacks: { onProgress: 'https://r.example/progress', onCompletion: null, onError: null, secretRef: null },
        },
        operation: { operationId: operationIdOf(jobId), operationType: 'StatisticalAnalysis' },
      }),
    }, meta());
    await repository.execute(jobId, { kind: 'StartJob', nodeId: 'n1', at: at(0) }, meta());
    await repository.execute(jobId, { kind: 'ReportProgress', nodeId: 'n1', progress: jobProgress(30, at(1)) }, meta());
    await repository.execute(jobId, { kind: 'RequeueJob', nodeId: 'n1', at: at(2), reason: 'node stopping', nodeLost: false, maxLostAttempts: 3 }, meta());
    await repository.execute(jobId, { kind: 'StartJob', nodeId: 'n2', at: at(40) }, meta());
    const last = await repository.execute(jobId, { kind: 'ReportProgress', nodeId: 'n2', progress: jobProgress(20, at(41)) }, meta());
    const saga = new JobNotificationSaga(events, outbox, { logger: quiet, progressCallbackSeconds: 10 });
    await saga.start();
    try {
      expect(await saga.waitFor(last.position!, 20_000)).toBe(true);
    } finally {
      await saga.stop();
    }
    const rows = await rowsOf(jobId);
    expect(rows.map((r) => JSON.parse(r.body).data.progress.percentage)).toEqual([30, 20]);
  });
});
