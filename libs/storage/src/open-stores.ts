/**
 * Opens the stores of one process from the configuration, the one composition root of the
 * API and the worker. The state store is a PostgreSQL server when DATABASE_URL is set, else
 * the embedded PGlite database in DATA_DIR/pglite (created and initialised on first start);
 * it keeps datasets, process models, notifications, job logs and leader election. The event
 * store (EVENT_STORE_URL: PostgreSQL or KurrentDB) and the job views (READ_STORE_URL:
 * PostgreSQL or MongoDB) default to it (store-locations.ts). Where the events and the views
 * share one database a job's view commits with its append (ADR 0006); elsewhere the job
 * projection writes the views and read-your-writes waits for it (ADR 0017). The queue signals
 * that wake execution nodes go through the state store's server (NOTIFY) or, embedded, stay
 * in the process.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { lockDataDir } from './data-dir-lock.js';
import type { ServiceConfig } from '../../config/src/service-config.js';
import { viewsShareTheEventStore } from '../../config/src/store-locations.js';
import { ArtifactStore } from '../../artifacts/src/artifact-store.js';
import { PostgresDatasetRegistry } from '../../datasets/src/postgres-dataset-registry.js';
import { PostgresProcessModelRegistry } from '../../process-models/src/postgres-process-model-registry.js';
import type { EventStore } from '../../event-store/src/event-store.port.js';
import { createKurrentDbEventStore } from '../../event-store/src/kurrentdb/kurrentdb-event-store.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { appendOnlyJobWriter, jobEventUpcasters, type JobWriter } from '../../job-domain/src/index.js';
import { openSqlClient, pgConnectionConfig, type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { hasRunningCap, runningCapOverrides } from '../../config/src/tenant-quotas.js';
import { TenantLocks } from '../../read-store/src/postgres/tenant-locks.js';
import { TenantQueueGate } from '../../read-store/src/postgres/tenant-queue-gate.js';
import { TenantRunningGate } from '../../read-store/src/postgres/tenant-running-gate.js';
import {
  inProcessJobQueueSignals, postgresJobQueueSignals, withJobQueuedAnnouncements, type JobQueueSignals,
} from '../../read-store/src/job-queue-signals.js';
import { createMongoJobReadStore } from '../../read-store/src/mongodb/mongo-job-read-store.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { PostgresJobWriter } from '../../read-store/src/postgres/postgres-job-writer.js';
import type { JobReadStore } from '../../read-store/src/read-store.port.js';
import { PostgresJobLogStore, migrateJobLogLines } from '../../job-logs/src/postgres/postgres-job-log-store.js';
import { withSingleProcessJobCache } from '../../read-store/src/single-process-job-cache.js';
import { PostgresScheduleStore } from '../../schedules/src/postgres/postgres-schedule-store.js';
import type { JobViewRebuilds } from '../../read-store/src/job-view-rebuilds.port.js';
import { PostgresJobViewRebuilds } from '../../read-store/src/postgres/postgres-job-view-rebuilds.js';
import { MongoJobViewRebuilds } from '../../read-store/src/mongodb/mongo-job-view-rebuilds.js';

export interface Stores {
  /** The state store's kind. */
  readonly kind: 'pg' | 'pglite';
  /** The state store: datasets, process models, notifications, job logs. */
  readonly sql: SqlClient;
  readonly events: EventStore;
  /** The event store's own SQL client where it is PostgreSQL or PGlite (the event feed's fast path); null on KurrentDB. */
  readonly eventsSql: SqlClient | null;
  /** True where the job views are in the event store's database (the feed's SQL may join them). */
  readonly jobViewsBesideEvents: boolean;
  /** Every committed write that leaves a job Queued announces it on `queue`. */
  readonly jobs: JobReadStore;
  /** Appends job events, and where it can writes the job's view in the same statement (give it to JobRepository). */
  readonly jobWriter: JobWriter;
  readonly queue: JobQueueSignals;
  readonly datasets: PostgresDatasetRegistry;
  /** Uploaded process models (PNML, BPMN) conformance jobs check against. */
  readonly models: PostgresProcessModelRegistry;
  readonly files: ArtifactStore;
  /** Jobs' execution logs (final lines also go with the job writer's append). */
  readonly jobLogs: PostgresJobLogStore;
  /** Where each store lives, for health and status: 'postgres', 'pglite', 'kurrentdb', 'mongodb'. */
  readonly layout: { readonly state: string; readonly events: string; readonly views: string };
  /** Resolves when every store answers; rejects with the first that does not, naming it. */
  ping(): Promise<void>;
  /**
   * Recurring schedules, whose views commit with their events: on a PostgreSQL or PGlite event
   * store only (null on KurrentDB, where the schedule routes and the firer are not offered).
   */
  readonly schedules: PostgresScheduleStore | null;
  /**
   * Blue/green rebuilds of the job read model: where the views are beside PostgreSQL/PGlite
   * events, or on MongoDB; null where the views are in another PostgreSQL database than the events.
   */
  readonly jobViewRebuilds: JobViewRebuilds | null;
  /** The queued-jobs quota's gate (counts on the state store, which holds the views wherever a queued cap is set). */
  readonly tenantQueueGate: TenantQueueGate;
  /**
   * Claims of a tenant with a running cap go through it, so no tenant ever runs more than its
   * cap; null with no running cap, or where the views are not written with the append (MongoDB
   * views, KurrentDB events: there the cap is applied by the claim order alone).
   */
  readonly tenantRunningGate: TenantRunningGate | null;
  close(): Promise<void>;
}

