/**
 * Inputs that once crashed, froze or held the API, each replayed over real HTTP against the
 * built server: non-JSON bodies on JSON routes, text the store cannot keep, numbers past
 * 64 bits, broken multipart, deep and wide JSON, a gzip bomb, too many events, a body that
 * stops sending, and a shutdown during an upload.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { api, removeDataDir, startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.js';
import { RUNNING_EXAMPLE_CSV } from '../support/fixtures.js';

const RUNNING_EXAMPLE = readFileSync(RUNNING_EXAMPLE_CSV);
const IDLE_SECONDS = 2;
const MAX_DECOMPRESSED_MB = 64;
const MAX_DATASET_EVENTS = 1000;

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;
let service: ServiceProcess;
let token: string;
let datasetId: string;

const validJob = (extra: Record<string, unknown> = {}) => ({
  jobName: 'Hardening', jobType: 'ProcessMining', parameters: { datasetId }, ...extra,
});

function fieldsOf(body: { errors?: { field: string }[] }): string[] {
  return (body.errors ?? []).map((e) => e.field);
}

/** The API's error shape, a given status, and (for 400s) the field named. */
function expectApiError(res: { status: number; body: any }, status: number, field?: string | RegExp): void {
  expect({ status: res.status, statusCode: res.body?.statusCode, hasMessage: typeof res.body?.message === 'string' })
    .toEqual({ status, statusCode: status, hasMessage: true });
  if (field instanceof RegExp) expect(fieldsOf(res.body).some((f) => field.test(f))).toBe(true);
  else if (field !== undefined) expect(fieldsOf(res.body)).toContain(field);
}

function residentBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error('no VmRSS');
  return Number(match[1]) * 1024;
}

/** Sends raw bytes over one connection and resolves with what came back when the server closes it. */
function rawExchange(url: string, head: string, body: Buffer | string, timeoutMs: number): Promise<{ text: string; elapsedMs: number }> {
  const { hostname, port } = new URL(url);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)])));
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms; got: ${text}`));
    }, timeoutMs);
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, elapsedMs: Date.now() - started });
    });
  });
}

async function healthy(): Promise<boolean> {
  const res = await fetch(`${service.url}/health`, { signal: AbortSignal.timeout(5000) });
  return res.status === 200 && service.process.exitCode === null;
}

beforeAll(async () => {
  service = await startServiceProcess({
    EMBEDDED_WORKER_CAPACITY: '1',
    HTTP_BODY_IDLE_TIMEOUT_SECONDS: String(IDLE_SECONDS),
    MAX_DECOMPRESSED_MB: String(MAX_DECOMPRESSED_MB),
    MAX_DATASET_EVENTS: String(MAX_DATASET_EVENTS),
  });
  token = await service.token(tenant, [project], 'hardening');
  const uploaded = await api(service.url, token, 'POST', `${base}/datasets?name=running-example`, RUNNING_EXAMPLE, { 'Content-Type': 'text/csv' });
  expect(uploaded.status).toBe(201);
  datasetId = uploaded.body.datasetId;
});

afterAll(async () => {
  if (!service) return;
  await service.stop();
  removeDataDir(service.dataDir);
});

describe('non-JSON bodies on JSON routes: 415, and the process (with its worker) lives on', () => {
  const types = ['text/plain', 'text/csv', 'application/xml', 'application/gzip', 'application/octet-stream', 'multipart/form-data; boundary=x'];
  it.each(types)('POST execution/job with Content-Type %s', async (type) => {
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, 'case,activity\n1,A\n', { 'Content-Type': type });
    expectApiError(res, 415);
    expect(await healthy()).toBe(true);
  });
  it('DELETE execution/job/{jobId} (cancel) and POST …/retry with Content-Type text/plain', async () => {
    const job = randomUUID();
    expectApiError(await api(service.url, token, 'DELETE', `${base}/execution/job/${job}`, 'stop', { 'Content-Type': 'text/plain' }), 415);
    expectApiError(await api(service.url, token, 'POST', `${base}/execution/job/${job}/retry`, 'again', { 'Content-Type': 'application/octet-stream' }), 415);
    expect(await healthy()).toBe(true);
  });
  it('after them, the in-process worker still runs a job to completion', async () => {
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, validJob());
    expect(submitted.status).toBe(201);
    const status = await waitFor(async () => {
      const res = await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`);
      return ['Completed', 'Failed'].includes(res.body.status) ? res.body.status : null;
    }, 45_000);
    expect(status).toBe('Completed');
  }, 55_000);
});

