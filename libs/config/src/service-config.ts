/**
 * Everything configurable, read once from the environment. Defaults run the whole
 * service on the embedded store (PGlite in DATA_DIR) with one in-process worker.
 */
import { loadRetryConfig, type RetryConfig } from './retry-config.js';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TOKEN_AUDIENCE, DEFAULT_TOKEN_MAX_TTL_SECONDS } from '../../auth/src/token.js';
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from '../../event-store/src/postgres/pglite-settings.js';
import { JOB_PRIORITIES, type JobPriority } from '../../job-domain/src/job.types.js';
import { loadStoreLocations, type StoreLocations } from './store-locations.js';
import { hasQueuedCap, tenantQuotasFromEnv, type TenantQuotas } from './tenant-quotas.js';

export interface ServiceConfig {
  readonly port: number;
  readonly host: string;
  /** Folder for the embedded database, datasets, artifacts and the local signing secret. */
  readonly dataDir: string;
  /** PostgreSQL server; when absent the embedded PGlite store in dataDir is used. */
  readonly databaseUrl: string | null;
  /** Where the event store and the job views live (EVENT_STORE_URL, READ_STORE_URL; default: the state store). */
  readonly stores: StoreLocations;
  /** PostgreSQL schema for all tables (default: the server's search_path). */
  readonly databaseSchema: string | null;
  /** Connections of this process's PostgreSQL pool (ignored by the embedded store). */
  readonly databasePoolSize: number;
  /** shared_buffers of the embedded store (PGlite), MB. */
  readonly embeddedSharedBuffersMb: number;
  /** Datasets and artifacts; shared by every process (a mounted volume when they run on several machines). */
  readonly filesDir: string;
  /** HS256 secret for Bearer tokens; when absent one is generated into dataDir. */
  readonly jwtSecret: string | null;
  /** The `aud` every token must carry (the service's name by default). */
  readonly jwtAudience: string;
  /** Longest token lifetime accepted (exp - iat); the token command refuses a longer one. */
  readonly jwtMaxTtlSeconds: number;
  /** Highest priority an operator may submit or retry with; admins may use any. */
  readonly maxOperatorPriority: JobPriority;
  /** Execution slots of the worker running inside the API process (0 = none). */
  readonly embeddedWorkerCapacity: number;
  readonly workerCapacity: number;
  readonly nodeId: string;
  readonly heartbeatSeconds: number;
  /**
   * A node that holds no job and has nothing new to say stores its heartbeat only this often:
   * 3 × HEARTBEAT_SECONDS, at most half the lease (so it stays live), at least HEARTBEAT_SECONDS.
   */
  readonly idleHeartbeatSeconds: number;
  /** A free node is woken by queue signals; it also looks for jobs this often, in case a signal was lost. */
  readonly claimPollSeconds: number;
  /** A node silent for this long loses its running jobs back to the queue. */
  readonly leaseSeconds: number;
  /** How often a process tries to take the roles it does not lead (and a leader of every role checks its lock connection, every second time). */
  readonly leaderCheckSeconds: number;
  /** How often the supervisor reads stored due times (timeouts, leases, unreported jobs). */
  readonly supervisorSweepSeconds: number;
  /** Longest a caught-up event subscriber waits for a wake-up (NOTIFY) before reading anyway. */
  readonly eventPollSeconds: number;
  /** Seconds between the comment heartbeats of an event feed (SSE) connection. */
  readonly eventFeedHeartbeatSeconds: number;
  /** Attempts a job may lose with its node; the last one fails it (NodeLost) instead of requeueing it forever. */
  readonly maxLostAttempts: number;
  /** A job runner process is replaced after this many jobs. */
  readonly runnerMaxJobs: number;
  /** Events per batch (one transaction) of a blue/green read model rebuild. */
  readonly rebuildBatchSize: number;
  /** A job runner whose resident memory is above this (MB) after a job is replaced. */
  readonly runnerMaxRssMb: number;
  readonly runnerReadyTimeoutMs: number;
  /** Dataset import processes an API keeps started while idle, so an upload does not wait for one to start. */
  readonly datasetImportReadyProcesses: number;
  /** Threads that parse a large CSV upload's blocks beside the import process's own (0: it reads alone). */
  readonly datasetImportReadThreads: number;
  /** Events of loaded logs a job runner keeps for the next jobs on the same dataset (0: none). */
  readonly runnerLogCacheEvents: number;
  /** At most one progress report per running job per this interval. */
  readonly progressMinIntervalMs: number;
  /** Without a change of stage, a running job's progress is reported this often. */
  readonly progressEveryMs: number;
  /** Queue aging: each priority level is worth this much waiting. */
  readonly agingSecondsPerLevel: number;
  /** Job execution log lines older than this (days) are deleted by the supervisor. */
  readonly jobLogRetentionDays: number;
  /** Running jobs one tenant may have at once (null = unlimited), TENANT_MAX_RUNNING_JOBS; tenantQuotas overrides it per tenant. */
  readonly tenantMaxRunningJobs: number | null;
  /** Queued and running jobs per tenant (TENANT_MAX_QUEUED_JOBS, TENANT_MAX_RUNNING_JOBS, TENANT_QUOTAS): a submit beyond the queued cap is refused with 429, claims skip a tenant at its running cap. */
  readonly tenantQuotas: TenantQuotas;
  /** The schedule firer wakes at the next due fire time; it also looks this often, in case a change's wake-up was lost. */
  readonly schedulePollSeconds: number;
  /** How long a query may wait for the projection to catch up with the caller's last write. */
  readonly readYourWritesTimeoutMs: number;
  /** Largest accepted dataset upload. */
  readonly maxUploadBytes: number;
  /** Limits that keep one request from exhausting the process (see README "Limits"). */
  readonly limits: RequestLimits;
  readonly retries: RetryConfig;
}

