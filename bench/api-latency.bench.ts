/**
 * GET job-status latency under load: starts the built service as its own process
 * (embedded PGlite by default; the PostgreSQL server too with --postgres), submits
 * jobs, then autocannon hits GET /execution/job/{id} with 50 concurrent connections.
 *
 *   npm run build && node dist/bench/api-latency.bench.js [--postgres] [--only-postgres] [--pool-sizes=4,8,20]
 *     [--seconds=10] [--connections=50] [--profile]
 *
 * --profile runs the service under the V8 CPU profiler and prints where its time went
 * (self time by function, the top 25) for each store.
 *
 * Each row also gives the CPU time per request of the service process, of the service's
 * PostgreSQL backends (found by their application_name) and of this process (autocannon),
 * from /proc: on a shared 2-core machine, latency follows the CPU all three spend.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { api, removeDataDir, startServiceProcess, uploadDataset } from '../test/support/service-process.js';
import { startCpuCount, type CpuPerRequest } from './support/process-cpu.js';

const { values } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    'only-postgres': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    /** PostgreSQL pool sizes to compare (DATABASE_POOL_SIZE), one row each. */
    'pool-sizes': { type: 'string', default: '' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});

interface Row extends CpuPerRequest {
  store: string; requests: number; rps: number; p50: number; p90: number; p99: number; max: number; errors: number;
}

interface ProfileNode { id: number; hitCount?: number; callFrame: { functionName: string; url: string; lineNumber: number } }

/** Self time by function from a .cpuprofile, the largest first. */
function printProfile(store: string, folder: string): void {
  const file = readdirSync(folder).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return console.log(`${store}: no CPU profile written`);
  const profile = JSON.parse(readFileSync(path.join(folder, file), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
  const byFunction = new Map<string, number>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^.*\/dist\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + (node.hitCount ?? 0));
  }
  const total = [...byFunction.values()].reduce((a, b) => a + b, 0);
  const top = [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25)
    .map(([fn, hits]) => ({ function: fn.slice(0, 110), selfPercent: Math.round((hits / total) * 1000) / 10 }));
  console.log(`\n${store}: CPU self time of the service process (top 25)`);
  console.table(top);
}

async function measure(store: string, env: Record<string, string>): Promise<Row> {
  const profileFolder = values.profile ? mkdtempSync(path.join(os.tmpdir(), 'pm-profile-')) : null;
  const profiling = profileFolder ? ['--cpu-prof', `--cpu-prof-dir=${profileFolder}`] : [];
  const applicationName = `api_latency_bench_${process.pid}`;
  const service = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '0', PGAPPNAME: applicationName }, undefined, profiling);
  try {
    const tenant = randomUUID();
    const project = randomUUID();
    const token = await service.token(tenant, [project], 'bench');
    const datasetId = await uploadDataset(service, token, `/api/${tenant}/${project}`);
    const jobIds: string[] = [];
    for (let i = 0; i < 200; i++) {
      const res = await api(service.url, token, 'POST', `/api/${tenant}/${project}/execution/job`, {
        jobName: `bench ${i}`, jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      });
      jobIds.push(res.body.jobId);
    }
    let next = 0;
    const cpu = await startCpuCount(service.process.pid!, env.DATABASE_URL ? { url: env.DATABASE_URL, applicationName } : null);
    const result = await autocannon({
      url: service.url,
      connections: Number(values.connections),
      duration: Number(values.seconds),
      headers: { authorization: `Bearer ${token}` },
      requests: [{
        method: 'GET',
        setupRequest: (request) => ({ ...request, path: `/api/${tenant}/${project}/execution/job/${jobIds[next++ % jobIds.length]}` }),
      }],
    });
    return {
      store, requests: result.requests.total, rps: Math.round(result.requests.average), p50: result.latency.p50,
      p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, errors: result.errors + result.non2xx,
      ...await cpu(result.requests.total),
    };
  } finally {
    await service.stop();
    removeDataDir(service.dataDir);
    if (profileFolder) {
      printProfile(store, profileFolder);
      rmSync(profileFolder, { recursive: true, force: true });
    }
  }
}

const rows: Row[] = values['only-postgres'] ? [] : [await measure('PGlite (embedded)', {})];
if (values.postgres || values['only-postgres']) {
  const poolSizes = values['pool-sizes'] ? values['pool-sizes'].split(',').map(Number) : [null];
  for (const poolSize of poolSizes) {
    const schema = `bench_${Math.random().toString(36).slice(2, 8)}`;
    const pool: Record<string, string> = poolSize === null ? {} : { DATABASE_POOL_SIZE: String(poolSize) };
    rows.push(await measure(`PostgreSQL server${poolSize === null ? '' : `, pool ${poolSize}`}`, {
      DATABASE_URL: values.url, DATABASE_SCHEMA: schema, ...pool,
    }));
    const client = new pg.Client({ connectionString: values.url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
console.log(`\nGET job status, ${values.connections} connections, ${values.seconds} s each (latency in ms; cpu*: CPU ms per request)`);
console.table(rows);