export async function openStores(config: ServiceConfig): Promise<Stores> {
  mkdirSync(config.dataDir, { recursive: true });
  const locations = config.stores;
  const unlock = config.databaseUrl ? () => undefined : lockDataDir(config.dataDir);
  const closers: (() => Promise<unknown>)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    closers.length = 0;
  };
  const openPostgres = (connectionString: string) => openSqlClient({
    kind: 'pg', connectionString, schema: config.databaseSchema ?? undefined, poolSize: config.databasePoolSize,
  });
  try {
    const sql = config.databaseUrl
      ? await openPostgres(config.databaseUrl)
      : await openSqlClient({ kind: 'pglite', dataDir: path.join(config.dataDir, 'pglite'), sharedBuffersMb: config.embeddedSharedBuffersMb });
    closers.push(() => sql.close());
    const stateKind = sql.kind === 'pg' ? 'postgres' : 'pglite';

    // Subscribers are woken by NOTIFY (or in-process); the poll only covers a lost wake-up.
    const eventStoreOptions = { pollIntervalMs: config.eventPollSeconds * 1000, upcasters: jobEventUpcasters };
    let eventsSql: SqlClient | null = sql;
    let postgresEvents: PostgresEventStore | null = null;
    let events: EventStore;
    if (locations.events.kind === 'kurrentdb') {
      eventsSql = null;
      events = await createKurrentDbEventStore({ connectionString: locations.events.url, ...eventStoreOptions });
    } else {
      if (locations.events.kind === 'postgres') {
        eventsSql = await openPostgres(locations.events.url);
        closers.push(() => eventsSql!.close());
      }
      postgresEvents = await createEventStoreOnClient(eventsSql!, eventStoreOptions);
      events = postgresEvents;
    }
    closers.push(() => events.close());

    const shared = viewsShareTheEventStore(locations);
    const views = locations.views;
    let viewsSql: SqlClient | null = null;
    let baseJobs: JobReadStore & { migrate(): Promise<void> };
    let mongoViews: Awaited<ReturnType<typeof createMongoJobReadStore>> | null = null;
    if (views.kind === 'mongodb') {
      const mongo = await createMongoJobReadStore({
        url: views.url, database: views.database, agingSecondsPerLevel: config.agingSecondsPerLevel, tenantMaxRunningJobs: config.tenantMaxRunningJobs,
        runningCapsByTenant: runningCapOverrides(config.tenantQuotas),
      });
      closers.push(() => mongo.close());
      baseJobs = mongo;
      mongoViews = mongo;
    } else {
      if (views.kind === 'state') viewsSql = sql;
      else if (shared) viewsSql = eventsSql;
      else {
        viewsSql = await openPostgres(views.url);
        closers.push(() => viewsSql!.close());
      }
      baseJobs = new PostgresJobReadStore(viewsSql!, config.agingSecondsPerLevel, config.tenantMaxRunningJobs, runningCapOverrides(config.tenantQuotas));
    }
    await baseJobs.migrate();

    // A job's final log lines go with the append where the writer shares a statement with the
    // views, so the lines live beside them there; elsewhere on the state store.
    const logsSql = shared && viewsSql ? viewsSql : sql;
    if (logsSql !== viewsSql) await migrateJobLogLines(logsSql);
    const jobLogs = new PostgresJobLogStore(logsSql);
    // Nodes listen on the state store, which every process shares; embedded, one process is all there is.
    const queue = sql.kind === 'pglite' ? inProcessJobQueueSignals() : postgresJobQueueSignals(sql);
    closers.push(() => queue.close());
    let jobWriter: JobWriter & { drain?(): Promise<void> };
    let jobs: JobReadStore;
    if (shared && viewsSql && postgresEvents) {
      const postgresJobs = baseJobs as PostgresJobReadStore;
      const cache = viewsSql.kind === 'pglite' ? withSingleProcessJobCache(postgresJobs) : null;
      jobs = withJobQueuedAnnouncements(cache ?? postgresJobs, queue);
      const writer = new PostgresJobWriter(viewsSql, postgresEvents, config.agingSecondsPerLevel, {
        signals: queue, onCommitted: cache ? (documents) => cache.rememberCommitted(documents) : undefined,
      });
      jobWriter = writer;
    } else {
      // The projection writes the views (and announces queued jobs as it does).
      jobs = withJobQueuedAnnouncements(baseJobs, queue);
      jobWriter = appendOnlyJobWriter(events);
    }
    const datasets = new PostgresDatasetRegistry(sql);
    await datasets.migrate();
    const models = new PostgresProcessModelRegistry(sql);
    await models.migrate();
    const files = new ArtifactStore(config.filesDir);
    const eventsKind = locations.events.kind === 'kurrentdb' ? 'kurrentdb' : eventsSql!.kind === 'pg' ? 'postgres' : 'pglite';
    const viewsKind = views.kind === 'mongodb' ? 'mongodb' : viewsSql!.kind === 'pg' ? 'postgres' : 'pglite';
    // Schedule views commit with their events, so they live in the event store's database.
    const schedules = postgresEvents && eventsSql ? new PostgresScheduleStore(eventsSql, postgresEvents) : null;
    await schedules?.migrate();
    const jobViewRebuilds: JobViewRebuilds | null = mongoViews
      ? new MongoJobViewRebuilds(mongoViews.database, events, config.agingSecondsPerLevel)
      : shared && viewsSql && postgresEvents ? new PostgresJobViewRebuilds(viewsSql, postgresEvents, config.agingSecondsPerLevel) : null;
    // One per process, so every gate of the process shares its chains and its one lock connection (on the state store's server).
    const tenantLocks = new TenantLocks(sql.kind === 'pg' && config.databaseUrl
      ? pgConnectionConfig({ kind: 'pg', connectionString: config.databaseUrl, schema: config.databaseSchema ?? undefined })
      : null);
    closers.push(() => tenantLocks.close());
    const tenantQueueGate = new TenantQueueGate(sql, tenantLocks);
    const tenantRunningGate = hasRunningCap(config.tenantQuotas) && jobWriter.viewsWrittenWithAppend && viewsSql
      ? new TenantRunningGate(viewsSql, tenantLocks, { tenantMaxRunningJobs: config.tenantMaxRunningJobs, runningCapsByTenant: runningCapOverrides(config.tenantQuotas) })
      : null;
    return {
      kind: sql.kind, sql, events, eventsSql, jobViewsBesideEvents: jobWriter.viewsWrittenWithAppend, jobs, jobWriter, queue, datasets, models, files, jobLogs, schedules, jobViewRebuilds,
      tenantQueueGate, tenantRunningGate,
      layout: { state: stateKind, events: eventsKind, views: viewsKind },
      async ping() {
        await named('state store', sql.query('SELECT 1'));
        if (eventsSql && eventsSql !== sql) await named('event store', eventsSql.query('SELECT 1'));
        else if (!eventsSql) await named('event store', events.readAll({ maxCount: 1 }));
        if (viewsSql && viewsSql !== sql && viewsSql !== eventsSql) await named('read store', viewsSql.query('SELECT 1'));
        else if (!viewsSql) await named('read store', jobs.nextScheduledStart(new Date()));
      },
      async close() {
        await jobWriter.drain?.();
        await closeAll();
        unlock();
      },
    };
  } catch (error) {
    await closeAll();
    unlock();
    throw error;
  }
}

/** Rejects with the store's name in front of its error. */
async function named(store: string, check: Promise<unknown>): Promise<void> {
  try {
    await check;
  } catch (error) {
    // The cause keeps an unreachable database recognisable (isDatabaseUnavailable follows it: 503, not 500).
    throw new Error(`the ${store} did not answer: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
