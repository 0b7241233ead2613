/**
 * Generative fuzzing of every endpoint over real HTTP against one real server process:
 * valid-ish and hostile bodies, content types, query strings, headers and path ids. No
 * answer may be a 5xx, the process must stay up with /health answering after every batch,
 * and every 4xx must be the API's JSON error, naming the field when one is at fault.
 * The seed is printed; FUZZ_SEED=<seed> replays a run, FUZZ_REQUESTS sets its size.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { api, removeDataDir, startServiceProcess, type ServiceProcess } from '../support/service-process.js';
import { RUNNING_EXAMPLE_BPMN, RUNNING_EXAMPLE_CSV, RUNNING_EXAMPLE_PNML } from '../support/fixtures.js';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const BATCH = 500;
const CONCURRENCY = 16;
const RUNNING_EXAMPLE = readFileSync(RUNNING_EXAMPLE_CSV);

const tenant = randomUUID();
const project = randomUUID();
let service: ServiceProcess;
let operator: string;
let viewer: string;
let jobId: string;
let datasetId: string;
let modelId: string;

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
}

// ---- values -------------------------------------------------------------------------

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', 'a\u0000b', '\u0000', '\ud800', 'x\udc00y', '%00', '../../etc/passwd', "'; DROP TABLE job_views; --",
    '<script>alert(1)</script>', '9'.repeat(30), '-1', '1e400', 'NaN', 'true', 'null', '2024-W01', '2024-02-30', '0000-00-00',
    '9999-12-31T23:59:59Z', '\u202e\ufeff', '😀'.repeat(50)),
  fc.integer({ min: 1000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

const hostileNumber = fc.oneof(
  fc.integer(), fc.double(), fc.constantFrom(0, -1, 1e20, -1e20, Number.MAX_SAFE_INTEGER + 2, 2 ** 63, 1e308, 0.5),
);

/** Any JSON value, including the types a field does not want. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 3 }),
  fc.array(hostileString, { maxLength: 5 }), fc.dictionary(hostileString, hostileString, { maxKeys: 5 }),
);

/** JSON text nested `depth` levels (written as text: JSON.stringify itself would overflow the stack). */
function nested(depth: number): string {
  let open = '';
  let close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 ? '[' : '{"n":';
    close = (i % 2 ? ']' : '}') + close;
  }
  return `${open}"leaf"${close}`;
}

function manyKeys(count: number): string {
  const object: Record<string, number> = {};
  for (let i = 0; i < count; i++) object[`key${i}`] = i;
  return JSON.stringify({ jobName: 'many keys', jobType: 'ProcessMining', parameters: object });
}

const oversizedJsonText = fc.oneof(
  fc.integer({ min: 1, max: 5000 }).map(nested),
  fc.integer({ min: 1, max: 30_000 }).map(manyKeys),
);

/** Sometimes the right value, sometimes anything. */
const maybe = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anyJson });

const retryPolicyBody = fc.record({
  maxRetries: maybe(fc.integer({ min: -2, max: 12 })), retryDelay: maybe(fc.oneof(fc.double(), fc.integer({ min: -5, max: 100_000 }))),
  backoffMultiplier: maybe(fc.double()),
}, { requiredKeys: [] });

