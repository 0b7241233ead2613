/**
 * The stores chosen by URL, over real HTTP: an API process and a worker process with the
 * event store (EVENT_STORE_URL), the job views (READ_STORE_URL) and the state store
 * (DATABASE_URL) in three different PostgreSQL databases. Events and views cannot commit
 * together there, so the job projection writes the views and commands wait for it. Jobs
 * run and complete; status, list, results, history, the event feed and the exports all
 * answer; each row lands in its own database; the worker's readiness follows its stores.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { openEventStream } from '../support/event-feed-client.js';
import { resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('stores chosen by URL end-to-end suite');

function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs statements on the server's own database (CREATE/DROP DATABASE cannot run in the one dropped). */
async function onServer<T>(run: (client: pg.Client) => Promise<T>, url = server!.url): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

(server ? describe : describe.skip)('stores in three PostgreSQL databases: events, job views and state apart', () => {
  const suffix = Math.random().toString(36).slice(2, 10);
  const databases = { state: `stores_state_${suffix}`, events: `stores_events_${suffix}`, views: `stores_views_${suffix}` };
  const urls = {
    state: databaseUrl(server?.url ?? 'postgres://x/x', databases.state),
    events: databaseUrl(server?.url ?? 'postgres://x/x', databases.events),
    views: databaseUrl(server?.url ?? 'postgres://x/x', databases.views),
  };
  const tenant = randomUUID();
  const project = randomUUID();
  const base = `/api/${tenant}/${project}`;
  let filesDir: string;
  let service: ServiceProcess;
  let worker: WorkerProcess;
  let workerHealth: string;
  let token: string;
  let datasetId: string;
  const jobIds: string[] = [];

  beforeAll(async () => {
    await onServer(async (client) => {
      for (const name of Object.values(databases)) await client.query(`CREATE DATABASE "${name}"`);
    });
    filesDir = mkdtempSync(path.join(os.tmpdir(), 'stores-files-'));
    const env = {
      DATABASE_URL: urls.state, EVENT_STORE_URL: urls.events, READ_STORE_URL: urls.views, FILES_DIR: filesDir,
      HEARTBEAT_SECONDS: '1', CLAIM_POLL_SECONDS: '1',
    };
    // The API runs no job itself: the worker runs them all.
    service = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '0' });
    worker = await startWorkerProcess('stores-node', { ...env, DATA_DIR: service.dataDir, WORKER_CAPACITY: '2', METRICS_PORT: '0' });
    workerHealth = `http://127.0.0.1:${/metrics on port (\d+)/.exec(worker.output())![1]}/health`;
    token = await service.token(tenant, [project]);
    datasetId = await uploadDataset(service, token, base);
  }, 120_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    if (filesDir) rmSync(filesDir, { recursive: true, force: true });
    if (server) {
      await onServer(async (client) => {
        for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      });
    }
  });

  it('runs jobs to completion, each command visible at once, and every read answers', async () => {
    for (let i = 0; i < 3; i++) {
      const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
        jobName: `stores apart ${i}`, jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      });
      expect(submitted.status).toBe(201);
      // Read-your-writes: the projection has written the view before the command answered.
      const status = await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`);
      expect(status.status).toBe(200);
      expect(status.body.jobId).toBe(submitted.body.jobId);
      jobIds.push(submitted.body.jobId);
    }
    for (const jobId of jobIds) {
      await waitFor(async () => {
        const job = (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
        if (['Failed', 'Cancelled'].includes(job.status)) throw new Error(`job ${jobId} ended ${job.status}: ${JSON.stringify(job)}`);
        return job.status === 'Completed' ? job : null;
      }, 60_000, 100, `job ${jobId} to complete`);
    }

    const list = await api(service.url, token, 'GET', `${base}/execution/jobs?status=Completed`);
    expect(list.status).toBe(200);
    expect(list.body.jobs.map((j: { jobId: string }) => j.jobId).sort()).toEqual([...jobIds].sort());

    const results = await api(service.url, token, 'GET', `${base}/execution/job/${jobIds[0]}/results`);
    expect(results.status).toBe(200);
    expect(results.body.jobId).toBe(jobIds[0]);

    // Log lines are on the state store here (no statement shares them with the views).
    const logs = await api(service.url, token, 'GET', `${base}/execution/job/${jobIds[0]}/logs`);
    expect(logs.status).toBe(200);
    expect(logs.body.logs.length).toBeGreaterThan(0);

    const history = await api(service.url, token, 'GET', `${base}/execution/job/${jobIds[0]}/history?asOfRevision=0`);
    expect(history.status).toBe(200);
    const types = history.body.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('JobSubmitted');
    expect(types).toContain('JobCompleted');
    expect(history.body.jobAsOfRevision.status).toBe('Queued');

    // The project's feed (NDJSON) and one job's, the job-type filter among them (job types from the read store).
    const ndjson = async (urlPath: string) => {
      const response = await fetch(`${service.url}${urlPath}`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' } });
      expect(response.status).toBe(200);
      return (await response.text()).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { jobId: string; type: string; position: string });
    };
    const feed = await ndjson(`${base}/execution/events?limit=1000`);
    for (const jobId of jobIds) expect(feed.filter((e) => e.jobId === jobId).map((e) => e.type)).toContain('JobCompleted');
    const analyses = await ndjson(`${base}/execution/events?limit=1000&jobType=Analysis`);
    expect(analyses.map((e) => e.position)).toEqual(feed.filter((e) => e.jobId !== null).map((e) => e.position));
    expect(await ndjson(`${base}/execution/events?limit=1000&jobType=Notebook`)).toEqual([]);
    const oneJob = await ndjson(`${base}/execution/job/${jobIds[1]}/events`);
    expect(oneJob.map((e) => e.position)).toEqual(feed.filter((e) => e.jobId === jobIds[1]).map((e) => e.position));

    // SSE with the job-type filter: catch-up through the event store port, then live from the
    // shared tail, a new job's type learnt from the read store or its JobSubmitted.
    const stream = await openEventStream(`${service.url}${base}/execution/events?jobType=Analysis`, token);
    try {
      expect(stream.status).toBe(200);
      const seen = (jobId: string, type: string) => stream.events.some((e) => {
        const event = JSON.parse(e.data) as { jobId: string; type: string };
        return event.jobId === jobId && event.type === type;
      });
      await waitFor(() => jobIds.every((jobId) => seen(jobId, 'JobCompleted')), 15_000, 50, 'the SSE catch-up to reach every job\'s end');
      const live = await api(service.url, token, 'POST', `${base}/execution/job`, {
        jobName: 'followed live', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      });
      expect(live.status).toBe(201);
      // The job's end first, then the feed's: a timeout then says which of the two did not come.
      await waitFor(async () => (await api(service.url, token, 'GET', `${base}/execution/job/${live.body.jobId}`)).body.status === 'Completed', 60_000, 100, 'the live job to complete');
      await waitFor(() => seen(live.body.jobId, 'JobCompleted'), 15_000, 50, 'the live job\'s end on the SSE feed');
      const ids = stream.events.map((e) => e.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      stream.close();
    }

    const ocel = await api(service.url, token, 'GET', `${base}/execution/events/export?format=ocel`);
    expect(ocel.status).toBe(200);
    expect(JSON.stringify(ocel.body)).toContain(jobIds[2]);
    const xes = await api(service.url, token, 'GET', `${base}/execution/events/export?format=xes`);
    expect(xes.status).toBe(200);
    expect(String(xes.body)).toContain(jobIds[2]);
  }, 120_000);

  it('keeps events only in the event store, job views only in the read store, datasets and job logs in the state store', async () => {
    const tablesOf = (url: string) => onServer(async (client) => {
      const { rows } = await client.query<{ events: string | null; views: string | null; datasets: string | null }>(
        `SELECT to_regclass('events')::text AS events, to_regclass('job_views')::text AS views, to_regclass('datasets')::text AS datasets`);
      return rows[0];
    }, url);
    expect(await tablesOf(urls.events)).toEqual({ events: 'events', views: null, datasets: null });
    expect(await tablesOf(urls.views)).toEqual({ events: null, views: 'job_views', datasets: null });
    expect(await tablesOf(urls.state)).toEqual({ events: null, views: null, datasets: 'datasets' });

    const count = (url: string, sql: string, params: unknown[]) =>
      onServer(async (client) => Number((await client.query<{ n: string }>(sql, params)).rows[0].n), url);
    const streams = jobIds.map((id) => `job-${id}`);
    expect(await count(urls.events, `SELECT count(DISTINCT stream_id) AS n FROM events WHERE stream_id = ANY ($1)`, [streams])).toBe(3);
    expect(await count(urls.views, `SELECT count(*) AS n FROM job_views WHERE job_id = ANY ($1) AND status = 'Completed'`, [jobIds])).toBe(3);
    expect(await count(urls.views, `SELECT count(*) AS n FROM execution_nodes WHERE node_id = 'stores-node'`, [])).toBe(1);
    expect(await count(urls.state, `SELECT count(*) AS n FROM datasets WHERE tenant_id = $1`, [tenant])).toBeGreaterThanOrEqual(1);
    expect(await count(urls.state, `SELECT count(DISTINCT job_id) AS n FROM job_log_lines WHERE job_id = ANY ($1)`, [jobIds])).toBe(3);
    // The read store's migration creates the table wherever the views are; no line goes there.
    expect(await count(urls.views, `SELECT count(*) AS n FROM job_log_lines`, [])).toBe(0);
  });

  it('reports where each store lives, and the queue depth read through the read store', async () => {
    const ready = await api(service.url, null, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.stores).toEqual({ state: 'postgres', events: 'postgres', views: 'postgres' });
    // A job scheduled an hour from now waits Queued; the gauge counts it.
    const scheduled = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'waits', jobType: 'Analysis', priority: 'High', parameters: { datasetId, analysisType: 'statistics' },
      scheduling: { executeImmediately: false, scheduledTime: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(scheduled.status).toBe(201);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/pm_queue_depth\{priority="High",service="api"\} 1\b/);
    expect(metrics).toMatch(/pm_queue_depth\{priority="Normal",service="api"\} 0\b/);
    expect((await api(service.url, token, 'DELETE', `${base}/execution/job/${scheduled.body.jobId}`, { reason: 'done' })).status).toBe(200);
  });

  it('refuses at start a bad scheme and a worker without a state store server, saying why', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'stores-refused-'));
    await expect(startServiceProcess({ EVENT_STORE_URL: 'mysql://u:pw@h/db' }, dataDir).finally(() => rmSync(dataDir, { recursive: true, force: true }))).rejects.toThrow(
      /service exited with 2[\s\S]*cannot start: EVENT_STORE_URL must be a URL with one of the schemes postgres:\/\/, postgresql:\/\/, kurrentdb:\/\/.*got "mysql:\/\/u:\*\*\*@h\/db"/);
    await expect(startWorkerProcess('no-state', { EVENT_STORE_URL: urls.events, READ_STORE_URL: urls.views, DATA_DIR: service.dataDir }))
      .rejects.toThrow(/exited with 2[\s\S]*apps\/worker needs DATABASE_URL even with EVENT_STORE_URL and READ_STORE_URL set/);
  });

  it('answers the worker\'s readiness: ready while its stores answer and it heartbeats, 503 naming the store once one is gone', async () => {
    expect((await fetch(`${workerHealth}/live`)).status).toBe(200);
    const ready = await waitFor(async () => {
      const response = await fetch(`${workerHealth}/ready`);
      return response.status === 200 ? response.json() as Promise<Record<string, unknown>> : null;
    }, 10_000, 100, 'the worker to be ready');
    expect(ready).toMatchObject({ status: 'ready', nodeId: 'stores-node', reasons: [], stores: { state: 'postgres', events: 'postgres', views: 'postgres' } });
    expect(ready.heartbeatAgeSeconds).toEqual(expect.any(Number));

    // The read store's database goes away: its connections are ended and no new one is allowed.
    await onServer(async (client) => {
      await client.query(`ALTER DATABASE "${databases.views}" ALLOW_CONNECTIONS false`);
      await client.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [databases.views]);
    });
    const unavailable = await waitFor(async () => {
      const response = await fetch(`${workerHealth}/ready`);
      return response.status === 503 ? response.json() as Promise<{ status: string; reasons: string[] }> : null;
    }, 15_000, 100, 'the worker to report the read store unreachable');
    expect(unavailable.status).toBe('unavailable');
    expect(unavailable.reasons.join('\n')).toMatch(/read store/);
    expect(worker.process.exitCode).toBeNull();
  }, 30_000);
});
