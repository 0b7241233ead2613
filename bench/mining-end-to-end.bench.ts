/**
 * Mining end to end through the API, side by side with a single-pass Python computation of
 * the same log's counts, directly-follows graph and variants (bench/python/single_pass.py,
 * standard library only) on the same file in the same run:
 * - BPI Challenge 2012: upload (201) plus a comprehensive ProcessMining job to Completed;
 * - a second such job on the already imported BPIC 2012 (the runner keeps no loaded log:
 *   RUNNER_LOG_CACHE_EVENTS=0, so the job loads the imported Arrow file);
 * - the generated 1,000,000-event CSV: upload plus the same job;
 * and the peak resident memory (VmHWM) of the API process and of its children (job runners,
 * dataset import processes), sampled from /proc while the run goes. Each run's CPU is that of
 * the whole service (the API and its children, utime + stime from /proc) over the run, beside
 * the Python pass's own CPU: on a busy machine CPU per run says more than wall time.
 *
 *   npm run build && node dist/bench/mining-end-to-end.bench.js [--postgres] [--skip-csv] [--cpu-prof-dir=DIR]
 *
 * The service runs as its own process on the embedded store (PGlite) with one job slot, or on
 * the PostgreSQL server with --postgres (TEST_DATABASE_URL, a throw-away schema).
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadServiceConfig } from '../libs/config/src/service-config.js';
import { api, removeDataDir, startServiceProcess, type ServiceProcess } from '../test/support/service-process.js';
import { BPIC_2012_XES_GZ, GENERATED_CSV_FILE_NAME, writeGeneratedCsv } from './support/datasets.js';
import { withTemporaryFolder } from './support/temporary-folder.js';

const { values } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    'skip-csv': { type: 'boolean', default: false },
    /** Profiles the service, its job runners and import processes (written when they exit). */
    'cpu-prof-dir': { type: 'string' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});

interface PythonPass { readonly events: number; readonly variants: number; readonly wallSeconds: number; readonly cpuSeconds: number }

function pythonPass(file: string): PythonPass {
  const started = performance.now();
  const output = execFileSync('python3', [path.resolve('bench/python/single_pass.py'), file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  const figures = JSON.parse(output) as PythonPass;
  // The process's own wall time, interpreter start included, as ours includes everything.
  return { ...figures, wallSeconds: (performance.now() - started) / 1000 };
}

const parentOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
};

/** A process and every process below it. */
function familyOf(rootPid: number): Set<number> {
  const family = new Set([rootPid]);
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const parent = parentOf(pid);
    if (parent !== null && family.has(parent)) family.add(pid);
  }
  return family;
}

const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** A process's kind, from the script it runs: the API, a job runner, a dataset import process. */
function processKind(pid: number, rootPid: number): string {
  if (pid === rootPid) return 'api';
  try {
    const script = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').find((arg) => arg.endsWith('.js')) ?? '';
    if (script.includes('job-runner')) return 'runner';
    if (script.includes('dataset-import')) return 'import';
    return path.basename(script, '.js') || 'other';
  } catch {
    return 'other';
  }
}

/**
 * CPU seconds (user + system) a process and its live children have used so far, with their
 * reaped children's, by process kind (see processKind).
 */
function familyCpuByKind(rootPid: number): Map<string, number> {
  const byKind = new Map<string, number>();
  for (const pid of familyOf(rootPid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime, stime, cutime, cstime: fields 14–17 of /proc/PID/stat (11–14 after the name and state).
      const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
      const kind = processKind(pid, rootPid);
      byKind.set(kind, (byKind.get(kind) ?? 0) + ticks / CLOCK_TICKS_PER_SECOND);
    } catch {
      // ended meanwhile
    }
  }
  return byKind;
}

function familyCpuSeconds(rootPid: number): number {
  let total = 0;
  for (const seconds of familyCpuByKind(rootPid).values()) total += seconds;
  return total;
}

