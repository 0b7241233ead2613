/**
 * This service as a system under test: the built API process (and, on PostgreSQL, worker
 * processes), the running example uploaded once per start, and the cheapest real job
 * (Analysis, `variants`). A job's end is learnt from the node's own log line
 * ("job … ended on …"), so waiting adds no request and no SQL to the measured phase; its
 * start and end times are the job's `startTime` / `endTime` (millisecond precision) read
 * over the API afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import {
  api, removeDataDir, startServiceProcess, TEST_JWT_SECRET, uploadDataset, type ServiceProcess,
} from '../../test/support/service-process.js';
import { waitFor } from '../../test/support/wait-for.js';
import { ANALYSIS_PARAMETERS } from './benchmark-job.js';
import { forEachLine, stopChild, trackChild } from './child-processes.js';
import type { JobTimes, RunningSystem, SystemUnderTest } from './system-under-test.js';

const WORKER_MAIN = path.resolve('dist/apps/worker/src/main.js');
const JOB_ENDED = /job ([0-9a-f-]{36}) ended on /;
/** Without an end line for this long, ask the API instead (the log line may have changed). */
const LOG_SILENCE_BEFORE_ASKING_MS = 3_000;
const TERMINAL_STATUSES = new Set(['Completed', 'Failed', 'Cancelled']);

export interface ThisServiceOptions {
  readonly label: string;
  /** PostgreSQL database URL, or null for the embedded store (PGlite) in the API process. */
  readonly databaseUrl: string | null;
  readonly database: string | null;
  readonly workerProcesses: number;
  /** Slots per worker process, or of the API's in-process worker on the embedded store. */
  readonly slots: number;
  /** Each start's data folder (files, embedded store) is made below this one, removed with it. */
  readonly dataRoot: string;
  /** Write V8 CPU profiles of the API, worker and runner processes into this folder (`--cpu-prof`). */
  readonly cpuProfileDir?: string;
}

/** How a submitted job is found again over the API, also after the processes were restarted. */
interface SubmittedJob { readonly jobId: string; readonly base: string; readonly token: string }

export function thisService(options: ThisServiceOptions): SystemUnderTest {
  const submitted = new Map<number, SubmittedJob>();
  let apiUrl: string | null = null;
  return {
    label: options.label,
    database: options.database,
    usesRedis: false,
    prepare: async () => undefined,
    async start() {
      const running = await startThisService(options, submitted);
      apiUrl = running.url;
      return running;
    },
    async timesOf(keys) {
      if (!apiUrl) throw new Error('the service is not running');
      const times = new Map<number, JobTimes>();
      if (keys.length <= 10) {
        for (const key of keys) {
          const job = submitted.get(key)!;
          // The node's log line can come before the job's view shows the end: wait for the view.
          const body = await waitFor(async () => {
            const res = await api(apiUrl!, job.token, 'GET', `${job.base}/execution/job/${job.jobId}`);
            return TERMINAL_STATUSES.has(res.body.status) && res.body;
          }, 30_000, 10, `the view of job ${job.jobId} to show its end`);
          times.set(key, jobTimes({ ...body.execution, status: body.status }));
        }
        return times;
      }
      // Many jobs: page through the list of each project they were submitted to.
      const byProject = new Map<string, { token: string; keyOfJobId: Map<string, number> }>();
      for (const key of keys) {
        const job = submitted.get(key)!;
        const project = byProject.get(job.base) ?? { token: job.token, keyOfJobId: new Map<string, number>() };
        project.keyOfJobId.set(job.jobId, key);
        byProject.set(job.base, project);
      }
      for (const [base, { token, keyOfJobId }] of byProject) {
        for (let page = 1; ; page++) {
          const res = await api(apiUrl, token, 'GET', `${base}/execution/jobs?pageSize=100&page=${page}`);
          for (const job of res.body.jobs) {
            const key = keyOfJobId.get(job.jobId);
            if (key !== undefined) times.set(key, jobTimes(job));
          }
          if (!res.body.hasNextPage) break;
        }
      }
      return times;
    },
    cleanup: async () => undefined,
  };
}

function jobTimes(job: { startTime: string | null; endTime: string | null; status: string }): JobTimes {
  return {
    startedAt: job.startTime ? Date.parse(job.startTime) : Number.NaN,
    endedAt: job.endTime ? Date.parse(job.endTime) : Number.NaN,
    failed: job.status !== 'Completed',
  };
}

function profilingArguments(options: ThisServiceOptions): string[] {
  return options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
}