describe('text the store cannot keep: 400 naming the field', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['NUL in jobName', validJob({ jobName: 'a\u0000b' }), 'jobName'],
    ['NUL in jobDescription', validJob({ jobDescription: 'a\u0000b' }), 'jobDescription'],
    ['NUL in a parameters value', validJob({ parameters: { datasetId: 'x', note: 'a\u0000b' } }), 'parameters.note'],
    ['NUL in a parameters key', validJob({ parameters: { datasetId: 'x', 'k\u0000': 1 } }), 'parameters.k\u0000'],
    ['NUL in notifications.emailRecipients', validJob({ notifications: { emailRecipients: ['a\u0000@b.com'] } }), 'notifications.emailRecipients[0]'],
    ['an unpaired surrogate in jobName', validJob({ jobName: 'a\ud800b' }), 'jobName'],
  ];
  it.each(cases)('submit with %s', async (_title, body, field) => {
    expectApiError(await api(service.url, token, 'POST', `${base}/execution/job`, body), 400, field);
  });
  it('NUL in the cancel reason and in retryReason', async () => {
    const job = randomUUID();
    expectApiError(await api(service.url, token, 'DELETE', `${base}/execution/job/${job}`, { reason: 'a\u0000b' }), 400, 'reason');
    expectApiError(await api(service.url, token, 'POST', `${base}/execution/job/${job}/retry`, { retryReason: 'a\u0000b' }), 400, 'retryReason');
  });
  it('?submittedBy=%00 on the job list and ?name=%00 on a dataset upload', async () => {
    expectApiError(await api(service.url, token, 'GET', `${base}/execution/jobs?submittedBy=%00`), 400, 'submittedBy');
    expectApiError(await api(service.url, token, 'POST', `${base}/datasets?name=%00`, RUNNING_EXAMPLE, { 'Content-Type': 'text/csv' }), 400, 'name');
  });
  it('a path that is not UTF-8 (%FF) and one with %00', async () => {
    expectApiError(await api(service.url, token, 'GET', `${base}/execution/job/%FF`), 400, 'path');
    expectApiError(await api(service.url, token, 'GET', `${base}/execution/job/%00`), 400, 'jobId');
  });
  it('a CSV whose header has a NUL character', async () => {
    const csv = 'case,activity,timestamp,no\u0000te\n1,A,2024-01-01T00:00:00Z,x\n';
    expectApiError(await api(service.url, token, 'POST', `${base}/datasets`, csv, { 'Content-Type': 'text/csv' }), 400, 'file');
  });
  it('NUL in an Idempotency-Key header is refused by the HTTP parser with a JSON 400', async () => {
    const body = JSON.stringify(validJob());
    const head = `POST ${base}/execution/job HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n`
      + `Idempotency-Key: a\u0000b\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
    const { text } = await rawExchange(service.url, head, body, 10_000);
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({
      statusCode: 400, error: 'Bad Request', errors: [{ field: 'headers', message: expect.any(String) }],
    });
    expect(await healthy()).toBe(true);
  });
});

describe('numbers past 64 bits: 400 naming the parameter', () => {
  it.each([
    ['page', '/execution/jobs?page=99999999999999999999'],
    ['pageSize', '/execution/jobs?pageSize=99999999999999999999'],
    ['asOfRevision', `/execution/job/${randomUUID()}/history?asOfRevision=99999999999999999999`],
  ])('?%s=99999999999999999999', async (field, url) => {
    expectApiError(await api(service.url, token, 'GET', `${base}${url}`), 400, field);
  });
});

describe('broken multipart uploads: 400 naming the file', () => {
  it('multipart without a boundary', async () => {
    expectApiError(await api(service.url, token, 'POST', `${base}/datasets`, 'abc', { 'Content-Type': 'multipart/form-data' }), 400, 'file');
  });
  it('a truncated multipart body', async () => {
    const truncated = '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\ncase,activity,timestamp\n1,A,';
    expectApiError(await api(service.url, token, 'POST', `${base}/datasets`, truncated, { 'Content-Type': 'multipart/form-data; boundary=XX' }), 400, 'file');
  });
});

describe('deep and wide JSON: refused cheaply, before validation', () => {
  it('a JSON body nested 3,000 levels deep', async () => {
    const deep = `${'['.repeat(3000)}1${']'.repeat(3000)}`;
    const body = `{"jobName":"deep","jobType":"ProcessMining","parameters":{"datasetId":"${datasetId}","x":${deep}}}`;
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, body, { 'Content-Type': 'application/json' });
    expectApiError(res, 400, /^parameters\.x/);
    expect(await healthy()).toBe(true);
  });
  it('a 1.5 MB submit with 100,000 unknown parameter keys: a small 400 at once, /health never waits', async () => {
    const parameters: Record<string, number> = { };
    for (let i = 0; i < 100_000; i++) parameters[`unknown${i}`] = i;
    const body = JSON.stringify(validJob({ parameters }));
    expect(body.length).toBeGreaterThan(1_500_000);
    const started = Date.now();
    const submit = api(service.url, token, 'POST', `${base}/execution/job`, body, { 'Content-Type': 'application/json' });
    const health = (async () => {
      const t0 = Date.now();
      const res = await fetch(`${service.url}/health`);
      return { status: res.status, ms: Date.now() - t0 };
    })();
    const [res, probe] = await Promise.all([submit, health]);
    expectApiError(res, 400, 'body');
    expect(JSON.stringify(res.body).length).toBeLessThan(10_000);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(probe).toMatchObject({ status: 200 });
    expect(probe.ms).toBeLessThan(2000);
  });
  it('a 400 with thousands of bad fields lists the first 20 and counts the rest', async () => {
    const parameters: Record<string, unknown> = { datasetId };
    for (let i = 0; i < 5000; i++) parameters[`unknown${i}`] = i;
    const res = await api(service.url, token, 'POST', `${base}/execution/job`, validJob({ parameters }));
    expectApiError(res, 400, 'parameters.unknown0');
    expect(res.body.errors).toHaveLength(20);
    expect(res.body.omittedErrors).toBe(4980);
  });
});

describe('oversized event logs: 413 while reading, memory bounded', () => {
  it('a .xes.gz that inflates to 5.2 GB (a gzip bomb built here): 413 within seconds, resident memory bounded', async () => {
    // Gzip members may be concatenated; one compressed megabyte of empty traces repeated inflates to gigabytes.
    const traces = Buffer.from('<trace><string key="concept:name" value="c"/></trace>\n'.repeat(20_000));
    const member = gzipSync(traces, { level: 9 });
    const copies = Math.ceil(5.2e9 / traces.length);
    const bomb = Buffer.concat([gzipSync('<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n'), ...Array(copies).fill(member)]);
    expect(bomb.length).toBeLessThan(40 * 1024 * 1024);
    const pid = service.process.pid!;
    const before = residentBytes(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, residentBytes(pid))), 50);
    const started = Date.now();
    try {
      const res = await api(service.url, token, 'POST', `${base}/datasets?name=bomb.xes.gz`, bomb, { 'Content-Type': 'application/gzip' });
      expectApiError(res, 413);
      expect(res.body.message).toContain('MAX_DECOMPRESSED_MB');
    } finally {
      clearInterval(sampler);
    }
    expect(Date.now() - started).toBeLessThan(15_000);
    peak = Math.max(peak, residentBytes(pid));
    // Inflating even a tenth of the bomb into memory would exceed this.
    expect(peak - before).toBeLessThan(300 * 1024 * 1024);
    expect(await healthy()).toBe(true);
  }, 60_000);
  it('a gzip bomb is refused while it is still arriving: the 413 comes before the body is sent', async () => {
    const traces = Buffer.from('<trace><string key="concept:name" value="c"/></trace>\n'.repeat(20_000));
    const bomb = Buffer.concat([gzipSync('<log>'), ...Array(3000).fill(gzipSync(traces, { level: 9 }))]);
    const { hostname, port } = new URL(service.url);
    const socket = net.connect(Number(port), hostname);
    socket.on('error', () => {});
    let answer = '';
    let sentWhenAnswered = -1;
    socket.on('data', (d: Buffer) => {
      if (sentWhenAnswered < 0) sentWhenAnswered = socket.bytesWritten;
      answer += d.toString();
    });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST ${base}/datasets?name=bomb.xes.gz HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n`
      + `Content-Type: application/gzip\r\nContent-Length: ${bomb.length}\r\n\r\n`);
    try {
      for (let offset = 0; offset < bomb.length && sentWhenAnswered < 0 && !socket.destroyed; offset += 64 * 1024) {
        if (!socket.write(bomb.subarray(offset, offset + 64 * 1024))) {
          // The server stops reading once it has answered: wait for room to write, the answer, or the end.
          await new Promise<void>((resolve) => {
            const done = () => {
              socket.off('drain', done).off('data', done).off('close', done);
              resolve();
            };
            socket.on('drain', done).on('data', done).on('close', done);
          });
        }
      }
      await waitFor(async () => answer.includes('\r\n\r\n{'), 15_000, 50);
    } finally {
      socket.destroy();
    }
    expect(answer).toMatch(/^HTTP\/1\.1 413/);
    expect(sentWhenAnswered).toBeGreaterThan(0);
    expect(sentWhenAnswered).toBeLessThan(bomb.length / 2);
  });
  it(`a CSV of ${MAX_DATASET_EVENTS + 500} rows with MAX_DATASET_EVENTS=${MAX_DATASET_EVENTS}: 413`, async () => {
    const rows = Array.from({ length: MAX_DATASET_EVENTS + 500 }, (_, i) => `${i % 50},A${i % 7},2024-01-01T00:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`);
    const csv = `case,activity,timestamp\n${rows.join('\n')}\n`;
    const res = await api(service.url, token, 'POST', `${base}/datasets?name=many.csv`, csv, { 'Content-Type': 'text/csv' });
    expectApiError(res, 413);
    expect(res.body.message).toContain('MAX_DATASET_EVENTS');
    const fewer = `case,activity,timestamp\n${rows.slice(0, MAX_DATASET_EVENTS).join('\n')}\n`;
    expect((await api(service.url, token, 'POST', `${base}/datasets?name=enough.csv`, fewer, { 'Content-Type': 'text/csv' })).status).toBe(201);
  });
});

