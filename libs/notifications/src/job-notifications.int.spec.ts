/**
 * Job notifications end to end on real parts: PGlite in-process (and the PostgreSQL
 * server when one is reachable), the PostgreSQL event store on it, jobs driven through
 * the JobRepository, and a real SMTP server on 127.0.0.1 that records what it receives
 * (or refuses it).
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { START_POSITION, type GlobalPosition } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { openThrowawaySchema, resolveTestPostgres } from '../../../test/support/postgres.js';
import { quietPeriod, waitFor } from '../../../test/support/wait-for.js';
import { JobRepository, type JobNotifications, type JobOutcome, type JobSubmittedData } from '../../job-domain/src/index.js';
import { createNotifications } from './create-notifications.js';
import { loadNotificationConfig } from './notification-config.js';
import { JobNotificationSaga, type NotificationLogger } from './job-notification-saga.js';
import { NotificationOutbox } from './notification-outbox.js';
import { createSmtpTransport, NotificationSender, type NotificationSenderOptions } from './notification-sender.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

const meta = { actor: 'test', correlationId: randomUUID(), causationId: randomUUID() };
const quiet: NotificationLogger = { log: () => undefined, warn: () => undefined };
const BASE_URL = 'https://mining.example.com';

// ---------------------------------------------------------------------------------------
// A real SMTP server that keeps what it receives
// ---------------------------------------------------------------------------------------

interface ReceivedMail {
  readonly envelopeTo: string[];
  readonly headers: Map<string, string>;
  readonly subject: string;
  readonly text: string;
  readonly receivedAt: number;
}

interface TestSmtpServer {
  readonly url: string;
  readonly received: ReceivedMail[];
  /** Times of every RCPT TO the server saw, accepted or refused. */
  readonly recipientAttempts: { address: string; at: number }[];
  close(): Promise<void>;
}

