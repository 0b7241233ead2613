/**
 * Telemetry of real processes: an API and a separate worker on one PostgreSQL schema run
 * jobs; both `/metrics` parse as Prometheus text and their counters add up to the jobs run;
 * stdout is JSON lines carrying the request id, which is echoed and becomes the
 * correlationId of the job's events. Readiness turns 503 when the database goes away (a
 * private throw-away cluster, never the machine's server).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import {
  api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess,
} from '../support/service-process.js';
import {
  createThrowawayPostgresCluster, resolveThrowawayCluster, type ThrowawayPostgresCluster,
} from '../support/throwaway-postgres-cluster.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('telemetry end-to-end suite');
const clusterBinDir = resolveThrowawayCluster('telemetry readiness test');
const TERMINAL = ['Completed', 'Failed', 'Cancelled'];

function processMiningJob(datasetId: string, priority = 'High') {
  return {
    jobName: 'telemetry', jobType: 'ProcessMining', priority,
    parameters: { datasetId, analysisType: 'comprehensive', includeAnomalyDetection: false, generateInsights: false, performanceMetrics: ['cycle_time'] },
    scheduling: { executeImmediately: true, timeoutMinutes: 30 },
  };
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; families: PrometheusFamily[] }> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  return { status: response.status, text, families: response.status === 200 ? parsePrometheusTextFormat(text) : [] };
}

/** Sum of a counter's samples whose labels include `labels`. */
function counterSum(families: readonly PrometheusFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name);
  if (!family) return 0;
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((sum, m) => sum + Number(m.value), 0);
}

/**
 * The `name` series of a scrape as { labels, value }: the parser folds a labelled histogram's
 * series into one bucket map (it follows an early client_python), so histograms are read here.
 */
function series(text: string, name: string): Array<{ labels: Record<string, string>; value: number }> {
  return text.split('\n').flatMap((line) => {
    const match = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match || match[1] !== name) return [];
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/gi)].map((m) => [m[1], m[2]]));
    return [{ labels, value: Number(match[3]) }];
  });
}

function jsonLines(output: string): unknown[] {
  return output.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
}

(server ? describe : describe.skip)('metrics, logs and request ids across an API and a worker process', () => {
  const schema = randomSchemaName('e2e_telemetry');
  let service: ServiceProcess;
  let worker: WorkerProcess;
  let workerMetricsUrl: string;

  beforeAll(async () => {
    const env = { DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, HEARTBEAT_SECONDS: '1' };
    service = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '0', NODE_ID: 'telemetry-api' });
    worker = await startWorkerProcess('telemetry-worker', { ...env, DATA_DIR: service.dataDir, METRICS_PORT: '0', HOST: '127.0.0.1' });
    const port = /metrics on port (\d+)/.exec(worker.output())![1];
    workerMetricsUrl = `http://127.0.0.1:${port}/metrics`;
  }, 90_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    if (service) {
      await service.stop('SIGKILL');
      removeDataDir(service.dataDir);
    }
    await dropSchema(server!.url, schema).catch(() => undefined);
  });

  it('counters move with the jobs run, labels carry route patterns and no ids, logs are JSON lines with the request id', async () => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const token = await service.token(tenant, [project]);
    const datasetId = await uploadDataset(service, token, base);
    const before = { api: (await scrape(`${service.url}/metrics`)).families, worker: (await scrape(workerMetricsUrl)).families };

    const requestIds = [`submit-${randomUUID()}`, `submit-${randomUUID()}`];
    const jobIds: string[] = [];
    for (const [index, requestId] of requestIds.entries()) {
      const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, processMiningJob(datasetId, index === 0 ? 'High' : 'Low'), { 'X-Request-Id': requestId });
      expect({ status: submitted.status, echoed: submitted.headers.get('x-request-id') }).toEqual({ status: 201, echoed: requestId });
      jobIds.push(submitted.body.jobId);
    }
    for (const jobId of jobIds) {
      const done = await waitFor(async () => {
        const job = (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
        return TERMINAL.includes(job.status) ? job : null;
      }, 60_000, 200, `job ${jobId} to end`);
      expect(done.status).toBe('Completed');
    }

    // The request id is the correlation id of the events the submission caused.
    const history = await api(service.url, token, 'GET', `${base}/execution/job/${jobIds[0]}/history`);
    expect(history.body.events[0]).toMatchObject({ type: 'JobSubmitted', metadata: { correlationId: requestIds[0] } });

    const apiScrape = await scrape(`${service.url}/metrics`);
    const workerScrape = await scrape(workerMetricsUrl);
    expect([apiScrape.status, workerScrape.status]).toEqual([200, 200]);
    const moved = (name: string, labels: Record<string, string> = {}) =>
      counterSum(apiScrape.families, name, labels) + counterSum(workerScrape.families, name, labels)
      - counterSum(before.api, name, labels) - counterSum(before.worker, name, labels);
    // The API appends the submissions, the worker the starts and outcomes: the sums over both count each job once.
    expect({
      submitted: moved('pm_jobs_submitted_total', { job_type: 'ProcessMining' }),
      submittedLow: moved('pm_jobs_submitted_total', { priority: 'Low' }),
      started: moved('pm_jobs_started_total'),
      completed: moved('pm_jobs_completed_total', { job_type: 'ProcessMining' }),
      failed: moved('pm_jobs_failed_total'),
      workerSubmitted: counterSum(workerScrape.families, 'pm_jobs_submitted_total'),
      apiStarted: counterSum(apiScrape.families, 'pm_jobs_started_total'),
    }).toEqual({ submitted: 2, submittedLow: 1, started: 2, completed: 2, failed: 0, workerSubmitted: 0, apiStarted: 0 });
    const names = (families: readonly PrometheusFamily[]) => families.map((f) => f.name);
    expect(names(apiScrape.families)).toEqual(expect.arrayContaining([
      'pm_queue_depth', 'pm_http_request_duration_seconds', 'pm_event_store_append_seconds', 'process_cpu_seconds_total',
    ]));
    expect(names(workerScrape.families)).toEqual(expect.arrayContaining([
      'pm_job_duration_seconds', 'pm_job_queue_wait_seconds', 'pm_job_runners', 'pm_job_runners_recycled_total', 'pm_job_runners_killed_total',
    ]));
    const ran = series(workerScrape.text, 'pm_job_duration_seconds_count').filter((s) => s.labels.outcome === 'Completed');
    expect(ran.reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(2);
    expect(series(workerScrape.text, 'pm_job_queue_wait_seconds_count').filter((s) => s.labels.priority === 'Low').reduce((n, s) => n + s.value, 0)).toBeGreaterThanOrEqual(1);
    const routes = series(apiScrape.text, 'pm_http_request_duration_seconds_count').map((s) => s.labels.route);
    expect(routes).toEqual(expect.arrayContaining(['/api/:tenantId/:projectId/execution/job', '/api/:tenantId/:projectId/execution/job/:jobId']));
    for (const text of [apiScrape.text, workerScrape.text]) {
      for (const id of [tenant, project, ...jobIds]) expect(text).not.toContain(id);
    }

    // Every stdout line is one JSON object; the submission's completion line names its request id.
    const lines = jsonLines(service.output()) as Array<Record<string, unknown>>;
    expect(lines.find((line) => line.requestId === requestIds[1] && line.msg === 'request completed'))
      .toMatchObject({ level: 30, service: 'api', method: 'POST', route: '/api/:tenantId/:projectId/execution/job', statusCode: 201 });
    expect(() => jsonLines(worker.output())).not.toThrow();
  }, 120_000);

  it('generates a request id when none is sent, and refuses a malformed one naming the header', async () => {
    const generated = await api(service.url, null, 'GET', '/health/live');
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    for (const bad of ['has space', 'x'.repeat(129), 'quote"d']) {
      const refused = await api(service.url, null, 'GET', '/health', undefined, { 'X-Request-Id': bad });
      expect({ status: refused.status, field: refused.body.errors?.[0]?.field }).toEqual({ status: 400, field: 'X-Request-Id' });
    }
  });
});