describe('bodies that stop sending: 408 after the idle timeout, connection closed', () => {
  const declared = 'Content-Length: 104857600\r\n\r\n';
  it('a dataset POST declaring 100 MB (Content-Length) that sends 8 bytes', async () => {
    const head = `POST ${base}/datasets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: text/csv\r\n${declared}`;
    const { text, elapsedMs } = await rawExchange(service.url, head, 'case,act', 15_000);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('"statusCode":408');
    expect(elapsedMs).toBeGreaterThanOrEqual(IDLE_SECONDS * 1000 - 100);
  });
  it('the same as multipart/form-data', async () => {
    const head = `POST ${base}/datasets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: multipart/form-data; boundary=XX\r\n${declared}`;
    const { text } = await rawExchange(service.url, head, '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\ncase', 15_000);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('"statusCode":408');
  });
  it('a JSON submit declaring 1 MB that sends 8 bytes', async () => {
    const head = `POST ${base}/execution/job HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1048576\r\n\r\n`;
    const { text } = await rawExchange(service.url, head, '{"jobNam', 15_000);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('"statusCode":408');
    expect(await healthy()).toBe(true);
  });
});

describe('shutdown', () => {
  it('SIGTERM during an upload that keeps trickling: the process exits within the grace', async () => {
    const own = await startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '0', HTTP_SHUTDOWN_GRACE_SECONDS: '1' });
    const ownToken = await own.token(tenant, [project], 'hardening');
    const { hostname, port } = new URL(own.url);
    const socket = net.connect(Number(port), hostname);
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST ${base}/datasets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${ownToken}\r\nContent-Type: text/csv\r\nContent-Length: 104857600\r\n\r\ncase,activity,timestamp\n`);
    const trickle = setInterval(() => socket.write('1,A,2024-01-01T00:00:00Z\n'), 200);
    try {
      // The upload is under way once the server has the request (it appears in no answer; wait until it has read a few rows).
      await waitFor(async () => socket.bytesWritten > 400, 10_000, 50);
      const started = Date.now();
      const exited = new Promise<[number | null, string | null]>((resolve) => own.process.once('exit', (code, signal) => resolve([code, signal])));
      own.process.kill('SIGTERM');
      const outcome = await exited;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect({ outcome, output: own.output() }).toEqual({ outcome: [0, null], output: expect.any(String) });
    } finally {
      clearInterval(trickle);
      socket.destroy();
      await own.stop('SIGKILL');
      removeDataDir(own.dataDir);
    }
  }, 60_000);
});