/** CPU used by each process kind since `before` (e.g. "api 0.21, runner 1.40"). */
function cpuSplitSince(rootPid: number, before: Map<string, number>): string {
  const parts: string[] = [];
  for (const [kind, seconds] of familyCpuByKind(rootPid)) {
    const used = seconds - (before.get(kind) ?? 0);
    if (used >= 0.005) parts.push(`${kind} ${used.toFixed(2)}`);
  }
  return parts.join(', ');
}

/**
 * Waits until the service has used under 50 ms of CPU in the last 500 ms (at most 20 s):
 * what an earlier step left running (an idle runner's warm-up, a retired import process's
 * exit) is not counted in the next one, as on a service that had been running a while.
 */
async function quietService(rootPid: number): Promise<void> {
  const deadline = performance.now() + 20_000;
  let previous = familyCpuSeconds(rootPid);
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = familyCpuSeconds(rootPid);
    if (now - previous < 0.05) return;
    previous = now;
  }
}

/** Peak resident bytes of a process and of every process below it, sampled until stopped. */
function watchPeakMemory(rootPid: number): { stop(): { root: number; children: number } } {
  const peaks = new Map<number, number>();
  const hwm = (pid: number): number | null => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) * 1024 : null;
    } catch {
      return null;
    }
  };
  const sample = () => {
    for (const pid of familyOf(rootPid)) {
      const value = hwm(pid);
      if (value !== null) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, value));
    }
  };
  sample();
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const root = peaks.get(rootPid) ?? 0;
      const children = Math.max(0, ...[...peaks].filter(([pid]) => pid !== rootPid).map(([, bytes]) => bytes));
      return { root, children };
    },
  };
}