async function startSmtpServer(options: { refuseRecipients?: string; dataDelayMs?: number } = {}): Promise<TestSmtpServer> {
  const received: ReceivedMail[] = [];
  const recipientAttempts: { address: string; at: number }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'], // plain text on loopback: no self-signed certificate in the way
    logger: false,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      recipientAttempts.push({ address: address.address, at: Date.now() });
      if (options.refuseRecipients) return callback(Object.assign(new Error(options.refuseRecipients), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const finish = () => {
          received.push({ ...parseMessage(Buffer.concat(chunks).toString('utf8')), envelopeTo: session.envelope.rcptTo.map((r) => r.address), receivedAt: Date.now() });
          callback();
        };
        if (options.dataDelayMs) setTimeout(finish, options.dataDelayMs);
        else finish();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    recipientAttempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Headers (unfolded, lower-case names) and the decoded text of a single-part message. */
function parseMessage(raw: string): { headers: Map<string, string>; subject: string; text: string } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') {
    body = Buffer.from(
      body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
      'latin1',
    ).toString('utf8');
  } else if (encoding === 'base64') {
    body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  return { headers, subject: decodeEncodedWords(headers.get('subject') ?? ''), text: body.replace(/\r\n/g, '\n') };
}

/** RFC 2047 header words (`=?UTF-8?Q?Job_=22x=22?=`); whitespace between two encoded words is dropped. */
function decodeEncodedWords(value: string): string {
  return value
    .replace(/(\?=)\s+(=\?)/g, '$1$2')
    .replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (_, _charset: string, encoding: string, text: string) =>
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : Buffer.from(
          text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
          'latin1',
        ).toString('utf8'));
}

// ---------------------------------------------------------------------------------------
// Store, jobs, waiting
// ---------------------------------------------------------------------------------------

interface World {
  readonly sql: SqlClient;
  readonly events: PostgresEventStore;
  readonly repository: JobRepository;
  readonly outbox: NotificationOutbox;
  readonly tenantId: string;
  readonly projectId: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  // Last opened, first closed: senders and sagas before the stores they use.
  while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

type OpenSql = () => Promise<{ sql: SqlClient; cleanup(): Promise<void> }>;

async function openWorld(openSql: OpenSql): Promise<World> {
  const { sql, cleanup } = await openSql();
  const events = await createEventStoreOnClient(sql, { pollIntervalMs: 20 });
  cleanups.push(async () => {
    await events.close();
    await cleanup();
  });
  const outbox = new NotificationOutbox(sql);
  await outbox.migrate();
  await outbox.migrate(); // idempotent
  return { sql, events, repository: new JobRepository(events), outbox, tenantId: randomUUID(), projectId: randomUUID() };
}

function outcome(recordsProcessed: number, totalRecords: number): JobOutcome {
  return {
    recordsProcessed, totalRecords, dataQualityScore: null, dataValidation: null, warnings: [], processingErrors: [], artifacts: [],
    execution: { cpuTimeSeconds: 1, wallTimeSeconds: 2, peakMemoryBytes: 1024, diskIoOperations: 0, diskBytesWritten: 0 },
  };
}

interface JobRun {
  readonly jobId: string;
  readonly jobName: string;
  readonly position: GlobalPosition;
}

/** Submits a job, starts it 3 min 5 s after submission and ends it 12 min 30 s later. */
async function runJob(
  world: World,
  end: 'complete' | 'fail' | 'cancel',
  notifications: JobNotifications,
  jobName = `Weekly analysis ${randomUUID().slice(0, 6)}`,
): Promise<JobRun> {
  const jobId = randomUUID();
  const submittedAt = Date.parse('2024-01-20T10:00:00Z');
  const submission: JobSubmittedData = {
    jobId, tenantId: world.tenantId, projectId: world.projectId, jobName, jobDescription: null, jobType: 'ProcessMining',
    priority: 'High', resource: null, parameters: {},
    scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 60 },
    notifications, submittedBy: 'user123', submittedAt: new Date(submittedAt).toISOString(), retryOf: null, attempt: 1,
  };
  await world.repository.execute(jobId, { kind: 'SubmitJob', submission }, meta);
  if (end === 'cancel') {
    const cancelled = await world.repository.execute(jobId, {
      kind: 'CancelJob', at: new Date(submittedAt + 1000).toISOString(),
      request: { reason: 'not needed', forceTermination: false, preservePartialResults: false, requestedBy: 'user123' },
    }, meta);
    return { jobId, jobName, position: cancelled.position! };
  }
  const startedAt = submittedAt + 185_000;
  await world.repository.execute(jobId, { kind: 'StartJob', nodeId: 'node-1', at: new Date(startedAt).toISOString() }, meta);
  const endedAt = new Date(startedAt + 750_000).toISOString();
  const ended = end === 'complete'
    ? await world.repository.execute(jobId, { kind: 'CompleteJob', nodeId: 'node-1', at: endedAt, outcome: outcome(1234, 1500) }, meta)
    : await world.repository.execute(jobId, {
      kind: 'FailJob', nodeId: 'node-1', at: endedAt, errorType: 'ExecutionError', message: 'the event log has no case id column',
    }, meta);
  return { jobId, jobName, position: ended.position! };
}

const notify = (onCompletion: boolean, onFailure: boolean, emailRecipients: string[]): JobNotifications =>
  ({ onCompletion, onFailure, emailRecipients });

/** Polls `probe` until it returns true; fails the test after `timeoutMs`. */
async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  await waitFor(probe, timeoutMs, 25, what);
}

async function runSagaUntil(world: World, position: GlobalPosition, publicBaseUrl: string | null = BASE_URL): Promise<void> {
  const saga = new JobNotificationSaga(world.events, world.outbox, { publicBaseUrl, logger: quiet });
  await saga.start();
  try {
    expect(await saga.waitFor(position, 10_000)).toBe(true);
  } finally {
    await saga.stop();
  }
}

