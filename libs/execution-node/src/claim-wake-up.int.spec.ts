/**
 * Push wake-up of execution nodes, on the embedded store (in-process signals) and on
 * PostgreSQL (NOTIFY, with jobs submitted and projected through another pool, as by another
 * process). Every node here polls once a minute, so a job started within seconds was
 * started by a signal or its scheduled-time timer; the claim rounds are counted at the
 * node's read store.
 */
import { randomUUID } from 'node:crypto';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../test/support/postgres.js';
import { RUNNING_EXAMPLE_CSV } from '../../../test/support/fixtures.js';
import {
  ExecutionNode as BuiltExecutionNode, JobProjection as BuiltJobProjection, JobRepository as BuiltJobRepository,
  loadServiceConfig, openStores, registerDatasetFromFile,
} from '../../../test/support/built-node-stack.js';
import { quietPeriod, waitFor } from '../../../test/support/wait-for.js';
import type { JobRepository, JobState } from '../../job-domain/src/index.js';
import type { JobQueueSignals } from '../../read-store/src/job-queue-signals.js';
import type { JobProjection } from '../../read-store/src/projections/job-projection.js';
import type { Stores } from '../../storage/src/open-stores.js';
import type { ExecutionNode } from './execution-node.js';
import { seedEmbeddedStore } from '../../../test/support/pglite-templates.js';


const A_MINUTE_MS = 60_000;
const server = await resolveTestPostgres('claim wake-up integration suite');
const meta = () => ({ actor: 'test', correlationId: randomUUID(), causationId: randomUUID() });
const quiet = { log: () => undefined, warn: () => undefined };

/** Signals that never arrive: a node on them can only find jobs by polling. */
const deafSignals: JobQueueSignals = {
  onJobQueued: async () => async () => undefined,
  announceJobQueued: () => undefined,
  close: async () => undefined,
};

const targets: { name: string; env: (schema: string) => Record<string, string> }[] = [
  { name: 'the embedded store', env: () => ({}) },
  ...(server ? [{ name: 'PostgreSQL', env: (schema: string) => ({ DATABASE_URL: server.url, DATABASE_SCHEMA: schema }) }] : []),
];