const submitBody = fc.record({
  jobName: maybe(fc.string({ minLength: 1, maxLength: 30 })),
  jobDescription: maybe(fc.string({ maxLength: 50 })),
  jobType: maybe(fc.constantFrom('ProcessMining', 'Analysis', 'DataEnrichment', 'Notebook')),
  priority: maybe(fc.constantFrom('Low', 'Normal', 'High', 'Critical')),
  resource: maybe(fc.record({ resourceType: maybe(fc.constant('Pipeline')), resourceId: maybe(fc.uuid()), resourceName: maybe(fc.string()) })),
  parameters: maybe(fc.record({
    datasetId: maybe(fc.constant('DATASET')),
    analysisType: maybe(fc.constantFrom('comprehensive', 'statistics', 'performance', 'conformance')),
    performanceMetrics: maybe(fc.array(fc.constantFrom('cycle_time', 'waiting_time', 'nope'), { maxLength: 4 })),
    timeWindow: maybe(fc.record({ startDate: maybe(fc.constant('2010-01-01')), endDate: maybe(fc.constant('2030-01-01')) })),
    extra: anyJson,
  }, { requiredKeys: [] })),
  scheduling: maybe(fc.record({
    executeImmediately: maybe(fc.boolean()),
    scheduledTime: maybe(fc.constantFrom(null, '2099-01-01T00:00:00Z', '2000-01-01T00:00:00Z')),
    timeoutMinutes: maybe(fc.integer({ min: -5, max: 20_000 })),
  }, { requiredKeys: [] })),
  notifications: maybe(fc.record({
    onCompletion: maybe(fc.boolean()), onFailure: maybe(fc.boolean()),
    emailRecipients: maybe(fc.array(fc.oneof(fc.emailAddress(), hostileString), { maxLength: 3 })),
    onCancellation: maybe(fc.oneof(fc.boolean(), anyJson)),
    webhooks: maybe(fc.oneof(anyJson, fc.array(fc.record({
      url: maybe(fc.oneof(fc.webUrl(), hostileString, fc.constant('http://169.254.169.254/'))),
      secret: maybe(fc.oneof(hostileString, fc.constant(`whsec_${Buffer.alloc(32, 1).toString('base64')}`))),
    }, { requiredKeys: [] }), { maxLength: 3 }))),
  }, { requiredKeys: [] })),
  retryPolicy: maybe(retryPolicyBody),
  unknownField: anyJson,
}, { requiredKeys: [] });

