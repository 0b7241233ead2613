/**
 * The side-by-side queue benchmark: this service (on PostgreSQL with 2 worker processes, and
 * on the embedded store) against graphile-worker, pg-boss and BullMQ (2 worker processes ×
 * concurrency 8 each, once with a no-op handler and once running the same Analysis
 * computation in-process), in one run, on one machine. Per system: jobs/s end to end,
 * CPU ms per job by process kind, SQL statements and commits per job (on a private
 * PostgreSQL cluster with pg_stat_statements), submit→start latency on an idle system;
 * then the ratios against the targets.
 *
 *   npm run --silent build && node dist/bench/queue.bench.js [--quick] [--jobs=N] [--only=name,…]
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ingestEventLog } from '../libs/mining/src/ingest/index.js';
import { RUNNING_EXAMPLE_CSV } from '../test/support/fixtures.js';
import { startBenchPostgres, type BenchPostgres } from './queue/bench-postgres-cluster.js';
import { redisServerPid } from './queue/bullmq-queue.js';
import { killTrackedChildren } from './queue/child-processes.js';
import { competitorSystem } from './queue/competitor-system.js';
import type { CompetitorName } from './queue/competitor-queue.js';
import { processOwnCpuMs, processTreeCpuMs } from './queue/process-cpu.js';
import type { JobTimes, RunningSystem, SystemUnderTest } from './queue/system-under-test.js';
import { thisService } from './queue/this-service.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    /** Jobs of every throughput phase; by default each system gets about `seconds` of work at the rate its warm-up showed. */
    jobs: { type: 'string' },
    seconds: { type: 'string' },
    'latency-jobs': { type: 'string' },
    'latency-seconds': { type: 'string' },
    /** Also print each system's most called statements. */
    'show-statements': { type: 'boolean', default: false },
    /** Comma-separated system ids (see SYSTEM_IDS), e.g. --only=service-pg,graphile-worker-analysis */
    only: { type: 'string' },
    /** Write V8 CPU profiles (.cpuprofile) of this service's processes into this folder. */
    'cpu-profile': { type: 'string' },
    'redis-url': { type: 'string', default: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9' },
  },
});

const quick = values.quick!;
const FIXED_JOBS = values.jobs === undefined ? null : positiveInteger('jobs', values.jobs);
const PHASE_SECONDS = values.seconds === undefined ? (quick ? 6 : 15) : positiveInteger('seconds', values.seconds);
const LATENCY_JOBS = values['latency-jobs'] === undefined ? (quick ? 30 : 200) : positiveInteger('latency-jobs', values['latency-jobs']);
const LATENCY_SECONDS = values['latency-seconds'] === undefined ? (quick ? 5 : 30) : positiveInteger('latency-seconds', values['latency-seconds']);
const CPU_PROFILE_DIR = values['cpu-profile'] === undefined ? undefined : path.resolve(values['cpu-profile']);
const CLIENTS = 32;
const WORKER_PROCESSES = 2;
const SLOTS = 8;
const WARM_UP_JOBS = quick ? 8 : 16;
/** After the warm-up, a burst this big gives the rate the phase is sized by (a small burst measures latency, not throughput). */
const RATE_PROBE_JOBS = quick ? 32 : 96;
const MIN_JOBS = quick ? 16 : 32;
const MAX_JOBS = 20_000;
const redisUrl = new URL(values['redis-url']!);
const REDIS = {
  host: redisUrl.hostname, port: Number(redisUrl.port || 6379), db: Number(redisUrl.pathname.slice(1) || 0),
  prefix: `queue-bench-${randomBytes(4).toString('hex')}`,
};

function positiveInteger(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return n;
}

interface CpuReading { api: number | null; worker: number | null; workerOwn: number | null; postgres: number | null; redis: number | null; clients: number }