describe.each(targets)('claim wake-up on $name', ({ env }) => {
  let dir: string;
  let schema: string;
  /** What the node uses. */
  let nodeStores: Stores;
  /** Where jobs are submitted and projected: another pool on PostgreSQL, the same process embedded. */
  let submitterStores: Stores;
  let repository: JobRepository;
  let projection: JobProjection;
  let datasetId: string;
  const tenantId = randomUUID();
  const projectId = randomUUID();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wake-int-'));
    seedEmbeddedStore(dir);
    schema = randomSchemaName('wake_int');
    const config = loadServiceConfig({ DATA_DIR: dir, ...env(schema) });
    nodeStores = await openStores(config);
    submitterStores = nodeStores.kind === 'pg' ? await openStores(config) : nodeStores;
    repository = new BuiltJobRepository(submitterStores.events);
    projection = new BuiltJobProjection(submitterStores.events, submitterStores.jobs, quiet);
    await projection.start();
    const upload = path.join(dir, 'upload.csv');
    await copyFile(RUNNING_EXAMPLE_CSV, upload);
    datasetId = (await registerDatasetFromFile(submitterStores.files, submitterStores.datasets, {
      tenantId, projectId, filePath: upload, originalName: 'running-example.csv', name: 'running example', columns: {},
      createdBy: 'test', sourceJobId: null,
    })).datasetId;
  });

  afterAll(async () => {
    await projection?.stop();
    if (submitterStores !== nodeStores) await submitterStores?.close();
    await nodeStores?.close();
    if (server && nodeStores?.kind === 'pg') await dropSchema(server.url, schema).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  /** A node polling every `pollIntervalMs`, whose claim rounds are counted where they read the queue. */
  async function startNode(pollIntervalMs: number, queue: JobQueueSignals = nodeStores.queue) {
    const counts = { claimRounds: 0, scheduleLookups: 0 };
    const jobs = new Proxy(nodeStores.jobs, {
      get(target, property, receiver) {
        if (property === 'nextQueuedJobDocuments') counts.claimRounds += 1;
        if (property === 'nextScheduledStart') counts.scheduleLookups += 1;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const node: ExecutionNode = new BuiltExecutionNode({ ...nodeStores, jobs, queue }, new BuiltJobRepository(nodeStores.events), {
      nodeId: `wake-${randomUUID().slice(0, 8)}`, capacity: 1, heartbeatSeconds: 30, pollIntervalMs, maxLostAttempts: 3,
    }, quiet);
    await node.start();
    try {
      // The start-up round has read the queue (and, with nothing queued, looked for a scheduled job).
      await waitFor(() => counts.scheduleLookups > 0, 5000, 20, 'the start-up claim round');
    } catch (error) {
      await node.stop(0);
      throw error;
    }
    return { node, counts };
  }

  async function submit(scheduledTime: string | null = null): Promise<string> {
    const jobId = randomUUID();
    const result = await repository.execute(jobId, {
      kind: 'SubmitJob',
      submission: {
        jobId, tenantId, projectId, jobName: 'variants', jobDescription: null, jobType: 'Analysis', priority: 'Normal', resource: null,
        parameters: { datasetId, analysisType: 'variants' },
        scheduling: { executeImmediately: scheduledTime === null, scheduledTime, timeoutMinutes: 5 },
        notifications: { onCompletion: false, onFailure: false, emailRecipients: [] }, submittedBy: 'test',
        submittedAt: new Date().toISOString(), retryOf: null, attempt: 1,
      },
    }, meta());
    expect(await projection.waitFor(result.position!, 10_000)).toBe(true);
    return jobId;
  }

  const startedState = (jobId: string, timeoutMs: number) => waitFor(async () => {
    const state = await repository.load(jobId);
    return state?.startedAt ? state : null;
  }, timeoutMs, 20, `job ${jobId} to start`);

  const endedState = (jobId: string) => waitFor(async () => {
    const state: JobState | null = await repository.load(jobId);
    return state && state.status !== 'Queued' && state.status !== 'Running' ? state : null;
  }, 30_000, 100, `job ${jobId} to end`);

  it('starts a submitted job within two seconds though the node polls once a minute', async () => {
    const { node } = await startNode(A_MINUTE_MS);
    try {
      const queuedAt = Date.now();
      const jobId = await submit();
      const state = await startedState(jobId, 2000);
      expect(state.nodeId).toBe(node.nodeId);
      expect(Date.parse(state.startedAt!) - queuedAt).toBeLessThan(2000);
      expect((await endedState(jobId)).status).toBe('Completed');
    } finally {
      await node.stop(0);
    }
  }, 45_000);

  it('issues no claim query while idle, and a burst of wake-ups costs exactly two claim rounds', async () => {
    const { node, counts } = await startNode(A_MINUTE_MS);
    try {
      const before = counts.claimRounds;
      await quietPeriod(1500); // the subject: nothing happens on an idle node
      expect(counts.claimRounds).toBe(before);
      for (let i = 0; i < 20; i++) submitterStores.queue.announceJobQueued();
      await waitFor(() => counts.claimRounds >= before + 2, 5000, 20, 'the two claim rounds');
      await quietPeriod(1000); // and no third one
      expect(counts.claimRounds).toBe(before + 2);
    } finally {
      await node.stop(0);
    }
  }, 30_000);

  it('finds a job whose signal was lost by its fallback poll', async () => {
    const { node, counts } = await startNode(500, deafSignals);
    try {
      const jobId = await submit();
      const state = await startedState(jobId, 5000);
      expect(state.nodeId).toBe(node.nodeId);
      expect(counts.claimRounds).toBeGreaterThan(1); // found by a poll round, not the start-up one
      expect((await endedState(jobId)).status).toBe('Completed');
    } finally {
      await node.stop(0);
    }
  }, 45_000);

  it('starts a scheduled job at its time, woken by its timer rather than the poll', async () => {
    const { node } = await startNode(A_MINUTE_MS);
    try {
      const scheduledTime = new Date(Date.now() + 2500).toISOString();
      const jobId = await submit(scheduledTime);
      const state = await startedState(jobId, 6000);
      expect(state.nodeId).toBe(node.nodeId);
      const lateMs = Date.parse(state.startedAt!) - Date.parse(scheduledTime);
      expect(lateMs).toBeGreaterThanOrEqual(0);
      expect(lateMs).toBeLessThan(1500);
      expect((await endedState(jobId)).status).toBe('Completed');
    } finally {
      await node.stop(0);
    }
  }, 45_000);
});