const operationBody = fc.record({
  operationType: maybe(fc.constantFrom('ProcessMiningAnalysis', 'ProcessDiscovery', 'StatisticalAnalysis', 'DataEnrichment', 'Magic')),
  operationName: maybe(fc.string({ minLength: 1, maxLength: 30 })),
  priority: maybe(fc.constantFrom('Low', 'Normal', 'High', 'Critical')),
  parameters: maybe(fc.record({
    datasetId: maybe(fc.constant('DATASET')),
    analysisType: maybe(fc.constantFrom('comprehensive', 'statistics', 'discovery')),
    algorithmSettings: maybe(fc.record({ algorithm: maybe(fc.constantFrom('inductive', 'alpha')), noiseThreshold: maybe(fc.double()), other: anyJson }, { requiredKeys: [] })),
    outputOptions: maybe(fc.record({
      generateReports: maybe(fc.boolean()), exportFormats: maybe(fc.array(fc.constantFrom('html', 'svg', 'docx'), { maxLength: 3 })),
    }, { requiredKeys: [] })),
  }, { requiredKeys: [] })),
  callbacks: maybe(fc.record({
    onProgress: maybe(fc.oneof(fc.webUrl(), hostileString, fc.constant('http://169.254.169.254/'))), onCompletion: maybe(fc.webUrl()),
    secret: maybe(fc.oneof(hostileString, fc.constant(`whsec_${Buffer.alloc(32, 1).toString('base64')}`))),
  }, { requiredKeys: [] })),
  notifications: maybe(fc.record({ email: maybe(fc.array(fc.emailAddress(), { maxLength: 2 })), slack: maybe(fc.record({ channel: maybe(fc.string()) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
  timeout: maybe(fc.integer({ min: -5, max: 1_000_000 })),
  retryPolicy: maybe(retryPolicyBody),
}, { requiredKeys: [] });

const cancelBody = fc.record({
  reason: maybe(fc.string()), forceTermination: maybe(fc.boolean()), preservePartialResults: maybe(fc.boolean()), other: anyJson,
}, { requiredKeys: [] });

const retryBody = fc.record({
  retryReason: maybe(fc.string()), modifyParameters: maybe(fc.boolean()), updatedParameters: maybe(fc.dictionary(fc.string(), anyJson, { maxKeys: 3 })),
  priority: maybe(fc.constantFrom('Low', 'Critical')), immediateExecution: maybe(fc.boolean()),
}, { requiredKeys: [] });

const priorityBody = fc.record({
  priority: maybe(fc.constantFrom('Low', 'Normal', 'High', 'Critical')), reason: maybe(fc.string()), other: anyJson,
}, { requiredKeys: [] });

const reasonBody = fc.record({ reason: maybe(fc.string()), other: anyJson }, { requiredKeys: [] });

const queueStatusBody = fc.record({
  queueStatus: maybe(fc.constantFrom('Paused', 'Active')), reason: maybe(fc.string()), other: anyJson,
}, { requiredKeys: [] });

const scheduleBody = fc.record({
  name: maybe(fc.string({ minLength: 1, maxLength: 30 })),
  cron: maybe(fc.constantFrom('0 6 * * *', '*/5 * * * * *', '61 * * * *', '* * *', '0 0 30 2 *', '@daily', '')),
  intervalSeconds: maybe(fc.integer({ min: -5, max: 40_000_000 })),
  timeZone: maybe(fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Olympus', '')),
  overlapPolicy: maybe(fc.constantFrom('skip', 'queue', 'cancelPrevious', 'never')),
  catchUp: maybe(fc.constantFrom('none', 'one', 'all', 'some')),
  paused: maybe(fc.boolean()),
  jobTemplate: maybe(submitBody),
  other: anyJson,
}, { requiredKeys: [] });

/** A body as sent: JSON of the endpoint's shape, any JSON, oversized JSON, or not JSON at all. */
const jsonBody = (shape: fc.Arbitrary<unknown>) => fc.oneof(
  { weight: 6, arbitrary: shape.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: oversizedJsonText },
  { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constantFrom('{', '{"a":', '[1,2', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{}}}', 'null', '')) },
);

const uploadBody = fc.oneof(
  fc.constant(RUNNING_EXAMPLE.toString('utf8')),
  fc.constantFrom('case,activity,timestamp\n1,A,2024-01-01T00:00:00Z\n', 'case,activity\n1,A\n', 'a\u0000b,c\n1,2\n', '<log><trace/></log>', '<log>', '\u001f\u008b\u0008garbage'),
  fc.string({ maxLength: 200 }),
);

const PNML = readFileSync(RUNNING_EXAMPLE_PNML, 'utf8');
const BPMN = readFileSync(RUNNING_EXAMPLE_BPMN, 'utf8');
/** Process models, whole, cut short, with an element swapped, or noise. */
const modelBody = fc.oneof(
  fc.constantFrom(PNML, BPMN, PNML.slice(0, 700), BPMN.replace('parallelGateway id="and_split"', 'inclusiveGateway id="and_split"'), '<pnml/>', '<definitions/>', 'a\u0000b'),
  fc.tuple(fc.constantFrom(PNML, BPMN), fc.nat(3000), fc.string({ maxLength: 20 })).map(([xml, at, text]) => xml.slice(0, at) + text + xml.slice(at)),
  fc.string({ maxLength: 200 }),
);

const contentType = (preferred: string) => fc.oneof(
  { weight: 8, arbitrary: fc.constant(preferred) },
  { weight: 3, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'text/csv', 'application/xml',
    'application/gzip', 'application/octet-stream', 'multipart/form-data', 'multipart/form-data; boundary=XYZ', 'application/x-www-form-urlencoded',
    'application/vnd.api+json', 'text/html; charset=latin1', 'invalid', '*/*', '') },
);

// ---- paths, queries, headers ----------------------------------------------------------

const pathId = (real: () => string) => fc.oneof(
  { weight: 6, arbitrary: fc.constant(null).map(() => real()) },
  { weight: 1, arbitrary: fc.constant(null).map(() => real().toUpperCase()) },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: hostileString.filter((s) => s.length > 0 && s.length < 300).map(encodeAny) },
  { weight: 1, arbitrary: fc.constantFrom('%00', 'null', '0', '..', '%2e%2e', 'undefined', `${'a'.repeat(2000)}`) },
);

/** Percent-encodes anything; a lone surrogate becomes bytes that are not UTF-8 at all (%ED%A0%80, %FF). */
function encodeAny(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '')) + '%ED%A0%80%FF';
  }
}

const queryValue = fc.oneof(hostileString.filter((s) => s.length < 5000), hostileNumber.map(String), fc.constantFrom('1', '20', '100', 'true', 'detailed', 'download', 'Completed'));
const queryKeys = ['page', 'pageSize', 'status', 'jobType', 'priority', 'submittedBy', 'dateFrom', 'dateTo', 'format', 'includeArtifacts', 'includeEstimates',
  'outputType', 'asOfRevision', 'from', 'limit', 'eventType', 'jobId', 'name', 'caseColumn', 'activityColumn', 'timestampColumn', 'resourceColumn', 'startTimestampColumn', 'lifecycleColumn'];
const queryString = fc.array(fc.tuple(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...queryKeys) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`).join('&')}`));

/** Header values fetch can send (visible ASCII and space). */
const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 300 });