async function uploadAndRun(service: ServiceProcess, token: string, base: string, file: string, contentType: string, name: string) {
  const started = performance.now();
  const cpuBefore = familyCpuSeconds(service.process.pid!);
  const splitBefore = familyCpuByKind(service.process.pid!);
  const upload = await api(service.url, token, 'POST', `${base}/datasets?name=${encodeURIComponent(name)}`, readFileSync(file), { 'Content-Type': contentType });
  if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(upload.body)}`);
  const uploadSeconds = (performance.now() - started) / 1000;
  const uploadCpu = cpuSplitSince(service.process.pid!, splitBefore);
  const job = await runJob(service, token, base, upload.body.datasetId);
  return {
    uploadCpu, jobCpu: job.cpuSplit,
    datasetId: upload.body.datasetId as string, uploadSeconds, jobSeconds: job.seconds, totalSeconds: (performance.now() - started) / 1000,
    cpuSeconds: familyCpuSeconds(service.process.pid!) - cpuBefore,
  };
}

async function runJob(service: ServiceProcess, token: string, base: string, datasetId: string) {
  const started = performance.now();
  const cpuBefore = familyCpuSeconds(service.process.pid!);
  const splitBefore = familyCpuByKind(service.process.pid!);
  const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
    jobName: 'end to end', jobType: 'ProcessMining', priority: 'High', parameters: { datasetId, analysisType: 'comprehensive' },
  });
  if (submitted.status !== 201) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  for (;;) {
    const status = (await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`)).body;
    if (status.status === 'Completed') {
      return {
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: familyCpuSeconds(service.process.pid!) - cpuBefore,
        cpuSplit: cpuSplitSince(service.process.pid!, splitBefore),
      };
    }
    if (status.status === 'Failed' || status.status === 'Cancelled') throw new Error(`job ended ${status.status}: ${JSON.stringify(status.error ?? status)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function main(): Promise<void> {
  const schema = `bench_e2e_${randomUUID().slice(0, 8)}`;
  await withTemporaryFolder('mining-e2e-', async (folder) => {
    const csv = path.join(folder, GENERATED_CSV_FILE_NAME);
    if (!values['skip-csv']) await writeGeneratedCsv(csv, 2012);
    // The service's default of block read threads (the test support's services have none unless asked).
    const readThreads = String(loadServiceConfig({}).datasetImportReadThreads);
    const env: Record<string, string> = { EMBEDDED_WORKER_CAPACITY: '1', RUNNER_LOG_CACHE_EVENTS: '0', DATASET_IMPORT_READ_THREADS: readThreads };
    if (values.postgres) Object.assign(env, { DATABASE_URL: values.url, DATABASE_SCHEMA: schema, FILES_DIR: path.join(folder, 'files') });
    const profile = values['cpu-prof-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof-dir'])}`] : [];
    const service = await startServiceProcess(env, undefined, profile);
    const memory = watchPeakMemory(service.process.pid!);
    try {
      const tenant = randomUUID();
      const project = randomUUID();
      const base = `/api/${tenant}/${project}`;
      const token = await service.token(tenant, [project], 'bench');
      // Warm: a first upload and job start the import process and the runner, as on a running service.
      await uploadAndRun(service, token, base, path.resolve('test/fixtures/running-example.csv'), 'text/csv', 'warm-up.csv');
      await quietService(service.process.pid!);

      const bpic = await uploadAndRun(service, token, base, BPIC_2012_XES_GZ, 'application/gzip', 'bpic2012.xes.gz');
      await quietService(service.process.pid!);
      const bpicAgain = await runJob(service, token, base, bpic.datasetId);
      const pythonBpic = pythonPass(BPIC_2012_XES_GZ);
      await quietService(service.process.pid!);
      const million = values['skip-csv'] ? null : await uploadAndRun(service, token, base, csv, 'text/csv', GENERATED_CSV_FILE_NAME);
      const pythonMillion = values['skip-csv'] ? null : pythonPass(csv);
      const peaks = memory.stop();

      const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
      const s = (seconds: number) => `${seconds.toFixed(2)} s`;
      console.log(`\nMining end to end, ${values.postgres ? 'PostgreSQL' : 'embedded store'}, Node ${process.version}, load average ${loadAverage().toFixed(1)}`);
      console.log('| run | this service | upload | job | Python single pass | service ÷ Python | service CPU | Python CPU | CPU ratio |');
      console.log('|---|---|---|---|---|---|---|---|---|');
      const ratio = (a: number, b: number) => (a / b).toFixed(2);
      console.log(`| BPIC 2012 upload + comprehensive job | ${s(bpic.totalSeconds)} | ${s(bpic.uploadSeconds)} | ${s(bpic.jobSeconds)} | ${s(pythonBpic.wallSeconds)} | ${ratio(bpic.totalSeconds, pythonBpic.wallSeconds)} | ${s(bpic.cpuSeconds)} | ${s(pythonBpic.cpuSeconds)} | ${ratio(bpic.cpuSeconds, pythonBpic.cpuSeconds)} |`);
      console.log(`| comprehensive job on the imported BPIC 2012 | ${s(bpicAgain.seconds)} | – | ${s(bpicAgain.seconds)} | | | ${s(bpicAgain.cpuSeconds)} | | |`);
      if (million && pythonMillion) {
        console.log(`| 1M-event CSV upload + comprehensive job | ${s(million.totalSeconds)} | ${s(million.uploadSeconds)} | ${s(million.jobSeconds)} | ${s(pythonMillion.wallSeconds)} | ${ratio(million.totalSeconds, pythonMillion.wallSeconds)} | ${s(million.cpuSeconds)} | ${s(pythonMillion.cpuSeconds)} | ${ratio(million.cpuSeconds, pythonMillion.cpuSeconds)} |`);
      }
      console.log(`\nCPU seconds by process: BPIC 2012 upload ${bpic.uploadCpu}; its job ${bpic.jobCpu}; the job on the imported log ${bpicAgain.cpuSplit}`);
      if (million) console.log(`CPU seconds by process: 1M-event CSV upload ${million.uploadCpu}; its job ${million.jobCpu}`);
      console.log(`\nPeak resident memory: API process ${mb(peaks.root)}, largest child (job runner or dataset import process) ${mb(peaks.children)}`);
      console.log(`Python pass on BPIC 2012: ${pythonBpic.events} events, ${pythonBpic.variants} variants, ${s(pythonBpic.cpuSeconds)} CPU`);
    } finally {
      await service.stop();
      removeDataDir(service.dataDir);
      if (values.postgres) {
        const client = new pg.Client({ connectionString: values.url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => client.end());
      }
    }
  });
}

function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

await main();
