/**
 * GET job-status latency under load: starts the built service as its own process
 * (embedded PGlite by default; the PostgreSQL server too with --postgres), submits
 * jobs, then autocannon hits GET /execution/job/{id} with 50 concurrent connections.
 *
 *   npm run build && node dist/bench/api-latency.bench.js [--postgres] [--seconds=10] [--connections=50]
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { api, removeDataDir, startServiceProcess, uploadDataset } from '../test/support/service-process.js';

const { values } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
  },
});

interface Row { store: string; requests: number; rps: number; p50: number; p90: number; p99: number; max: number; errors: number }

async function measure(store: string, env: Record<string, string>): Promise<Row> {
  const service = await startServiceProcess({ ...env, EMBEDDED_WORKER_CAPACITY: '0' });
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
    };
  } finally {
    await service.stop();
    removeDataDir(service.dataDir);
  }
}

const rows: Row[] = [await measure('PGlite (embedded)', {})];
if (values.postgres) {
  const schema = `bench_${Math.random().toString(36).slice(2, 8)}`;
  rows.push(await measure('PostgreSQL server', { DATABASE_URL: values.url, DATABASE_SCHEMA: schema }));
  const client = new pg.Client({ connectionString: values.url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
console.log(`\nGET job status, ${values.connections} connections, ${values.seconds} s each (latency in ms)`);
console.table(rows);
