/**
 * OpenTelemetry tracing switched on by the standard OTEL_* variables: an API and a worker
 * process export OTLP/HTTP (JSON) to a collector this test runs; the spans of one
 * submission (HTTP request, command, append in the API; the job run in the worker) share
 * one trace id, and the projection's batch links to it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../support/postgres.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const server = await resolveTestPostgres('tracing end-to-end suite');

interface ExportedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly name: string;
  readonly links: ReadonlyArray<{ traceId: string; spanId: string }>;
}

/** An OTLP/HTTP receiver of JSON trace exports, keeping every span it is sent. */
async function startCollector(): Promise<{ url: string; spans: ExportedSpan[]; close(): Promise<void> }> {
  const spans: ExportedSpan[] = [];
  const collector = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.url === '/v1/traces') {
        for (const resourceSpans of JSON.parse(body).resourceSpans ?? []) {
          const service = resourceSpans.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value?.stringValue;
          for (const scope of resourceSpans.scopeSpans ?? []) {
            for (const span of scope.spans ?? []) spans.push({ service, traceId: span.traceId, spanId: span.spanId, parentSpanId: span.parentSpanId || undefined, name: span.name, links: span.links ?? [] });
          }
        }
      }
      response.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise<void>((resolve) => collector.close(() => resolve())),
  };
}

(server ? describe : describe.skip)('tracing through the OTEL_* variables', () => {
  const schema = randomSchemaName('e2e_tracing');
  let collector: Awaited<ReturnType<typeof startCollector>>;
  let service: ServiceProcess;
  let worker: WorkerProcess;

  beforeAll(async () => {
    collector = await startCollector();
    const env = {
      DATABASE_URL: server!.url, DATABASE_SCHEMA: schema, HEARTBEAT_SECONDS: '1',
      OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_METRICS_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none',
    };
    service = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '0', NODE_ID: 'tracing-api' });
    worker = await startWorkerProcess('tracing-worker', { ...env, DATA_DIR: service.dataDir });
  }, 90_000);

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    if (service) {
      await service.stop('SIGKILL');
      removeDataDir(service.dataDir);
    }
    await collector?.close();
    await dropSchema(server!.url, schema).catch(() => undefined);
  });

  it('the HTTP request, command, append and job run of one submission share a trace id', async () => {
    const tenant = randomUUID();
    const project = randomUUID();
    const base = `/api/${tenant}/${project}`;
    const token = await service.token(tenant, [project]);
    const datasetId = await uploadDataset(service, token, base);
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'traced', jobType: 'ProcessMining', priority: 'Normal',
      parameters: { datasetId, analysisType: 'comprehensive', performanceMetrics: ['cycle_time'] },
      scheduling: { executeImmediately: true, timeoutMinutes: 30 },
    });
    expect(submitted.status).toBe(201);
    const jobId = submitted.body.jobId;
    await waitFor(async () => (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body.status === 'Completed', 60_000, 200, 'the job to complete');

    const httpSpan = await waitFor(() => collector.spans.find((s) => s.name === 'POST /api/:tenantId/:projectId/execution/job'), 20_000, 100, 'the submit span');
    const trace = () => collector.spans.filter((s) => s.traceId === httpSpan.traceId);
    const run = await waitFor(() => trace().find((s) => s.name === 'job run'), 20_000, 100, 'the job run span');
    const byName = (name: string) => trace().find((s) => s.name === name);
    const command = byName('job command SubmitJob');
    const append = trace().find((s) => s.name === 'event store append' && s.parentSpanId === command?.spanId);
    expect({
      http: httpSpan.service, command: command?.parentSpanId === httpSpan.spanId, append: append?.service, run: run.service,
    }).toEqual({ http: 'pm-job-execution-api', command: true, append: 'pm-job-execution-api', run: 'pm-job-execution-worker' });
    // The asynchronous projection links its batch to the submission's trace.
    await waitFor(() => collector.spans.find((s) => s.name === 'job projection batch' && s.links.some((l) => l.traceId === httpSpan.traceId)), 20_000, 100, 'a projection batch linked to the trace');
  }, 120_000);
});