async function startWorkerProcess(
  service: ServiceProcess, env: Record<string, string>, index: number, onLine: (line: string) => void, nodeArguments: string[],
): Promise<ChildProcess> {
  const worker = trackChild(spawn(process.execPath, [...nodeArguments, WORKER_MAIN], {
    env: { ...process.env, ...env, DATA_DIR: service.dataDir, JWT_SECRET: TEST_JWT_SECRET, NODE_ID: `bench-worker-${index}` },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let output = '';
  forEachLine(worker.stdout!, (line) => {
    if (output.length < 100_000) output += `${line}\n`;
    onLine(line);
  });
  worker.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<never>((_, reject) => worker.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${output}`))));
  exited.catch(() => undefined);
  await Promise.race([waitFor(() => output.includes('running with'), 60_000, 50, 'the worker process to start'), exited]);
  return worker;
}

async function startThisService(
  options: ThisServiceOptions, submitted: Map<number, SubmittedJob>,
): Promise<RunningSystem & { readonly url: string }> {
  const storeEnv: Record<string, string> = options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {};
  const service = await startServiceProcess({
    ...storeEnv, EMBEDDED_WORKER_CAPACITY: options.databaseUrl ? '0' : String(options.slots),
  }, mkdtempSync(path.join(options.dataRoot, 'service-')), profilingArguments(options));
  trackChild(service.process);
  const ended = new Set<string>();
  let awaited = new Set<string>();
  let lastEndLineAt = Date.now();
  const onLine = (line: string) => {
    const match = JOB_ENDED.exec(line);
    if (match) {
      ended.add(match[1]);
      awaited.delete(match[1]);
      lastEndLineAt = Date.now();
    }
  };
  forEachLine(service.process.stdout!, onLine);
  const workers: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(workers.map((w) => stopChild(w)));
    await service.stop();
    removeDataDir(service.dataDir);
  };
  try {
    for (let i = 1; i <= options.workerProcesses; i++) {
      workers.push(await startWorkerProcess(service, { ...storeEnv, WORKER_CAPACITY: String(options.slots) }, i, onLine, profilingArguments(options)));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const tenant = randomUUID();
  const project = randomUUID();
  const base = `/api/${tenant}/${project}`;
  const token = await service.token(tenant, [project], 'queue-bench');
  const datasetId = await uploadDataset(service, token, base);
  const jobIdOfKey = new Map<number, string>();
  const terminalJobsInProject = async (): Promise<number> => {
    const res = await api(service.url, token, 'GET', `${base}/execution/jobs?pageSize=1`);
    const s = res.body.summary;
    return s.completedJobs + s.failedJobs + s.cancelledJobs;
  };

  // Submits go through node:http with kept-alive connections: global fetch costs the
  // benchmark's process about a millisecond of CPU per request, taken from the same two cores.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  return {
    url: service.url,
    async submit(key) {
      const res = await postJson(agent, `${service.url}${base}/execution/job`, token, {
        jobName: `bench ${key}`, jobType: 'Analysis', parameters: { datasetId, ...ANALYSIS_PARAMETERS },
      });
      if (res.status !== 201) throw new Error(`submit failed: ${res.status} ${JSON.stringify(res.body)}`);
      jobIdOfKey.set(key, res.body.jobId);
      submitted.set(key, { jobId: res.body.jobId, base, token });
    },
    async waitForEnd(keys, timeoutMs) {
      awaited = new Set(keys.map((key) => jobIdOfKey.get(key)!).filter((id) => !ended.has(id)));
      await waitFor(async () => {
        if (awaited.size === 0) return true;
        if (Date.now() - lastEndLineAt < LOG_SILENCE_BEFORE_ASKING_MS) return false;
        lastEndLineAt = Date.now();
        return (await terminalJobsInProject()) >= jobIdOfKey.size;
      }, timeoutMs, 5, `${keys.length} jobs of ${options.label} to end`);
    },
    processes: () => ({ api: [service.process.pid!], worker: workers.map((w) => w.pid!) }),
    async stop() {
      agent.destroy();
      await stop();
    },
  };
}

function postJson(agent: http.Agent, url: string, token: string, body: unknown): Promise<{ status: number; body: any }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(url, {
      method: 'POST', agent,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null });
        } catch (error) {
          reject(new Error(`submit answered ${response.statusCode} with no JSON: ${text.slice(0, 200)} (${String(error)})`));
        }
      });
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(payload);
  });
}
