/**
 * Everything configurable, read once from the environment. Defaults run the whole
 * service on the embedded store (PGlite in DATA_DIR) with one in-process worker.
 */
import os from 'node:os';
import path from 'node:path';

export interface ServiceConfig {
  readonly port: number;
  readonly host: string;
  /** Folder for the embedded database, datasets, artifacts and the local signing secret. */
  readonly dataDir: string;
  /** PostgreSQL server; when absent the embedded PGlite store in dataDir is used. */
  readonly databaseUrl: string | null;
  /** PostgreSQL schema for all tables (default: the server's search_path). */
  readonly databaseSchema: string | null;
  /** Datasets and artifacts; shared by every process (a mounted volume when they run on several machines). */
  readonly filesDir: string;
  /** HS256 secret for Bearer tokens; when absent one is generated into dataDir. */
  readonly jwtSecret: string | null;
  /** Execution slots of the worker running inside the API process (0 = none). */
  readonly embeddedWorkerCapacity: number;
  readonly workerCapacity: number;
  readonly nodeId: string;
  readonly heartbeatSeconds: number;
  /** A node silent for this long loses its running jobs back to the queue. */
  readonly leaseSeconds: number;
  /** Attempts a job may lose with its node; the last one fails it (NodeLost) instead of requeueing it forever. */
  readonly maxLostAttempts: number;
  /** Queue aging: each priority level is worth this much waiting. */
  readonly agingSecondsPerLevel: number;
  /** How long a query may wait for the projection to catch up with the caller's last write. */
  readonly readYourWritesTimeoutMs: number;
  /** Largest accepted dataset upload. */
  readonly maxUploadBytes: number;
}

function intFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number, got "${raw}"`);
  return value;
}

export function loadServiceConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const workerCapacity = intFromEnv(env, 'WORKER_CAPACITY', Math.max(1, os.availableParallelism()));
  const dataDir = path.resolve(env.DATA_DIR || './data');
  return {
    port: intFromEnv(env, 'PORT', 3000),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl: env.DATABASE_URL || null,
    databaseSchema: env.DATABASE_SCHEMA || null,
    filesDir: path.resolve(env.FILES_DIR || path.join(dataDir, 'files')),
    jwtSecret: env.JWT_SECRET || null,
    embeddedWorkerCapacity: intFromEnv(env, 'EMBEDDED_WORKER_CAPACITY', workerCapacity),
    workerCapacity,
    nodeId: env.NODE_ID || `${os.hostname()}-${process.pid}`,
    heartbeatSeconds: intFromEnv(env, 'HEARTBEAT_SECONDS', 5),
    leaseSeconds: intFromEnv(env, 'LEASE_SECONDS', 30),
    maxLostAttempts: Math.max(1, intFromEnv(env, 'MAX_LOST_ATTEMPTS', 3)),
    agingSecondsPerLevel: intFromEnv(env, 'QUEUE_AGING_SECONDS', 600),
    readYourWritesTimeoutMs: intFromEnv(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 5000),
    maxUploadBytes: intFromEnv(env, 'MAX_UPLOAD_MB', 512) * 1024 * 1024,
  };
}

export const SERVICE_CONFIG = Symbol('ServiceConfig');
