/**
 * Mining end to end through the API, side by side with a single-pass Python computation of
 * the same log's counts, directly-follows graph and variants (bench/python/single_pass.py,
 * standard library only) on the same file in the same run:
 * - BPI Challenge 2012: upload (201) plus a comprehensive ProcessMining job to Completed;
 * - a second such job on the already imported BPIC 2012 (the runner keeps no loaded log:
 *   RUNNER_LOG_CACHE_EVENTS=0, so the job loads the imported Arrow file);
 * - the generated 1,000,000-event CSV: upload plus the same job;
 * and the peak resident memory (VmHWM) of the API process and of its children (job runners,
 * dataset import processes), sampled from /proc while the run goes.
 *
 *   npm run build && node dist/bench/mining-end-to-end.bench.js [--postgres] [--skip-csv]
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
import { api, removeDataDir, startServiceProcess, type ServiceProcess } from '../test/support/service-process.js';
import { BPIC_2012_XES_GZ, GENERATED_CSV_FILE_NAME, writeGeneratedCsv } from './support/datasets.js';
import { withTemporaryFolder } from './support/temporary-folder.js';

const { values } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    'skip-csv': { type: 'boolean', default: false },
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
  const parentOf = (pid: number): number | null => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return null;
    }
  };
  const sample = () => {
    const family = new Set([rootPid]);
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      const parent = parentOf(pid);
      if (parent !== null && family.has(parent)) family.add(pid);
    }
    for (const pid of family) {
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
  const upload = await api(service.url, token, 'POST', `${base}/datasets?name=${encodeURIComponent(name)}`, readFileSync(file), { 'Content-Type': contentType });
  if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${JSON.stringify(upload.body)}`);
  const uploadSeconds = (performance.now() - started) / 1000;
  const job = await runJob(service, token, base, upload.body.datasetId);
  return {
    datasetId: upload.body.datasetId as string, uploadSeconds, jobSeconds: job.seconds, totalSeconds: (performance.now() - started) / 1000,
  };
}

async function runJob(service: ServiceProcess, token: string, base: string, datasetId: string) {
  const started = performance.now();
  const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
    jobName: 'end to end', jobType: 'ProcessMining', priority: 'High', parameters: { datasetId, analysisType: 'comprehensive' },
  });
  if (submitted.status !== 201) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
  for (;;) {
    const status = (await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`)).body;
    if (status.status === 'Completed') return { seconds: (performance.now() - started) / 1000 };
    if (status.status === 'Failed' || status.status === 'Cancelled') throw new Error(`job ended ${status.status}: ${JSON.stringify(status.error ?? status)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function main(): Promise<void> {
  const schema = `bench_e2e_${randomUUID().slice(0, 8)}`;
  await withTemporaryFolder('mining-e2e-', async (folder) => {
    const csv = path.join(folder, GENERATED_CSV_FILE_NAME);
    if (!values['skip-csv']) await writeGeneratedCsv(csv, 2012);
    const env: Record<string, string> = { EMBEDDED_WORKER_CAPACITY: '1', RUNNER_LOG_CACHE_EVENTS: '0' };
    if (values.postgres) Object.assign(env, { DATABASE_URL: values.url, DATABASE_SCHEMA: schema, FILES_DIR: path.join(folder, 'files') });
    const service = await startServiceProcess(env);
    const memory = watchPeakMemory(service.process.pid!);
    try {
      const tenant = randomUUID();
      const project = randomUUID();
      const base = `/api/${tenant}/${project}`;
      const token = await service.token(tenant, [project], 'bench');
      // Warm: a first upload and job start the import process and the runner, as on a running service.
      await uploadAndRun(service, token, base, path.resolve('test/fixtures/running-example.csv'), 'text/csv', 'warm-up.csv');

      const bpic = await uploadAndRun(service, token, base, BPIC_2012_XES_GZ, 'application/gzip', 'bpic2012.xes.gz');
      const bpicAgain = await runJob(service, token, base, bpic.datasetId);
      const pythonBpic = pythonPass(BPIC_2012_XES_GZ);
      const million = values['skip-csv'] ? null : await uploadAndRun(service, token, base, csv, 'text/csv', GENERATED_CSV_FILE_NAME);
      const pythonMillion = values['skip-csv'] ? null : pythonPass(csv);
      const peaks = memory.stop();

      const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
      const s = (seconds: number) => `${seconds.toFixed(2)} s`;
      console.log(`\nMining end to end, ${values.postgres ? 'PostgreSQL' : 'embedded store'}, Node ${process.version}, load average ${loadAverage().toFixed(1)}`);
      console.log('| run | this service | upload | job | Python single pass | service ÷ Python |');
      console.log('|---|---|---|---|---|---|');
      console.log(`| BPIC 2012 upload + comprehensive job | ${s(bpic.totalSeconds)} | ${s(bpic.uploadSeconds)} | ${s(bpic.jobSeconds)} | ${s(pythonBpic.wallSeconds)} | ${(bpic.totalSeconds / pythonBpic.wallSeconds).toFixed(2)} |`);
      console.log(`| comprehensive job on the imported BPIC 2012 | ${s(bpicAgain.seconds)} | – | ${s(bpicAgain.seconds)} | | |`);
      if (million && pythonMillion) {
        console.log(`| 1M-event CSV upload + comprehensive job | ${s(million.totalSeconds)} | ${s(million.uploadSeconds)} | ${s(million.jobSeconds)} | ${s(pythonMillion.wallSeconds)} | ${(million.totalSeconds / pythonMillion.wallSeconds).toFixed(2)} |`);
      }
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
