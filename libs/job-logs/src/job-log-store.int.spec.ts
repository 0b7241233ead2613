/**
 * The job log store against the real stores (the embedded PGlite and the PostgreSQL test
 * server, each on a fresh folder or schema): filters, summary, the read-after-cursor a live
 * follow builds on, lines going with the job writer's final append (stored only when the
 * append succeeds), and retention deleted by the supervisor's sweep.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadServiceConfig } from '../../config/src/service-config.js';
import { WrongExpectedRevisionError } from '../../event-store/src/event-store.port.js';
import { JobRepository, type JobSubmittedData } from '../../job-domain/src/index.js';
import { JobSupervisor } from '../../execution-node/src/job-supervisor.js';
import { openStores, type Stores } from '../../storage/src/open-stores.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { JobLogBuffer } from './job-log-buffer.js';
import { logEntry, type JobLogLevel, type JobLogLine } from './job-log.js';
import { seedEmbeddedStore } from '../../../test/support/pglite-templates.js';

const quiet = { log: () => undefined, warn: () => undefined };
const meta = { actor: 'test', correlationId: randomUUID(), causationId: randomUUID() };
const server = await resolveTestPostgres('job log store suite');

function line(jobId: string, at: Date, level: JobLogLevel, message: string): JobLogLine {
  return { jobId, timestamp: at.toISOString(), level, component: 'JobRunner', stage: 'Loading', message, details: { n: message.length } };
}

function submission(jobId: string): JobSubmittedData {
  return {
    jobId, tenantId: randomUUID(), projectId: randomUUID(), jobName: 'log test', jobDescription: null, jobType: 'Analysis',
    priority: 'Normal', resource: null, parameters: {}, scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 30 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] }, submittedBy: 't',
    submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
  };
}

function suite(name: string, open: () => Promise<{ stores: Stores; cleanup(): Promise<void> }>) {
  describe(name, () => {
    let stores: Stores;
    let cleanup: () => Promise<void>;
    beforeAll(async () => ({ stores, cleanup } = await open()));
    afterAll(async () => cleanup?.());

    it('reads a job\'s lines by level, time and limit, summarises the whole log, and follows after a cursor', async () => {
      const jobId = randomUUID();
      const other = randomUUID();
      const t0 = new Date('2026-11-30T10:00:00.000Z');
      const at = (s: number) => new Date(t0.getTime() + s * 1000);
      await stores.jobLogs.insert([
        line(jobId, at(0), 'DEBUG', 'a'), line(jobId, at(1), 'INFO', 'b'), line(other, at(1), 'ERROR', 'other job'),
        line(jobId, at(2), 'WARN', 'c\u0000'), line(jobId, at(3), 'ERROR', 'd'),
      ]);
      const messages = async (minLevel: JobLogLevel, extra: { fromTime?: Date; toTime?: Date; limit?: number } = {}) =>
        (await stores.jobLogs.read(jobId, { minLevel, limit: extra.limit ?? 100, ...extra })).map((l) => l.message);
      expect(await messages('DEBUG')).toEqual(['a', 'b', 'c', 'd']);
      expect(await messages('INFO')).toEqual(['b', 'c', 'd']);
      expect(await messages('WARN')).toEqual(['c', 'd']);
      expect(await messages('DEBUG', { fromTime: at(1), toTime: at(2) })).toEqual(['b', 'c']);
      expect(await messages('DEBUG', { limit: 2 })).toEqual(['a', 'b']);
      const [first] = await stores.jobLogs.read(jobId, { minLevel: 'DEBUG', limit: 1 });
      expect(first).toMatchObject({ timestamp: t0.toISOString(), level: 'DEBUG', component: 'JobRunner', stage: 'Loading', details: { n: 1 } });
      expect(await stores.jobLogs.summarize(jobId)).toEqual({
        totalEntries: 4, debugEntries: 1, infoEntries: 1, warnEntries: 1, errorEntries: 1,
        timeRange: { startTime: at(0).toISOString(), endTime: at(3).toISOString() },
      });
      expect(await stores.jobLogs.summarize(randomUUID())).toMatchObject({ totalEntries: 0, timeRange: { startTime: null, endTime: null } });

      const page1 = await stores.jobLogs.readAfter(jobId, null, 3);
      expect(page1.map((l) => l.message)).toEqual(['a', 'b', 'c']);
      await stores.jobLogs.insert([line(jobId, at(4), 'INFO', 'e')]);
      const page2 = await stores.jobLogs.readAfter(jobId, page1[2].lineId, 10);
      expect(page2.map((l) => l.message)).toEqual(['d', 'e']);
      expect(await stores.jobLogs.readAfter(jobId, page2[1].lineId, 10)).toEqual([]);
    });

    it('stores lines given to an append with it, and not with an append that was refused', async () => {
      const repository = new JobRepository(stores.events, stores.jobWriter);
      expect(repository.logLinesGoWithAppend).toBe(true);
      const jobId = randomUUID();
      const submitted = await repository.execute(jobId, { kind: 'SubmitJob', submission: submission(jobId) }, meta, {
        logLines: [line(jobId, new Date(), 'INFO', 'with the submission')],
      });
      // A stale state: the append is refused, and its line is not stored.
      await repository.execute(jobId, { kind: 'StartJob', nodeId: 'n1', at: new Date().toISOString() }, meta, { retries: 0, known: submitted.state });
      await expect(repository.execute(jobId, { kind: 'StartJob', nodeId: 'n2', at: new Date().toISOString() }, meta, {
        retries: 0, known: submitted.state, logLines: [line(jobId, new Date(), 'INFO', 'refused')],
      })).rejects.toBeInstanceOf(WrongExpectedRevisionError);
      const lines = await stores.jobLogs.read(jobId, { minLevel: 'DEBUG', limit: 10 });
      expect(lines.map((l) => l.message)).toEqual(['with the submission']);
    });

    it('the node\'s buffer stores held lines of many jobs together, and hands a job\'s unstored lines to its final append', async () => {
      const [a, b] = [randomUUID(), randomUUID()];
      const flushing = new JobLogBuffer(stores.jobLogs, { holdMs: 0, flushEveryMs: 10 }, quiet);
      flushing.write(a, [logEntry('INFO', 'JobRunner', 'Loading', 'a1'), logEntry('INFO', 'JobRunner', 'Loading', 'a2')]);
      flushing.write(b, [logEntry('WARN', 'DataValidator', 'Validating', 'b1')]);
      const stored = (jobId: string) => stores.jobLogs.read(jobId, { minLevel: 'DEBUG', limit: 10 });
      await waitFor(async () => (await stored(a)).length === 2 && (await stored(b)).length === 1, 10_000, 20, 'the buffered lines to be stored');
      expect((await stored(a)).map((l) => l.message)).toEqual(['a1', 'a2']);
      expect(await flushing.takeForFinalAppend(a)).toEqual([]);
      await flushing.close();

      const holding = new JobLogBuffer(stores.jobLogs, { holdMs: 60_000, flushEveryMs: 10 }, quiet);
      const c = randomUUID();
      holding.write(c, [logEntry('INFO', 'ExecutionNode', 'Initialization', 'c1'), logEntry('INFO', 'ExecutionNode', 'Completion', 'c2')]);
      const taken = await holding.takeForFinalAppend(c);
      expect(taken.map((l) => [l.jobId, l.message, l.sequence])).toEqual([[c, 'c1', 1], [c, 'c2', 2]]);
      await holding.close();
      expect(await stored(c)).toEqual([]);
    });

    it('the supervisor\'s sweep deletes lines older than the retention and keeps the rest', async () => {
      const jobId = randomUUID();
      const now = new Date();
      await stores.jobLogs.insert([
        line(jobId, new Date(now.getTime() - 31 * 86_400_000), 'INFO', 'old'),
        line(jobId, new Date(now.getTime() - 29 * 86_400_000), 'INFO', 'recent'),
      ]);
      const supervisor = new JobSupervisor(stores, new JobRepository(stores.events, stores.jobWriter), {
        leaseSeconds: 30, reconcileGraceSeconds: 2, maxLostAttempts: 3, logRetentionMs: 30 * 86_400_000,
      }, quiet);
      await supervisor.sweep(now);
      expect((await stores.jobLogs.read(jobId, { minLevel: 'DEBUG', limit: 10 })).map((l) => l.message)).toEqual(['recent']);
    });
  });
}

suite('job logs on the embedded PGlite store', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'job-logs-'));
  seedEmbeddedStore(dir);
  const stores = await openStores(loadServiceConfig({ DATA_DIR: dir }));
  return { stores, cleanup: async () => { await stores.close(); await rm(dir, { recursive: true, force: true }); } };
});

(server ? suite : describe.skip)('job logs on PostgreSQL', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'job-logs-pg-'));
  const schema = randomSchemaName('job_logs');
  const stores = await openStores(loadServiceConfig({ DATA_DIR: dir, DATABASE_URL: server!.url, DATABASE_SCHEMA: schema }));
  return {
    stores,
    cleanup: async () => {
      await stores.close();
      await dropSchema(server!.url, schema);
      await rm(dir, { recursive: true, force: true });
    },
  };
});
