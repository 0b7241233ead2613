/**
 * Opens the stores of one process from the configuration: a PostgreSQL server when
 * DATABASE_URL is set, else the embedded PGlite database in DATA_DIR/pglite (created
 * and initialised on first start). Event store, read store and dataset registry share
 * one client (a PGlite folder can be opened once per process), and a job's events and its
 * view commit together (the job writer). The queue signals that wake
 * execution nodes go through the server (NOTIFY) or, embedded, stay in the process.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock.js';
import type { ServiceConfig } from '../../config/src/service-config.js';
import { ArtifactStore } from '../../artifacts/src/artifact-store.js';
import { PostgresDatasetRegistry } from '../../datasets/src/postgres-dataset-registry.js';
import { PostgresProcessModelRegistry } from '../../process-models/src/postgres-process-model-registry.js';
import type { EventStore } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient } from '../../event-store/src/postgres/postgres-event-store.js';
import { jobEventUpcasters, type JobWriter } from '../../job-domain/src/index.js';
import { openSqlClient, type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import {
  inProcessJobQueueSignals, postgresJobQueueSignals, withJobQueuedAnnouncements, type JobQueueSignals,
} from '../../read-store/src/job-queue-signals.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import type { JobReadStore } from '../../read-store/src/read-store.port.js';
import { PostgresJobLogStore } from '../../job-logs/src/postgres/postgres-job-log-store.js';
import { withSingleProcessJobCache } from '../../read-store/src/single-process-job-cache.js';
import { PostgresScheduleStore } from '../../schedules/src/postgres/postgres-schedule-store.js';

export interface Stores {
  readonly kind: 'pg' | 'pglite';
  readonly sql: SqlClient;
  readonly events: EventStore;
  /** Every committed write that leaves a job Queued announces it on `queue`. */
  readonly jobs: JobReadStore;
  /** Appends job events and writes the job's view in the same transaction (give it to JobRepository). */
  readonly jobWriter: JobWriter;
  readonly queue: JobQueueSignals;
  readonly datasets: PostgresDatasetRegistry;
  /** Uploaded process models (PNML, BPMN) conformance jobs check against. */
  readonly models: PostgresProcessModelRegistry;
  readonly files: ArtifactStore;
  /** Jobs' execution logs (final lines also go with the job writer's append). */
  readonly jobLogs: PostgresJobLogStore;
  /** Recurring schedules: their views commit with their events. */
  readonly schedules: PostgresScheduleStore;
  close(): Promise<void>;
}

export async function openStores(config: ServiceConfig): Promise<Stores> {
  mkdirSync(config.dataDir, { recursive: true });
  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  let sql: SqlClient;
  try {
    sql = config.databaseUrl
      ? await openSqlClient({
        kind: 'pg', connectionString: config.databaseUrl, schema: config.databaseSchema ?? undefined, poolSize: config.databasePoolSize,
      })
      : await openSqlClient({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite'), sharedBuffersMb: config.embeddedSharedBuffersMb });
  } catch (error) {
    unlock();
    throw error;
  }
  try {
    // Subscribers are woken by NOTIFY (or in-process); the poll only covers a lost wake-up.
    const events = await createEventStoreOnClient(sql, { pollIntervalMs: config.eventPollSeconds * 1000, upcasters: jobEventUpcasters });
    const postgresJobs = new PostgresJobReadStore(sql, config.agingSecondsPerLevel, config.tenantMaxRunningJobs);
    await postgresJobs.migrate();
    const jobLogs = new PostgresJobLogStore(sql);
    const queue = sql.kind === 'pglite' ? inProcessJobQueueSignals() : postgresJobQueueSignals(sql);
    const cache = sql.kind === 'pglite' ? withSingleProcessJobCache(postgresJobs) : null;
    const jobs = withJobQueuedAnnouncements(cache ?? postgresJobs, queue);
    const jobWriter = new PostgresJobWriter(sql, events, config.agingSecondsPerLevel, {
      signals: queue, onCommitted: cache ? (documents) => cache.rememberCommitted(documents) : undefined,
    });
    const datasets = new PostgresDatasetRegistry(sql);
    await datasets.migrate();
    const models = new PostgresProcessModelRegistry(sql);
    await models.migrate();
    const files = new ArtifactStore(config.filesDir);
    const schedules = new PostgresScheduleStore(sql, events);
    await schedules.migrate();
    return {
      kind: sql.kind, sql, events, jobs, jobWriter, queue, datasets, models, files, jobLogs, schedules,
      async close() {
        await jobWriter.drain();
        await queue.close();
        await events.close();
        await sql.close();
        unlock();
      },
    };
  } catch (error) {
    await sql.close().catch(() => undefined);
    unlock();
    throw error;
  }
}