describe('the metrics token', () => {
  let service: ServiceProcess | undefined;
  afterAll(async () => {
    if (service) {
      await service.stop('SIGKILL');
      removeDataDir(service.dataDir);
    }
  });

  it('with METRICS_TOKEN set, /metrics answers only that bearer token; health stays open', async () => {
    service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '0', METRICS_TOKEN: 'scrape-secret-1234' });
    expect((await scrape(`${service.url}/metrics`)).status).toBe(401);
    expect((await scrape(`${service.url}/metrics`, { Authorization: 'Bearer wrong' })).status).toBe(401);
    const allowed = await scrape(`${service.url}/metrics`, { Authorization: 'Bearer scrape-secret-1234' });
    expect({ status: allowed.status, parsed: allowed.families.length > 0 }).toEqual({ status: 200, parsed: true });
    expect((await api(service.url, null, 'GET', '/health/ready')).body).toMatchObject({ status: 'ready', store: 'pglite', reasons: [] });
  }, 60_000);
});

(clusterBinDir ? describe : describe.skip)('readiness when the database goes away', () => {
  let cluster: ThrowawayPostgresCluster;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    cluster = await createThrowawayPostgresCluster(clusterBinDir!);
  }, 60_000);

  afterAll(async () => {
    if (service) {
      await service.stop('SIGKILL');
      removeDataDir(service.dataDir);
    }
    cluster?.cleanup();
  });

  it('ready is 200 with the database up and 503 naming the store when it is down; live stays 200', async () => {
    service = await startServiceProcess({ DATABASE_URL: cluster.url, EMBEDDED_WORKER_CAPACITY: '0' });
    const up = await api(service.url, null, 'GET', '/health/ready');
    expect({ status: up.status, body: up.body }).toEqual({ status: 200, body: {
      status: 'ready', store: 'pg', stores: { state: 'postgres', events: 'postgres', views: 'postgres' }, projectionLagSeconds: 0, reasons: [],
    } });
    cluster.stop('immediate');
    const down = await waitFor(async () => {
      const res = await api(service!.url, null, 'GET', '/health/ready');
      return res.status === 503 ? res : null;
    }, 20_000, 200, 'readiness to turn 503');
    expect(down.body).toMatchObject({ status: 'unavailable', store: 'pg', reasons: [expect.stringMatching(/^store unreachable/)] });
    expect((await api(service.url, null, 'GET', '/health/live')).status).toBe(200);
    cluster.start();
    await waitFor(async () => (await api(service!.url, null, 'GET', '/health/ready')).status === 200, 30_000, 200, 'readiness to return');
  }, 90_000);
});
