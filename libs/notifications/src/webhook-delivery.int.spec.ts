/**
 * Webhooks from the notification outbox on real parts: the PostgreSQL server (a throwaway
 * schema), the event store on it, jobs driven through the JobRepository, and a real HTTP
 * receiver on 127.0.0.1 that fails when told to. Signatures are checked with the
 * standardwebhooks library, as a receiver would.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { START_POSITION, type GlobalPosition } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../test/support/postgres.js';
import { jobOutcome, jobSubmission } from '../../../test/support/job-commands.js';
import { quietPeriod, waitFor } from '../../../test/support/wait-for.js';
import { startWebhookReceiver, type WebhookAnswer, type WebhookReceiver, type ReceivedWebhook } from '../../../test/support/webhook-receiver.js';
import { JobRepository, type JobNotifications } from '../../job-domain/src/index.js';
import { JobNotificationSaga, type NotificationLogger } from './job-notification-saga.js';
import { NotificationOutbox, type NotificationDelivery } from './notification-outbox.js';
import { NotificationSender } from './notification-sender.js';
import { WebhookAddressPolicy } from './webhook-address-policy.js';
import { WebhookPoster } from './webhook-poster.js';
import { PostgresWebhookSecrets } from './webhook-secrets.js';

const meta = { actor: 'test', correlationId: randomUUID(), causationId: randomUUID() };
const quiet: NotificationLogger = { log: () => undefined, warn: () => undefined };
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

interface World {
  readonly sql: SqlClient;
  readonly events: PostgresEventStore;
  readonly repository: JobRepository;
  readonly outbox: NotificationOutbox;
  readonly secrets: PostgresWebhookSecrets;
  readonly scope: { tenantId: string; projectId: string };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

const server = await resolveTestPostgres('webhook delivery suite');

async function openWorld(): Promise<World> {
  const { sql, cleanup } = await openThrowawaySchema(server!.url, 'webhook_test');
  const events = await createEventStoreOnClient(sql, { pollIntervalMs: 20 });
  cleanups.push(async () => {
    await events.close();
    await cleanup();
  });
  const outbox = new NotificationOutbox(sql);
  await outbox.migrate();
  return {
    sql, events, repository: new JobRepository(events), outbox, secrets: new PostgresWebhookSecrets(sql),
    scope: { tenantId: randomUUID(), projectId: randomUUID() },
  };
}

async function receiver(answer?: (request: ReceivedWebhook, nth: number) => WebhookAnswer): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(answer);
  cleanups.push(() => r.close());
  return r;
}

/** Submits a job with these notifications and ends it; returns the position of its end. */
async function endJob(world: World, end: 'complete' | 'fail' | 'cancel', notifications: JobNotifications): Promise<{ jobId: string; position: GlobalPosition }> {
  const jobId = randomUUID();
  await world.repository.execute(jobId, { kind: 'SubmitJob', submission: jobSubmission(jobId, world.scope, { notifications, jobName: 'Nightly run' }) }, meta);
  if (end === 'cancel') {
    const cancelled = await world.repository.execute(jobId, {
      kind: 'CancelJob', at: '2024-03-01T10:00:05.000Z',
      request: { reason: 'superseded', forceTermination: false, preservePartialResults: false, requestedBy: 'tester' },
    }, meta);
    return { jobId, position: cancelled.position! };
  }
  await world.repository.execute(jobId, { kind: 'StartJob', nodeId: 'node-1', at: '2024-03-01T10:01:00.000Z' }, meta);
  const ended = end === 'complete'
    ? await world.repository.execute(jobId, { kind: 'CompleteJob', nodeId: 'node-1', at: '2024-03-01T10:03:30.000Z', outcome: jobOutcome(420) }, meta)
    : await world.repository.execute(jobId, {
      kind: 'FailJob', nodeId: 'node-1', at: '2024-03-01T10:03:30.000Z', errorType: 'ExecutionError', message: 'no case id column',
    }, meta);
  return { jobId, position: ended.position! };
}