export interface RequestLimits {
  /** A gzipped event log may inflate to at most this many bytes. */
  readonly maxDecompressedBytes: number;
  /** Records (CSV rows, XES events) one dataset may hold. */
  readonly maxDatasetEvents: number;
  /** Nesting of a JSON body (objects and arrays). */
  readonly maxJsonDepth: number;
  /** Object keys plus array items in one JSON body. */
  readonly maxJsonKeys: number;
  /** The whole request (headers and body) must arrive within this (0 = no limit). */
  readonly requestTimeoutMs: number;
  /** A request body that sends nothing for this long is answered 408 and closed. */
  readonly bodyIdleTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  /** On shutdown, requests still open after this are cut off. */
  readonly shutdownGraceMs: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

/** A number of seconds above zero (fractions allowed). */
function positiveSecondsFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFromEnv(env, name, fallback);
  if (value <= 0) throw new Error(`${name} must be a positive number of seconds, got "${env[name]}"`);
  return value;
}

/** A positive whole number, or null when unset (no limit). */
function priorityFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: JobPriority): JobPriority {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(JOB_PRIORITIES as readonly string[]).includes(raw)) throw new Error(`${name} must be one of ${JOB_PRIORITIES.join(', ')}, got "${raw}"`);
  return raw as JobPriority;
}

function positiveDaysFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFromEnv(env, name, fallback);
  if (value <= 0) throw new Error(`${name} must be a positive number of days, got "${env[name]}"`);
  return value;
}

function wholeNumberFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFromEnv(env, name, fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a whole number of at least 1`);
  return value;
}

function countFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = intFromEnv(env, name, fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of at least 0`);
  return value;
}