const auth = fc.constantFrom('operator', 'operator', 'operator', 'operator', 'viewer', 'none', 'garbage', 'basic');

interface Endpoint { readonly method: string; readonly template: (ids: Ids) => string; readonly body?: fc.Arbitrary<string>; readonly type?: string }
interface Ids { tenant: string; project: string; job: string; dataset: string; model: string; artifact: string }

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/execution/job`, body: jsonBody(submitBody), type: 'application/json' },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/jobs` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}/results` },
  { method: 'DELETE', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}`, body: jsonBody(cancelBody), type: 'application/json' },
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}/retry`, body: jsonBody(retryBody), type: 'application/json' },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}/history` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/events` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}/events` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}/artifacts/${i.artifact}` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/execution/system/status` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/queue` },
  { method: 'PATCH', template: (i) => `/api/${i.tenant}/${i.project}/execution/queue`, body: jsonBody(queueStatusBody), type: 'application/json' },
  { method: 'PATCH', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}`, body: jsonBody(priorityBody), type: 'application/json' },
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}/hold`, body: jsonBody(reasonBody), type: 'application/json' },
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/execution/job/${i.job}/release`, body: jsonBody(reasonBody), type: 'application/json' },
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/datasets`, body: uploadBody, type: 'text/csv' },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/datasets/${i.dataset}` },
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/models`, body: modelBody, type: 'application/xml' },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/models/${i.model}` },
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/execution/schedules`, body: jsonBody(scheduleBody), type: 'application/json' },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/schedules` },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/execution/schedules/${i.job}` },
  { method: 'PATCH', template: (i) => `/api/${i.tenant}/${i.project}/execution/schedules/${i.job}`, body: jsonBody(scheduleBody), type: 'application/json' },
  { method: 'DELETE', template: (i) => `/api/${i.tenant}/${i.project}/execution/schedules/${i.job}` },
  { method: 'POST', template: (i) => `/api/${i.tenant}/${i.project}/async/operation`, body: jsonBody(operationBody), type: 'application/json' },
  { method: 'GET', template: (i) => `/api/${i.tenant}/${i.project}/async/operation/op-${i.job}` },
  { method: 'GET', template: () => '/health' },
  { method: 'GET', template: () => '/docs-json' },
  { method: 'GET', template: () => '/docs' },
];

const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...ENDPOINTS).chain((endpoint) => fc.record({
  endpoint: fc.constant(endpoint),
  ids: fc.record({
    tenant: pathId(() => tenant), project: pathId(() => project), job: pathId(() => jobId), dataset: pathId(() => datasetId), model: pathId(() => modelId),
    artifact: pathId(randomUUID),
  }),
  query: queryString,
  body: endpoint.body ? fc.option(endpoint.body, { freq: 8 }) : fc.constant(null),
  type: contentType(endpoint.type ?? 'application/json'),
  auth,
  idempotencyKey: fc.option(headerText, { freq: 3 }),
  correlationId: fc.option(headerText, { freq: 3 }),
})).map(({ endpoint, ids, query, body, type, auth: who, idempotencyKey, correlationId }) => {
  const headers: Record<string, string> = {};
  if (who === 'operator') headers.Authorization = `Bearer ${operator}`;
  else if (who === 'viewer') headers.Authorization = `Bearer ${viewer}`;
  else if (who === 'garbage') headers.Authorization = 'Bearer not.a.token';
  else if (who === 'basic') headers.Authorization = 'Basic dXNlcjpwYXNz';
  if (idempotencyKey !== null) headers['Idempotency-Key'] = idempotencyKey;
  if (correlationId !== null) headers['X-Correlation-ID'] = correlationId;
  const withBody = body !== null && endpoint.method !== 'GET';
  if (withBody && type !== '') headers['Content-Type'] = type;
  const text = withBody ? body.replaceAll('"DATASET"', JSON.stringify(datasetId)) : undefined;
  return { method: endpoint.method, path: endpoint.template(ids) + query, headers, body: text };
});

// ---- sending and judging -------------------------------------------------------------

interface Outcome { readonly request: FuzzRequest; readonly status: number; readonly contentType: string; readonly text: string }

async function send(request: FuzzRequest): Promise<Outcome> {
  const response = await fetch(`${service.url}${request.path}`, {
    method: request.method, headers: request.headers, body: request.body, signal: AbortSignal.timeout(30_000),
  });
  return { request, status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

/** What is wrong with an answer, or null. */
function problemWith(outcome: Outcome): string | null {
  if (outcome.status >= 500) return `status ${outcome.status}`;
  if (outcome.status < 400) return null;
  if (!outcome.contentType.startsWith('application/json')) return `a ${outcome.status} that is not JSON (${outcome.contentType})`;
  let body: { statusCode?: unknown; error?: unknown; message?: unknown; errors?: { field?: unknown; message?: unknown }[] };
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return `a ${outcome.status} whose body does not parse`;
  }
  if (body.statusCode !== outcome.status || typeof body.error !== 'string' || typeof body.message !== 'string') return 'an error body without statusCode, error and message';
  if (outcome.status === 400 && !(Array.isArray(body.errors) && body.errors.length > 0)) return 'a 400 that names no field';
  if (body.errors?.some((e) => typeof e.field !== 'string' || e.field === '' || typeof e.message !== 'string')) return 'a field error without field or message';
  return null;
}

function describeRequest(request: FuzzRequest): string {
  const body = request.body === undefined ? '' : ` body(${request.body.length}): ${String(request.body).slice(0, 300)}`;
  return `${request.method} ${request.path.slice(0, 300)} headers=${JSON.stringify(request.headers).slice(0, 300)}${body}`;
}

async function sendAll(requests: FuzzRequest[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < requests.length) outcomes.push(await send(requests[next++]));
  }));
  return outcomes;
}

beforeAll(async () => {
  // No worker: fuzzed submits stay queued, and the machine's cores stay with the HTTP side.
  service = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '0' });
  operator = await service.token(tenant, [project], 'fuzz-operator');
  viewer = await service.token(tenant, [project], 'fuzz-viewer', ['viewer']);
  const base = `/api/${tenant}/${project}`;
  const uploaded = await api(service.url, operator, 'POST', `${base}/datasets?name=running-example`, RUNNING_EXAMPLE, { 'Content-Type': 'text/csv' });
  expect(uploaded.status).toBe(201);
  datasetId = uploaded.body.datasetId;
  const model = await api(service.url, operator, 'POST', `${base}/models`, PNML, { 'Content-Type': 'application/xml' });
  expect(model.status).toBe(201);
  modelId = model.body.modelId;
  const submitted = await api(service.url, operator, 'POST', `${base}/execution/job`, {
    jobName: 'fuzz target', jobType: 'ProcessMining', parameters: { datasetId },
  });
  expect(submitted.status).toBe(201);
  jobId = submitted.body.jobId;
}, 90_000);

afterAll(async () => {
  if (!service) return;
  await service.stop();
  removeDataDir(service.dataDir);
});

describe('generative fuzzing of every endpoint', () => {
  it(`${REQUESTS} generated requests: no 5xx, the process stays up, every 4xx is a JSON error naming its field`, async () => {
    process.stdout.write(`HTTP fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED})\n`);
    const requests = fc.sample(fuzzRequest, { seed: SEED, numRuns: REQUESTS });
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let start = 0; start < requests.length; start += BATCH) {
      for (const outcome of await sendAll(requests.slice(start, start + BATCH))) {
        statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
        const problem = problemWith(outcome);
        if (problem) failures.push(`${problem}: ${describeRequest(outcome.request)} -> ${outcome.text.slice(0, 300)}`);
      }
      expect(service.process.exitCode).toBeNull();
      expect(service.process.signalCode).toBeNull();
      const health = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(10_000) });
      expect(health.status).toBe(200);
    }
    process.stdout.write(`HTTP fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}\n`);
    expect({ seed: SEED, failures: failures.slice(0, 15), count: failures.length }).toEqual({ seed: SEED, failures: [], count: 0 });
    // Enough of the requests got past authentication and validation to exercise the handlers.
    expect([...statuses].filter(([status]) => status < 300).reduce((sum, [, n]) => sum + n, 0)).toBeGreaterThan(REQUESTS / 20);
  }, 180_000);
});