const withWebhooks = (...webhooks: { url: string; secretRef: string | null }[]): JobNotifications =>
  ({ onCompletion: false, onFailure: false, emailRecipients: [], webhooks });

async function runSagaUntil(world: World, position: GlobalPosition): Promise<void> {
  const saga = new JobNotificationSaga(world.events, world.outbox, { logger: quiet });
  await saga.start();
  try {
    expect(await saga.waitFor(position, 10_000)).toBe(true);
  } finally {
    await saga.stop();
  }
}

function startSender(world: World, options: { allowedHosts?: string | null; timeoutMs?: number; maxAttempts?: number; retryBaseMs?: number } = {}): NotificationSender {
  const policy = new WebhookAddressPolicy(options.allowedHosts === undefined ? '127.0.0.1' : options.allowedHosts);
  const sender = new NotificationSender(world.outbox, null, {
    from: 'unused', intervalMs: 20, retryBaseMs: options.retryBaseMs ?? 100, retryMaxMs: 10_000, maxAttempts: options.maxAttempts ?? 5, logger: quiet,
    webhooks: { poster: new WebhookPoster(policy, options.timeoutMs ?? 2000), secrets: world.secrets },
  });
  sender.start();
  cleanups.push(() => sender.stop());
  return sender;
}

async function deliveriesOf(world: World, jobId: string): Promise<NotificationDelivery[]> {
  return world.outbox.listForJob(world.scope.tenantId, world.scope.projectId, jobId);
}

async function settled(world: World, jobId: string, count = 1): Promise<NotificationDelivery[]> {
  return waitFor(async () => {
    const rows = await deliveriesOf(world, jobId);
    return rows.length === count && rows.every((r) => r.status !== 'pending') ? rows : null;
  }, 15_000, 25, `${count} settled deliveries of job ${jobId}`);
}