interface SystemFigures {
  readonly id: string;
  readonly label: string;
  readonly jobs: number;
  readonly failed: number;
  readonly jobsPerSecond: number | null;
  readonly cpuMsPerJob: { [K in keyof CpuReading]: number | null };
  readonly statementsPerJob: number | null;
  readonly statementsPerJobWithoutTransactionControl: number | null;
  readonly commitsPerJob: number | null;
  readonly latencySamples: number;
  readonly submitToStartP50Ms: number | null;
  readonly submitToStartP99Ms: number | null;
}

let nextKey = 1;
const takeKeys = (count: number) => Array.from({ length: count }, () => nextKey++);

/** `CLIENTS` concurrent clients submit the jobs as fast as the system acknowledges them. */
async function submitConcurrently(running: RunningSystem, keys: readonly number[]): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(CLIENTS, keys.length) }, async () => {
    while (next < keys.length) await running.submit(keys[next++]);
  }));
}

function readCpu(running: RunningSystem, system: SystemUnderTest, pg: BenchPostgres, redisPid: number | null): CpuReading {
  const { api, worker } = running.processes();
  const own = process.cpuUsage();
  return {
    api: processTreeCpuMs(api),
    worker: processTreeCpuMs(worker),
    workerOwn: processOwnCpuMs(worker),
    postgres: system.database ? processTreeCpuMs([pg.serverPid()]) : null,
    redis: system.usesRedis && redisPid !== null ? processTreeCpuMs([redisPid]) : null,
    clients: (own.user + own.system) / 1000,
  };
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(id: string, system: SystemUnderTest, pg: BenchPostgres, redisPid: number | null): Promise<SystemFigures> {
  const log = (message: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${system.label}: ${message}\n`);
  if (system.database) await pg.createDatabase(system.database);
  await system.prepare();

  // Throughput: warm up, then submit N jobs with 32 clients; CPU until the last one ended.
  let running = await system.start();
  let keys: number[];
  let firstSubmitAt: number;
  let cpuBefore: CpuReading;
  let cpuAfter: CpuReading;
  let commitsBefore: number | null = null;
  let times: Map<number, JobTimes> | null = null;
  try {
    const warmUp = takeKeys(WARM_UP_JOBS);
    await submitConcurrently(running, warmUp);
    await running.waitForEnd(warmUp, 300_000);
    const probe = takeKeys(RATE_PROBE_JOBS);
    const probeStarted = Date.now();
    await submitConcurrently(running, probe);
    await running.waitForEnd(probe, 300_000);
    const warmUpRate = RATE_PROBE_JOBS / Math.max(0.001, (Date.now() - probeStarted) / 1000);
    const jobs = FIXED_JOBS ?? Math.min(MAX_JOBS, Math.max(MIN_JOBS, Math.round(warmUpRate * PHASE_SECONDS)));
    log(`warm-up ${warmUpRate.toFixed(1)} jobs/s; measuring ${jobs} jobs`);
    keys = takeKeys(jobs);
    await pg.resetStatements();
    if (system.database) commitsBefore = await pg.commitsOf(system.database);
    cpuBefore = readCpu(running, system, pg, redisPid);
    firstSubmitAt = Date.now();
    await submitConcurrently(running, keys);
    await running.waitForEnd(keys, 120_000 + (jobs / warmUpRate) * 5_000);
    cpuAfter = readCpu(running, system, pg, redisPid);
    // Without a server database nothing is counted after the stop, and the embedded store goes with its process.
    if (!system.database) times = await system.timesOf(keys);
  } finally {
    await running.stop();
  }
  // Counted once the processes (and their sessions) ended: a backend publishes its commit count at most once a second, and at exit.
  let statements = null;
  let commits: number | null = null;
  if (system.database) {
    await pg.waitUntilNoSessions(system.database);
    statements = await pg.statementsOf(system.database);
    if (values['show-statements']) {
      for (const s of await pg.topStatementsOf(system.database, 25)) log(`${(s.calls / keys.length).toFixed(2)}/job  `
        + `${(s.executionMs / keys.length).toFixed(3)} ms run + ${(s.planningMs / keys.length).toFixed(3)} ms plan /job (planned ${s.plans} times)  ${s.query}`);
    }
    commits = (await pg.commitsOf(system.database)) - commitsBefore!;
  }

  // Idle latency (and the throughput phase's job times): one job at a time, each waited for to its end.
  running = await system.start();
  const latencies: number[] = [];
  try {
    times ??= await system.timesOf(keys);
    const latencyDeadline = Date.now() + LATENCY_SECONDS * 1000;
    while (latencies.length < LATENCY_JOBS && Date.now() < latencyDeadline) {
      const [key] = takeKeys(1);
      const submittedAt = Date.now();
      await running.submit(key);
      await running.waitForEnd([key], 60_000);
      const job = (await system.timesOf([key])).get(key)!;
      if (!job.failed) latencies.push(job.startedAt - submittedAt);
      if (process.env.QUEUE_BENCH_TRACE) log(`latency job: start +${job.startedAt - submittedAt} ms, end +${job.endedAt - submittedAt} ms, seen +${Date.now() - submittedAt} ms`);
    }
  } finally {
    await running.stop();
  }
  log(`done (${latencies.length} latency samples)`);

  const ended = [...times!.values()];
  const lastEnd = Math.max(...ended.map((t) => t.endedAt));
  const perJob = (before: number | null, after: number | null) =>
    before === null || after === null ? null : (after - before) / keys.length;
  latencies.sort((a, b) => a - b);
  return {
    id,
    label: system.label,
    jobs: keys.length,
    failed: ended.filter((t) => t.failed).length + (keys.length - ended.length),
    jobsPerSecond: Number.isFinite(lastEnd) && ended.length === keys.length ? keys.length / ((lastEnd - firstSubmitAt) / 1000) : null,
    cpuMsPerJob: {
      api: perJob(cpuBefore.api, cpuAfter.api),
      worker: perJob(cpuBefore.worker, cpuAfter.worker),
      workerOwn: perJob(cpuBefore.workerOwn, cpuAfter.workerOwn),
      postgres: perJob(cpuBefore.postgres, cpuAfter.postgres),
      redis: perJob(cpuBefore.redis, cpuAfter.redis),
      clients: perJob(cpuBefore.clients, cpuAfter.clients),
    },
    statementsPerJob: statements ? statements.statements / keys.length : null,
    statementsPerJobWithoutTransactionControl: statements ? statements.statementsWithoutTransactionControl / keys.length : null,
    commitsPerJob: commits === null ? null : commits / keys.length,
    latencySamples: latencies.length,
    submitToStartP50Ms: percentile(latencies, 50),
    submitToStartP99Ms: percentile(latencies, 99),
  };
}

const format = (value: number | null, digits = 1) => (value === null ? '–' : value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

/** The worker processes' CPU, and where they have job runners, split into the node's own and its runners'. */
function workerCpu(r: SystemFigures): string {
  const { worker, workerOwn } = r.cpuMsPerJob;
  if (worker === null || workerOwn === null || worker - workerOwn < 0.05) return format(worker);
  return `${format(worker)} (${format(workerOwn)} node + ${format(worker - workerOwn)} runners)`;
}

function printFigures(rows: readonly SystemFigures[]): void {
  const header = ['system', 'jobs', 'jobs/s', 'CPU ms/job: API', 'worker', 'PostgreSQL', 'Redis', 'bench clients',
    'SQL statements/job (without BEGIN/COMMIT)', 'commits/job', 'submit→start p50 / p99 ms (samples)', 'failed'];
  const lines = rows.map((r) => [
    r.label, String(r.jobs), format(r.jobsPerSecond), format(r.cpuMsPerJob.api), workerCpu(r),
    format(r.cpuMsPerJob.postgres), format(r.cpuMsPerJob.redis), format(r.cpuMsPerJob.clients),
    r.statementsPerJob === null ? '–' : `${format(r.statementsPerJob)} (${format(r.statementsPerJobWithoutTransactionControl)})`,
    format(r.commitsPerJob), `${format(r.submitToStartP50Ms, 0)} / ${format(r.submitToStartP99Ms, 0)} (${r.latencySamples})`, String(r.failed),
  ]);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const line of lines) console.log(`| ${line.join(' | ')} |`);
}

function printTargets(rows: readonly SystemFigures[]): void {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const service = byId.get('service-pg');
  const graphile = byId.get('graphile-worker-analysis');
  const targets: { target: string; measured: number | null; goal: number; atLeast: boolean; unit: string }[] = [];
  if (service) {
    targets.push({ target: '≥300 jobs/s, cheapest real job, PostgreSQL, 2 workers', measured: service.jobsPerSecond, goal: 300, atLeast: true, unit: 'jobs/s' });
    if (graphile) {
      targets.push({
        target: '≥1.0× graphile-worker on the same computation',
        measured: service.jobsPerSecond !== null && graphile.jobsPerSecond !== null ? service.jobsPerSecond / graphile.jobsPerSecond : null,
        goal: 1, atLeast: true, unit: '×',
      });
    }
    targets.push({ target: 'submit→start p50 ≤5 ms, idle', measured: service.submitToStartP50Ms, goal: 5, atLeast: false, unit: 'ms' });
    targets.push({ target: 'submit→start p99 ≤30 ms, idle', measured: service.submitToStartP99Ms, goal: 30, atLeast: false, unit: 'ms' });
    targets.push({ target: '≤15 SQL statements per job', measured: service.statementsPerJob, goal: 15, atLeast: false, unit: 'statements' });
  }
  if (targets.length === 0) return;
  console.log('\nThis service on PostgreSQL against the targets (ratio = measured / target):\n');
  console.log('| target | measured | ratio | met |');
  console.log('|---|---|---|---|');
  for (const t of targets) {
    const ratio = t.measured === null ? null : t.measured / t.goal;
    const met = t.measured === null ? '–' : (t.atLeast ? t.measured >= t.goal : t.measured <= t.goal) ? 'yes' : 'no';
    console.log(`| ${t.target} | ${format(t.measured, t.unit === '×' ? 3 : 1)} ${t.unit} | ${format(ratio, 3)}× | ${met} |`);
  }
  const pairs: [string, string][] = [
    ['graphile-worker-analysis', 'graphile-worker'], ['pg-boss-analysis', 'pg-boss'], ['bullmq-analysis', 'BullMQ'],
  ];
  const ratioLines = pairs.flatMap(([id, name]) => {
    const other = byId.get(id);
    return service && other && service.jobsPerSecond !== null && other.jobsPerSecond !== null
      ? [`| ${name} (Analysis in-process) | ${format(service.jobsPerSecond / other.jobsPerSecond, 3)}× |`] : [];
  });
  const embedded = byId.get('service-embedded');
  if (service && embedded && service.jobsPerSecond !== null && embedded.jobsPerSecond !== null) {
    ratioLines.push(`| this service, embedded store | ${format(service.jobsPerSecond / embedded.jobsPerSecond, 3)}× |`);
  }
  if (ratioLines.length > 0) {
    console.log('\nThis service on PostgreSQL, jobs/s relative to the same computation elsewhere:\n');
    console.log('| compared with | ratio |');
    console.log('|---|---|');
    for (const line of ratioLines) console.log(line);
  }
}

const SYSTEM_IDS = [
  'service-pg', 'service-embedded', 'graphile-worker-noop', 'graphile-worker-analysis',
  'pg-boss-noop', 'pg-boss-analysis', 'bullmq-noop', 'bullmq-analysis',
] as const;
const selected = values.only ? values.only.split(',').map((s) => s.trim()) : [...SYSTEM_IDS];
for (const id of selected) {
  if (!(SYSTEM_IDS as readonly string[]).includes(id)) throw new Error(`--only: unknown system ${id} (one of ${SYSTEM_IDS.join(', ')})`);
}

const outputRoot = await mkdtemp(path.join(os.tmpdir(), 'queue-bench-'));
let pg: BenchPostgres | null = null;
const cleanups: (() => Promise<void>)[] = [];
const stopEverything = async () => {
  killTrackedChildren();
  for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => process.stderr.write(`cleanup: ${String(error)}\n`));
  await pg?.close();
  pg = null;
  await rm(outputRoot, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void stopEverything().finally(() => process.exit(130)));
}

try {
  const cluster = await startBenchPostgres();
  pg = cluster;
  const redisPid = selected.some((id) => id.startsWith('bullmq')) ? await redisServerPid(REDIS) : null;
  const columns = (await ingestEventLog({ path: RUNNING_EXAMPLE_CSV, format: 'csv', columns: {} })).columns.mapping;
  const competitor = (id: string, name: CompetitorName, label: string, handler: 'noop' | 'analysis'): SystemUnderTest => {
    const database = name === 'bullmq' ? null : id.replace(/-/g, '_');
    const system = competitorSystem({
      label: `${label} (${handler === 'noop' ? 'no-op' : 'Analysis in-process'})`, handler, database,
      workerProcesses: WORKER_PROCESSES, datasetPath: RUNNING_EXAMPLE_CSV, columns, outputRoot,
      config: {
        competitor: name, queueName: `bench_${handler}`, concurrency: SLOTS,
        ...(database ? { connectionString: cluster.urlOf(database) } : { redis: REDIS }),
      },
    });
    cleanups.push(() => system.cleanup());
    return system;
  };
  const systems: Record<(typeof SYSTEM_IDS)[number], () => SystemUnderTest> = {
    'service-pg': () => thisService({
      label: 'this service, PostgreSQL, 2 workers', databaseUrl: cluster.urlOf('service_pg'), database: 'service_pg',
      workerProcesses: WORKER_PROCESSES, slots: SLOTS, dataRoot: outputRoot, cpuProfileDir: CPU_PROFILE_DIR,
    }),
    'service-embedded': () => thisService({
      label: 'this service, embedded (PGlite), 1 process', databaseUrl: null, database: null, workerProcesses: 0, slots: SLOTS, dataRoot: outputRoot, cpuProfileDir: CPU_PROFILE_DIR,
    }),
    'graphile-worker-noop': () => competitor('graphile-worker-noop', 'graphile-worker', 'graphile-worker 0.17.3', 'noop'),
    'graphile-worker-analysis': () => competitor('graphile-worker-analysis', 'graphile-worker', 'graphile-worker 0.17.3', 'analysis'),
    'pg-boss-noop': () => competitor('pg-boss-noop', 'pg-boss', 'pg-boss 10.4.2', 'noop'),
    'pg-boss-analysis': () => competitor('pg-boss-analysis', 'pg-boss', 'pg-boss 10.4.2', 'analysis'),
    'bullmq-noop': () => competitor('bullmq-noop', 'bullmq', 'BullMQ 6.7.0', 'noop'),
    'bullmq-analysis': () => competitor('bullmq-analysis', 'bullmq', 'BullMQ 6.7.0', 'analysis'),
  };
  const rows: SystemFigures[] = [];
  const started = Date.now();
  for (const id of selected) rows.push(await measure(id, systems[id as keyof typeof systems](), cluster, redisPid));

  const load = os.loadavg().map((l) => l.toFixed(2)).join(' / ');
  console.log(`\nQueue benchmark, ${new Date().toISOString().slice(0, 10)}: ${os.cpus().length} cores, Node ${process.version}, `
    + `load average ${load} (1/5/15 min), ${Math.round((Date.now() - started) / 1000)} s; ${CLIENTS} submitting clients, `
    + `${WORKER_PROCESSES} worker processes × ${SLOTS} slots; latency: one job at a time, up to ${LATENCY_JOBS} jobs or ${LATENCY_SECONDS} s\n`);
  printFigures(rows);
  printTargets(rows);
} finally {
  await stopEverything();
}