/** One read thread per core up to four, none on a single core (the merge of the blocks would only compete with their parse). */
function defaultReadThreads(): number {
  const cores = os.availableParallelism();
  return cores < 2 ? 0 : Math.min(cores, 4);
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const jwtMaxTtlSeconds = intFromEnv(env, 'JWT_MAX_TTL_SECONDS', DEFAULT_TOKEN_MAX_TTL_SECONDS);
  if (!Number.isInteger(jwtMaxTtlSeconds) || jwtMaxTtlSeconds < 1) throw new Error(`JWT_MAX_TTL_SECONDS must be a positive whole number of seconds`);
  const workerCapacity = intFromEnv(env, 'WORKER_CAPACITY', Math.max(1, os.availableParallelism()));
  const dataDir = path.resolve(env.DATA_DIR || './data');
  // Queue signals wake a node (and every node after its LISTEN connection comes back): the poll covers only a lost NOTIFY.
  const claimPollSeconds = intFromEnv(env, 'CLAIM_POLL_SECONDS', 30);
  if (claimPollSeconds <= 0) throw new Error(`CLAIM_POLL_SECONDS must be a positive number of seconds`);
  const leaseSeconds = intFromEnv(env, 'LEASE_SECONDS', 30);
  const heartbeatSeconds = intFromEnv(env, 'HEARTBEAT_SECONDS', 5);
  const leaderCheckSeconds = positiveSecondsFromEnv(env, 'LEADER_CHECK_SECONDS', 5);
  // A third of the lease (1 to 10 s): an expired lease is acted on well before a second one passes.
  const supervisorSweepSeconds = positiveSecondsFromEnv(env, 'SUPERVISOR_SWEEP_SECONDS', Math.min(10, Math.max(1, leaseSeconds / 3)));
  const eventPollSeconds = positiveSecondsFromEnv(env, 'EVENT_POLL_SECONDS', 60);
  const stores = loadStoreLocations(env);
  const tenantQuotas = tenantQuotasFromEnv(env);
  // The queued cap counts the tenant's views under a lock on the state store: both must be one database.
  if (stores.views.kind !== 'state' && hasQueuedCap(tenantQuotas)) {
    throw new Error('TENANT_MAX_QUEUED_JOBS and TENANT_QUOTAS need the job views on the state store: leave READ_STORE_URL unset (or naming DATABASE_URL\'s database) to use a queued-jobs quota');
  }
  return {
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    stores,
    databaseSchema: env.DATABASE_SCHEMA || null,
    databasePoolSize: wholeNumberFromEnv(env, 'DATABASE_POOL_SIZE', 20),
    embeddedSharedBuffersMb: wholeNumberFromEnv(env, 'EMBEDDED_SHARED_BUFFERS_MB', DEFAULT_PGLITE_SHARED_BUFFERS_MB),
    filesDir: path.resolve(env.FILES_DIR || path.join(dataDir, 'files')),
    jwtSecret: env.JWT_SECRET || null,
    jwtAudience: env.JWT_AUDIENCE || DEFAULT_TOKEN_AUDIENCE,
    jwtMaxTtlSeconds,
    maxOperatorPriority: priorityFromEnv(env, 'MAX_OPERATOR_PRIORITY', 'High'),
    embeddedWorkerCapacity: intFromEnv(env, 'EMBEDDED_WORKER_CAPACITY', workerCapacity),
    workerCapacity,
    nodeId: env.NODE_ID || `${os.hostname()}-${process.pid}`,
    heartbeatSeconds,
    idleHeartbeatSeconds: Math.max(heartbeatSeconds, Math.min(3 * heartbeatSeconds, leaseSeconds / 2)),
    claimPollSeconds,
    leaseSeconds,
    leaderCheckSeconds,
    supervisorSweepSeconds,
    eventPollSeconds,
    eventFeedHeartbeatSeconds: positiveSecondsFromEnv(env, 'EVENT_FEED_HEARTBEAT_SECONDS', 15),
    maxLostAttempts: Math.max(1, intFromEnv(env, 'MAX_LOST_ATTEMPTS', 3)),
    runnerMaxJobs: wholeNumberFromEnv(env, 'RUNNER_MAX_JOBS', 500),
    rebuildBatchSize: wholeNumberFromEnv(env, 'REBUILD_BATCH_SIZE', 10_000),
    runnerMaxRssMb: wholeNumberFromEnv(env, 'RUNNER_MAX_RSS_MB', 1024),
    runnerReadyTimeoutMs: positiveSecondsFromEnv(env, 'RUNNER_READY_TIMEOUT_SECONDS', 30) * 1000,
    runnerLogCacheEvents: countFromEnv(env, 'RUNNER_LOG_CACHE_EVENTS', 200_000),
    datasetImportReadyProcesses: countFromEnv(env, 'DATASET_IMPORT_READY_PROCESSES', 1),
    datasetImportReadThreads: countFromEnv(env, 'DATASET_IMPORT_READ_THREADS', defaultReadThreads()),
    progressMinIntervalMs: positiveSecondsFromEnv(env, 'PROGRESS_MIN_INTERVAL', 1) * 1000,
    progressEveryMs: positiveSecondsFromEnv(env, 'PROGRESS_SECONDS', 5) * 1000,
    agingSecondsPerLevel: intFromEnv(env, 'QUEUE_AGING_SECONDS', 600),
    jobLogRetentionDays: positiveDaysFromEnv(env, 'JOB_LOG_RETENTION_DAYS', 30),
    tenantMaxRunningJobs: tenantQuotas.defaults.maxRunningJobs,
    tenantQuotas,
    schedulePollSeconds: positiveSecondsFromEnv(env, 'SCHEDULE_POLL_SECONDS', 60),
    readYourWritesTimeoutMs: intFromEnv(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000),
    maxUploadBytes: intFromEnv(env, 'MAX_UPLOAD_MB', 512) * 1024 * 1024,
    retries: loadRetryConfig(env),
    limits: {
      maxDecompressedBytes: intFromEnv(env, 'MAX_DECOMPRESSED_MB', 2048) * 1024 * 1024,
      maxDatasetEvents: intFromEnv(env, 'MAX_DATASET_EVENTS', 5_000_000),
      maxJsonDepth: intFromEnv(env, 'MAX_JSON_DEPTH', 32),
      maxJsonKeys: intFromEnv(env, 'MAX_JSON_KEYS', 10_000),
      requestTimeoutMs: intFromEnv(env, 'HTTP_REQUEST_TIMEOUT_SECONDS', 900) * 1000,
      bodyIdleTimeoutMs: intFromEnv(env, 'HTTP_BODY_IDLE_TIMEOUT_SECONDS', 30) * 1000,
      keepAliveTimeoutMs: intFromEnv(env, 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS', 72) * 1000,
      shutdownGraceMs: intFromEnv(env, 'HTTP_SHUTDOWN_GRACE_SECONDS', 5) * 1000,
    },
  };
}

export const SERVICE_CONFIG = Symbol('ServiceConfig');

/** The configuration of a starting process; a bad setting ends it with exit code 2 and the message naming the setting. */
export function loadServiceConfigOrExit(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  try {
    return loadServiceConfig(env);
  } catch (error) {
    // A bad setting (a URL's scheme, a number) is the operator's to fix: the message names it.
    process.stderr.write(`cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
