/**
 * A real execution node on a real store running real jobs in child processes:
 * a final report refused by the database for a while is retried until it lands, and
 * every short job reports what its process really used.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { RUNNING_EXAMPLE_CSV } from '../../../test/support/fixtures.js';
import {
  ExecutionNode as BuiltExecutionNode, JobProjection as BuiltJobProjection, JobRepository as BuiltJobRepository,
  loadServiceConfig, openStores, registerDatasetFromFile,
} from '../../../test/support/built-node-stack.js';
import type { JobRepository, JobState } from '../../job-domain/src/index.js';
import type { JobProjection } from '../../read-store/src/projections/job-projection.js';
import type { Stores } from '../../storage/src/open-stores.js';
import type { ExecutionNode } from './execution-node.js';
import { seedEmbeddedStore } from '../../../test/support/pglite-templates.js';


const server = await resolveTestPostgres('execution node integration suite');
const meta = () => ({ actor: 'test', correlationId: randomUUID(), causationId: randomUUID() });
const tenantId = randomUUID();
const projectId = randomUUID();
const warnings: string[] = [];
const logger = { log: () => undefined, warn: (m: string) => void warnings.push(m) };
let dir: string;
let schema: string;
let stores: Stores;
let repository: JobRepository;
let projection: JobProjection;
let node: ExecutionNode;
let datasetId: string;

async function submitVariants(): Promise<string> {
  const jobId = randomUUID();
  const result = await repository.execute(jobId, {
    kind: 'SubmitJob',
    submission: {
      jobId, tenantId, projectId, jobName: 'variants', jobDescription: null, jobType: 'Analysis', priority: 'Normal', resource: null,
      parameters: { datasetId, analysisType: 'variants' }, scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 5 },
      notifications: { onCompletion: false, onFailure: false, emailRecipients: [] }, submittedBy: 'test',
      submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
    },
  }, meta());
  await projection.waitFor(result.position!, 10_000);
  return jobId;
}

async function ended(jobId: string, timeoutMs = 40_000): Promise<JobState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await repository.load(jobId);
    if (state && state.status !== 'Queued' && state.status !== 'Running') return state;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${state?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The embedded store (PGlite, always here) and a PostgreSQL server (when there is one).
const targets: { name: string; env: (schema: string) => Record<string, string> }[] = [
  { name: 'the embedded store', env: () => ({}) },
  ...(server ? [{ name: 'PostgreSQL', env: (schema: string) => ({ DATABASE_URL: server.url, DATABASE_SCHEMA: schema }) }] : []),
];

describe.each(targets)('execution node on $name', ({ env }) => {
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'node-int-'));
    seedEmbeddedStore(dir);
    schema = randomSchemaName('node_int');
    stores = await openStores(loadServiceConfig({ DATA_DIR: dir, ...env(schema) }));
    repository = new BuiltJobRepository(stores.events);
    projection = new BuiltJobProjection(stores.events, stores.jobs, logger);
    await projection.start();
    const upload = path.join(dir, 'upload.csv');
    await copyFile(RUNNING_EXAMPLE_CSV, upload);
    datasetId = (await registerDatasetFromFile(stores.files, stores.datasets, {
      tenantId, projectId, filePath: upload, originalName: 'running-example.csv', name: 'running example', columns: {},
      createdBy: 'test', sourceJobId: null,
    })).datasetId;
    node = new BuiltExecutionNode(stores, repository, {
      nodeId: 'int-node', capacity: 2, heartbeatSeconds: 1, pollIntervalMs: 100, maxLostAttempts: 3,
    }, logger);
    await node.start();
  });

  afterAll(async () => {
    await node?.stop(0);
    await projection?.stop();
    await stores?.close();
    if (server && stores?.kind === 'pg') await dropSchema(server.url, schema).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('retries a final report the database refuses for a while, and stores it once', async () => {
    // A real database error on the completing append (the first two tries), then the database is back.
    // A sequence counts the tries: unlike a table row, nextval survives the rollback the error causes.
    await stores.sql.query(`CREATE SEQUENCE completion_tries`);
    await stores.sql.query(`
      CREATE FUNCTION refuse_completion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF nextval('completion_tries') <= 2 THEN RAISE EXCEPTION 'database unavailable (test)'; END IF;
        RETURN NEW;
      END $$`);
    await stores.sql.query(`CREATE TRIGGER refuse_completion BEFORE INSERT ON events FOR EACH ROW
      WHEN (NEW.event_type = 'JobCompleted') EXECUTE FUNCTION refuse_completion()`);
    try {
      const jobId = await submitVariants();
      const state = await ended(jobId);
      expect(state.status).toBe('Completed');
      expect(Number((await stores.sql.query<{ n: string }>(`SELECT last_value AS n FROM completion_tries`))[0].n)).toBe(3);
      expect(warnings.filter((w) => w.includes(jobId) && w.includes('CompleteJob failed'))).toHaveLength(2);
      const types = (await stores.events.readStream(`job-${jobId}`)).map((e: { type: string }) => e.type);
      expect(types.filter((t: string) => t === 'JobCompleted')).toHaveLength(1);
    } finally {
      await stores.sql.query(`DROP TRIGGER refuse_completion ON events`);
    }
  });

  it('ends every short job with the measured totals of its own process', async () => {
    const jobIds = await Promise.all(Array.from({ length: 32 }, () => submitVariants()));
    for (const jobId of jobIds) {
      const state = await ended(jobId);
      // A result whose IPC message is handled after the process's exit event must not be lost.
      expect({ status: state.status, failure: state.failure }).toEqual({ status: 'Completed', failure: null });
      const execution = state.outcome!.execution;
      expect(execution.cpuTimeSeconds).toBeGreaterThan(0);
      expect(execution.peakMemoryBytes).toBeGreaterThan(20 * 1024 * 1024); // a Node.js process, not an early sample
      expect(execution.diskBytesWritten).toBeGreaterThan(0); // the report it wrote
      expect(execution.diskIoOperations).not.toBeNull();
      expect(execution.wallTimeSeconds).toBeGreaterThan(0);
      // Artifacts live in the folder of the attempt that produced them.
      expect(state.outcome!.outputFolder).toBe(`${jobId}.attempt-${state.claimRevision}`);
      for (const a of state.outcome!.artifacts) {
        const file = stores.files.jobArtifactPath(tenantId, projectId, jobId, a.fileName, state.outcome);
        expect((await stat(file)).size).toBe(a.sizeBytes);
      }
    }
  }, 90_000);
});