(server ? describe : describe.skip)('webhook delivery on PostgreSQL', () => {
  it('retries a failing receiver with growing back-off, same id and a fresh valid signature each time, until it answers 2xx', async () => {
    const world = await openWorld();
    // A redirect (not followed), a 503, then success.
    const hooks = await receiver((_req, nth) => nth === 1 ? { status: 302, headers: { location: '/elsewhere' } } : nth === 2 ? { status: 503, body: 'busy, try later' } : { status: 204 });
    const secret = newSecret();
    const secretRef = await world.secrets.save(world.scope.tenantId, secret);
    const job = await endJob(world, 'complete', withWebhooks({ url: `${hooks.url}/jobs`, secretRef }));
    await runSagaUntil(world, job.position);
    startSender(world, { retryBaseMs: 150 });

    const [row] = await settled(world, job.jobId);
    const posts = hooks.to('/jobs');
    expect(posts).toHaveLength(3);
    expect(hooks.to('/elsewhere')).toHaveLength(0);
    expect(new Set(posts.map((p) => p.headers['webhook-id']))).toEqual(new Set([row.notificationId]));
    for (const post of posts) {
      // Each attempt verifies on its own (the timestamp is the attempt's, within the library's 5-minute window).
      expect(() => new Webhook(secret).verify(post.body, post.headers as Record<string, string>)).not.toThrow();
      expect(post.headers['content-type']).toBe('application/json');
    }
    expect(posts.map((p) => p.body)).toEqual([posts[0].body, posts[0].body, posts[0].body]);
    const gaps = posts.slice(1).map((p, i) => p.receivedAt - posts[i].receivedAt);
    expect(gaps[0]).toBeGreaterThanOrEqual(140); // 150 ms (+ up to 25 % jitter)
    expect(gaps[1]).toBeGreaterThanOrEqual(290); // 300 ms
    expect(posts[0].json).toMatchObject({
      type: 'job.completed', timestamp: '2024-03-01T10:03:30.000Z',
      data: {
        tenantId: world.scope.tenantId, projectId: world.scope.projectId, jobId: job.jobId, jobName: 'Nightly run', jobType: 'Analysis',
        status: 'Completed', durationSeconds: 150, recordsProcessed: 420, error: null, cancellation: null,
        resultsUrl: `/api/${world.scope.tenantId}/${world.scope.projectId}/execution/job/${job.jobId}/results`,
      },
    });
    expect(row).toMatchObject({ channel: 'webhook', target: `${hooks.url}/jobs`, signed: true, status: 'sent', attempts: 3, lastResponseStatus: 204, lastError: null });
    expect(row.attemptLog.map((a) => a.responseStatus)).toEqual([302, 503, 204]);
    expect(row.attemptLog[0].error).toMatch(/redirects are not followed/);
    expect(row.attemptLog[1].error).toBe('HTTP 503: busy, try later');
    for (const a of row.attemptLog) expect(a.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(row.lastAttemptAt!)).toBe(Date.parse(row.attemptLog[2].at));
  });

  it('410 Gone stops at once; a receiver that never answers times out and is given up after the last attempt', async () => {
    const world = await openWorld();
    const hooks = await receiver((req) => req.path === '/gone' ? { status: 410, body: 'unsubscribed' } : 'hang');
    const job = await endJob(world, 'fail', withWebhooks({ url: `${hooks.url}/gone`, secretRef: null }, { url: `${hooks.url}/slow`, secretRef: null }));
    await runSagaUntil(world, job.position);
    startSender(world, { timeoutMs: 300, maxAttempts: 2, retryBaseMs: 50 });

    const rows = await settled(world, job.jobId, 2);
    const gone = rows.find((r) => r.target.endsWith('/gone'))!;
    const slow = rows.find((r) => r.target.endsWith('/slow'))!;
    expect(gone).toMatchObject({ status: 'failed', attempts: 1, lastResponseStatus: 410, signed: false, nextAttemptAt: null });
    expect(gone.lastError).toContain('410 Gone');
    expect(slow).toMatchObject({ status: 'failed', attempts: 2, lastResponseStatus: null });
    expect(slow.lastError).toBe('no answer within 300 ms');
    expect(slow.attemptLog.every((a) => a.durationMs >= 290)).toBe(true);
    const failure = hooks.to('/gone')[0].json;
    expect(failure).toMatchObject({ type: 'job.failed', data: { status: 'Failed', error: { type: 'ExecutionError', message: 'no case id column' } } });
    expect(hooks.to('/gone')[0].headers['webhook-signature']).toBeUndefined();
    // The subject: nothing more is sent to either after they were given up (many sender intervals).
    await quietPeriod(300);
    expect(hooks.to('/gone')).toHaveLength(1);
    expect(hooks.to('/slow')).toHaveLength(2);
  });

  it('queues one message per URL and event, also when the events are delivered again; e-mail rows stay apart', async () => {
    const world = await openWorld();
    const hooks = await receiver();
    const notifications: JobNotifications = {
      onCompletion: false, onFailure: false, onCancellation: true, emailRecipients: ['ops@example.com'],
      webhooks: [{ url: `${hooks.url}/a`, secretRef: null }, { url: `${hooks.url}/b`, secretRef: null }],
    };
    const cancelled = await endJob(world, 'cancel', notifications);
    await runSagaUntil(world, cancelled.position);
    startSender(world);
    await waitFor(async () => (await deliveriesOf(world, cancelled.jobId)).filter((r) => r.status === 'sent').length === 2, 10_000, 25, 'both webhooks');

    // Replay every event from the start while another job ends.
    await world.outbox.resetCheckpoint(START_POSITION);
    const later = await endJob(world, 'complete', withWebhooks({ url: `${hooks.url}/a`, secretRef: null }));
    await runSagaUntil(world, later.position);
    await settled(world, later.jobId);
    await quietPeriod(300); // the subject: no second delivery of the replayed event follows

    const a = hooks.to('/a');
    expect(a.map((p) => `${p.json.type} ${String(p.json.data.jobId)}`).sort()).toEqual([`job.cancelled ${cancelled.jobId}`, `job.completed ${later.jobId}`].sort());
    expect(hooks.to('/b')).toHaveLength(1);
    expect(hooks.to('/b')[0].json).toMatchObject({ type: 'job.cancelled', data: { status: 'Cancelled', startedAt: null, durationSeconds: null, cancellation: { reason: 'superseded' } } });
    const rows = await deliveriesOf(world, cancelled.jobId);
    // The e-mail (no SMTP here) waits in the same outbox; the webhook sender does not take it.
    expect(rows.map((r) => `${r.channel} ${r.kind} ${r.status}`).sort()).toEqual(['email cancelled pending', 'webhook cancelled sent', 'webhook cancelled sent']);
    expect(new Set(rows.map((r) => r.notificationId)).size).toBe(3);
    const [email] = await world.sql.query<{ subject: string; body: string }>(
      `SELECT subject, body FROM job_notifications WHERE job_id = $1 AND channel = 'email'`, [cancelled.jobId]);
    expect(email.subject).toBe('Job "Nightly run" cancelled');
    expect(email.body).toContain('The job "Nightly run" was cancelled.');
    expect(email.body).toMatch(/Reason:\s+superseded/);
  });

  it('by default refuses 127.0.0.1 at delivery: recorded as failed with the reason, never retried', async () => {
    const world = await openWorld();
    const hooks = await receiver();
    // Queued as if the allow-list had allowed it at submit time and was narrowed since.
    const job = await endJob(world, 'complete', withWebhooks({ url: `${hooks.url}/internal`, secretRef: null }));
    await runSagaUntil(world, job.position);
    startSender(world, { allowedHosts: null });
    const [row] = await settled(world, job.jobId);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastResponseStatus: null });
    expect(row.lastError).toMatch(/^refused: 127\.0\.0\.1 is a loopback address/);
    await quietPeriod(200); // the subject: no attempt reaches the receiver
    expect(hooks.received).toHaveLength(0);
  });

  it('migrates an outbox created before webhooks: old rows stay, and a webhook row for the same job and event fits beside them', async () => {
    const { sql, cleanup } = await openThrowawaySchema(server!.url, 'webhook_upgrade');
    cleanups.push(cleanup);
    // The table as the e-mail-only outbox created it.
    await sql.query(`CREATE TABLE job_notifications (
      notification_id text PRIMARY KEY, tenant_id text NOT NULL, project_id text NOT NULL, job_id text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('completed', 'failed')), recipients jsonb NOT NULL, subject text NOT NULL, body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')), attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(), claim_token text, last_error text,
      created_at timestamptz NOT NULL DEFAULT now(), sent_at timestamptz, UNIQUE (job_id, kind))`);
    await sql.query(`INSERT INTO job_notifications (notification_id, tenant_id, project_id, job_id, kind, recipients, subject, body, status)
      VALUES ('old-1', 't', 'p', 'job-1', 'completed', '["a@example.com"]', 'Job done', 'text', 'sent')`);
    const outbox = new NotificationOutbox(sql);
    await outbox.migrate();
    await outbox.migrate();
    const checkpoint = await outbox.loadCheckpoint();
    const queued = await outbox.enqueue(checkpoint, { commit: 10n, prepare: 10n }, [
      { tenantId: 't', projectId: 'p', jobId: 'job-1', kind: 'completed', recipients: ['a@example.com'], subject: 'again', body: 'again' },
      { tenantId: 't', projectId: 'p', jobId: 'job-1', kind: 'completed', channel: 'webhook', target: 'https://hooks.example.com/a', recipients: [], subject: 'job.completed', body: '{}' },
      { tenantId: 't', projectId: 'p', jobId: 'job-1', kind: 'cancelled', channel: 'webhook', target: 'https://hooks.example.com/a', recipients: [], subject: 'job.cancelled', body: '{}' },
    ]);
    expect(queued).toBe(2); // the e-mail was there already
    const rows = await outbox.listForJob('t', 'p', 'job-1');
    expect(rows.map((r) => `${r.channel} ${r.kind} ${r.status}`).sort()).toEqual(['email completed sent', 'webhook cancelled pending', 'webhook completed pending']);
    expect(rows.find((r) => r.notificationId === 'old-1')).toMatchObject({ target: '', attemptLog: [], lastAttemptAt: null, lastResponseStatus: null });
  });
});