function startSender(world: World, smtp: TestSmtpServer, options: Partial<NotificationSenderOptions> = {}): NotificationSender {
  const transport = createSmtpTransport(smtp.url, { connectionTimeoutMs: 2000, greetingTimeoutMs: 2000, socketTimeoutMs: 5000 });
  const sender = new NotificationSender(world.outbox, transport, {
    from: 'Job execution <jobs@example.com>', intervalMs: 20, retryBaseMs: 100, logger: quiet, ...options,
  });
  sender.start();
  cleanups.push(async () => {
    await sender.stop();
    transport.close();
  });
  return sender;
}

async function trackedSmtpServer(options: Parameters<typeof startSmtpServer>[0] = {}): Promise<TestSmtpServer> {
  const smtp = await startSmtpServer(options);
  cleanups.push(() => smtp.close());
  return smtp;
}

function mailsTo(smtp: TestSmtpServer, address: string): ReceivedMail[] {
  return smtp.received.filter((m) => m.envelopeTo.includes(address));
}

// ---------------------------------------------------------------------------------------

function describeNotifications(backend: string, openSql: OpenSql | null): void {
  // Without its server the suite is reported skipped (resolveTestPostgres said so loudly).
  (openSql ? describe : describe.skip)(`job notifications on ${backend}`, () => {
    const open = (): Promise<World> => openWorld(openSql!);
    it('e-mails each recipient once when a job completes or fails, as its flags ask, and nothing otherwise', async () => {
      const world = await open();
      const smtp = await trackedSmtpServer();
      const completed = await runJob(world, 'complete', notify(true, false, ['ana@example.com', ' bo@example.com ', 'ANA@example.com']), 'Customer Journey Analysis');
      const failed = await runJob(world, 'fail', notify(false, true, ['ops@example.com']), 'Nightly Enrichment');
      const completedFlagOff = await runJob(world, 'complete', notify(false, true, ['off@example.com']));
      const failedFlagOff = await runJob(world, 'fail', notify(true, false, ['off@example.com']));
      const noRecipients = await runJob(world, 'complete', notify(true, true, []));
      const cancelled = await runJob(world, 'cancel', notify(true, true, ['off@example.com']));

      await runSagaUntil(world, cancelled.position);
      expect(await world.outbox.countByStatus()).toEqual({ pending: 2, sent: 0, failed: 0 });
      startSender(world, smtp);
      await eventually(async () => (await world.outbox.countByStatus()).sent === 2, 10_000, 'two sent notifications');

      expect(smtp.received).toHaveLength(2);
      expect(mailsTo(smtp, 'ana@example.com')).toHaveLength(1);
      expect(mailsTo(smtp, 'bo@example.com')).toHaveLength(1);
      expect(mailsTo(smtp, 'ops@example.com')).toHaveLength(1);
      expect(mailsTo(smtp, 'off@example.com')).toHaveLength(0);

      const done = mailsTo(smtp, 'ana@example.com')[0];
      expect(done.envelopeTo.sort()).toEqual(['ana@example.com', 'bo@example.com']);
      expect(done.subject).toBe('Job "Customer Journey Analysis" completed');
      expect(done.headers.get('from')).toContain('jobs@example.com');
      expect(done.headers.get('x-job-id')).toBe(completed.jobId);
      expect(done.text).toContain(`Job ID:`);
      expect(done.text).toContain(completed.jobId);
      expect(done.text).toMatch(/Job type:\s+ProcessMining/);
      expect(done.text).toMatch(/Status:\s+Completed/);
      expect(done.text).toMatch(/Started at:\s+2024-01-20T10:03:05.000Z/);
      expect(done.text).toMatch(/Completed at:\s+2024-01-20T10:15:35.000Z/);
      expect(done.text).toMatch(/Duration:\s+12 minutes 30 seconds/);
      expect(done.text).toMatch(/Records processed:\s+1234 of 1500/);
      expect(done.text).toContain(`${BASE_URL}/api/${world.tenantId}/${world.projectId}/execution/job/${completed.jobId}/results`);
      expect(done.text).not.toContain('Error');

      const fail = mailsTo(smtp, 'ops@example.com')[0];
      expect(fail.subject).toBe('Job "Nightly Enrichment" failed');
      expect(fail.text).toMatch(/Status:\s+Failed/);
      expect(fail.text).toMatch(/Error type:\s+ExecutionError/);
      expect(fail.text).toMatch(/Error:\s+the event log has no case id column/);
      expect(fail.text).toMatch(/Failed at:\s+2024-01-20T10:15:35.000Z/);
      expect(fail.text).toContain(`/execution/job/${failed.jobId}/results`);

      const [delivery] = await world.outbox.listForJob(world.tenantId, world.projectId, completed.jobId);
      expect(delivery).toMatchObject({ kind: 'completed', status: 'sent', attempts: 1, lastError: null, recipients: ['ana@example.com', 'bo@example.com'] });
      expect(delivery.sentAt).not.toBeNull();
      expect(await world.outbox.listForJob(world.tenantId, world.projectId, failed.jobId)).toMatchObject([{ kind: 'failed', status: 'sent' }]);
      // Scoped like every read: another tenant sees nothing.
      expect(await world.outbox.listForJob(randomUUID(), world.projectId, completed.jobId)).toEqual([]);
      for (const quietJob of [completedFlagOff, failedFlagOff, noRecipients, cancelled]) {
        expect(await world.outbox.listForJob(world.tenantId, world.projectId, quietJob.jobId)).toEqual([]);
      }
    });

    it('never sends twice when events are delivered again: a replay from 0 and two sagas at once', async () => {
      const world = await open();
      const smtp = await trackedSmtpServer();
      startSender(world, smtp);
      const first = await runJob(world, 'complete', notify(true, true, ['once@example.com']));
      await runSagaUntil(world, first.position);
      await eventually(() => mailsTo(smtp, 'once@example.com').length === 1, 10_000, 'the first e-mail');

      // Replay everything with two runners competing for each batch, while more jobs end.
      await world.outbox.resetCheckpoint(START_POSITION);
      const sagas = [0, 1].map(() => new JobNotificationSaga(world.events, world.outbox, { publicBaseUrl: BASE_URL, logger: quiet, batchSize: 2 }));
      await Promise.all(sagas.map((s) => s.start()));
      cleanups.push(async () => void (await Promise.all(sagas.map((s) => s.stop()))));
      const later = [];
      for (let i = 0; i < 5; i++) later.push(await runJob(world, i % 2 ? 'fail' : 'complete', notify(true, true, [`later${i}@example.com`])));
      for (const saga of sagas) expect(await saga.waitFor(later[later.length - 1].position, 10_000)).toBe(true);
      await eventually(async () => (await world.outbox.countByStatus()).sent === 6, 10_000, 'six sent notifications');
      // The subject is that no duplicate arrives: a window of many send intervals before counting.
      await quietPeriod(300);

      expect(mailsTo(smtp, 'once@example.com')).toHaveLength(1);
      for (let i = 0; i < 5; i++) expect(mailsTo(smtp, `later${i}@example.com`)).toHaveLength(1);
      expect(smtp.received).toHaveLength(6);
      expect(await world.outbox.countByStatus()).toEqual({ pending: 0, sent: 6, failed: 0 });
    });

    it('retries a refused message with growing back-off and finally records it as failed with the error', async () => {
      const world = await open();
      const smtp = await trackedSmtpServer({ refuseRecipients: 'mailbox unavailable: no such user here' });
      const job = await runJob(world, 'fail', notify(false, true, ['nobody@example.com']));
      await runSagaUntil(world, job.position);
      startSender(world, smtp, { maxAttempts: 4, retryBaseMs: 150, retryMaxMs: 10_000 });

      await eventually(async () => {
        const [row] = await world.outbox.listForJob(world.tenantId, world.projectId, job.jobId);
        if (row.status === 'pending' && row.attempts === 1 && row.lastError) {
          // Between attempts the row waits for its stored due time.
          expect(Date.parse(row.nextAttemptAt!)).toBeGreaterThan(Date.now() - 50);
        }
        return row.status === 'failed';
      }, 15_000, 'the notification to fail for good');

      const [row] = await world.outbox.listForJob(world.tenantId, world.projectId, job.jobId);
      expect(row).toMatchObject({ kind: 'failed', status: 'failed', attempts: 4, sentAt: null, nextAttemptAt: null });
      expect(row.lastError).toContain('mailbox unavailable: no such user here');
      expect(smtp.received).toHaveLength(0);
      const times = smtp.recipientAttempts.map((a) => a.at);
      expect(times).toHaveLength(4);
      const gaps = times.slice(1).map((t, i) => t - times[i]);
      // 150, 300, 600 ms (minus polling slack): each wait at least the back-off, and growing.
      expect(gaps[0]).toBeGreaterThanOrEqual(140);
      expect(gaps[1]).toBeGreaterThanOrEqual(290);
      expect(gaps[2]).toBeGreaterThanOrEqual(590);
      expect(gaps[2]).toBeGreaterThan(gaps[0]);

      // Given up for good: no sender picks it up again (the subject: nothing happens for a while).
      await quietPeriod(300);
      expect(smtp.recipientAttempts).toHaveLength(4);
    });

    it('a sender stopped mid-way leaves the rest pending, and the next one sends exactly those', async () => {
      const world = await open();
      const smtp = await trackedSmtpServer({ dataDelayMs: 200 });
      const jobs = [];
      for (let i = 0; i < 4; i++) jobs.push(await runJob(world, 'complete', notify(true, false, [`team${i}@example.com`])));
      await runSagaUntil(world, jobs[3].position);

      const transport = createSmtpTransport(smtp.url);
      const first = new NotificationSender(world.outbox, transport, { from: 'jobs@example.com', intervalMs: 20, batchSize: 1, logger: quiet });
      first.start();
      await eventually(() => smtp.received.length >= 1, 10_000, 'the first e-mail');
      await first.stop(); // waits for the send in flight to be recorded
      transport.close();
      const afterStop = await world.outbox.countByStatus();
      expect(afterStop.sent).toBe(smtp.received.length);
      expect(afterStop.pending).toBe(4 - afterStop.sent);
      expect(afterStop.pending).toBeGreaterThan(0);
      await quietPeriod(200); // the subject: a stopped sender sends nothing more, over ten of its intervals
      expect(smtp.received).toHaveLength(afterStop.sent); // stopped means stopped

      startSender(world, smtp, { batchSize: 1 });
      await eventually(async () => (await world.outbox.countByStatus()).sent === 4, 10_000, 'all four sent');
      for (let i = 0; i < 4; i++) expect(mailsTo(smtp, `team${i}@example.com`)).toHaveLength(1);
      expect(smtp.received).toHaveLength(4);
    });

    it('a row claimed by a sender that died is sent by another once the claim lease runs out', async () => {
      const world = await open();
      const smtp = await trackedSmtpServer();
      const job = await runJob(world, 'complete', notify(true, false, ['lease@example.com']));
      await runSagaUntil(world, job.position);
      // A sender claims the row and dies before sending: nothing ever records an outcome.
      const [abandoned] = await world.outbox.claimDue(10, 1000, 5);
      expect(abandoned.jobId).toBe(job.jobId);

      const claimedAt = Date.now();
      startSender(world, smtp);
      await eventually(() => mailsTo(smtp, 'lease@example.com').length === 1, 10_000, 'the e-mail after the lease');
      expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(900);
      await eventually(async () => (await world.outbox.listForJob(world.tenantId, world.projectId, job.jobId))[0].status === 'sent');
      expect(await world.outbox.listForJob(world.tenantId, world.projectId, job.jobId)).toMatchObject([{ status: 'sent', attempts: 2 }]);
      // The dead sender's late outcome cannot overwrite the live one's.
      expect(await world.outbox.markAttemptFailed(abandoned, 'too late', 0, true)).toBe(false);
      expect(smtp.received).toHaveLength(1);
    });

    it('several senders at once deliver each queued e-mail exactly once', async () => {
      const world = await open();
      const smtp = await trackedSmtpServer({ dataDelayMs: 20 });
      const jobs = [];
      for (let i = 0; i < 12; i++) jobs.push(await runJob(world, 'complete', notify(true, false, [`crowd${i}@example.com`])));
      await runSagaUntil(world, jobs[11].position);
      for (let i = 0; i < 3; i++) startSender(world, smtp, { batchSize: 2, intervalMs: 10 });
      await eventually(async () => (await world.outbox.countByStatus()).sent === 12, 15_000, 'twelve sent notifications');
      await quietPeriod(200); // the subject: no second delivery follows, over twenty sender intervals
      for (let i = 0; i < 12; i++) expect(mailsTo(smtp, `crowd${i}@example.com`)).toHaveLength(1);
      expect(smtp.received).toHaveLength(12);
      for (const job of jobs) expect(await world.outbox.listForJob(world.tenantId, world.projectId, job.jobId)).toMatchObject([{ status: 'sent', attempts: 1 }]);
    });

    it('createNotifications: queues without SMTP_URL (one log line) and sends once SMTP_URL is configured', async () => {
      const world = await open();
      const smtp = await trackedSmtpServer();
      const logged: string[] = [];
      const logger: NotificationLogger = { log: (m) => logged.push(m), warn: (m) => logged.push(m) };

      const queueOnly = createNotifications({ sql: world.sql, events: world.events }, loadNotificationConfig({}), { logger });
      expect(queueOnly.sender.channels).toEqual(['webhook', 'callback', 'slack']); // e-mails wait for SMTP_URL
      await queueOnly.start();
      cleanups.push(() => queueOnly.stop());
      const job = await runJob(world, 'complete', notify(true, false, ['wired@example.com']), 'Wired job');
      expect(await queueOnly.saga.waitFor(job.position, 10_000)).toBe(true);
      expect(await queueOnly.listForJob(world.tenantId, world.projectId, job.jobId)).toMatchObject([{ status: 'pending', attempts: 0 }]);
      expect(logged.filter((m) => m.includes('SMTP_URL is unset'))).toHaveLength(1);
      await queueOnly.stop();

      const config = loadNotificationConfig({
        SMTP_URL: smtp.url, SMTP_FROM: 'Mining <mining@example.com>', PUBLIC_BASE_URL: 'https://jobs.example.com/',
        NOTIFICATION_SEND_INTERVAL_MS: '20',
      });
      const sending = createNotifications({ sql: world.sql, events: world.events }, config, { logger });
      expect(sending.sender.channels).toEqual(['email', 'webhook', 'callback', 'slack']);
      await sending.start();
      cleanups.push(() => sending.stop());
      await eventually(() => smtp.received.length === 1, 10_000, 'the queued e-mail');
      expect(smtp.received[0].headers.get('from')).toContain('mining@example.com');
      // The message was built when it was queued, before PUBLIC_BASE_URL was set.
      expect(smtp.received[0].text).toMatch(/Results:\s+\/api\//);
      expect(smtp.received[0].subject).toBe('Job "Wired job" completed');
      await eventually(async () => (await sending.listForJob(world.tenantId, world.projectId, job.jobId))[0].status === 'sent');
      const next = await runJob(world, 'fail', notify(false, true, ['wired@example.com']), 'Wired job');
      await eventually(() => smtp.received.length === 2, 10_000, 'the second e-mail');
      expect(smtp.received[1].subject).toBe('Job "Wired job" failed');
      expect(smtp.received[1].text).toContain(`https://jobs.example.com/api/${world.tenantId}/${world.projectId}/execution/job/${next.jobId}/results`);
      await sending.stop();
    });
  });
}

describeNotifications('PGlite', async () => {
  const sql = await openMemoryPglite();
  return { sql, cleanup: () => sql.close() };
});

const server = await resolveTestPostgres('job notifications suite');
describeNotifications('PostgreSQL', server && (() => openThrowawaySchema(server.url, 'notify_test')));
