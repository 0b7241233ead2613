/**
 * Append throughput of the event store: single-event appends and batches of 10, on a
 * PostgreSQL server (1, 16 and 64 concurrent appenders, each on its own streams) and on
 * PGlite (a data folder; one in-process connection, so concurrency only queues).
 *
 *   npm run build && node dist/bench/event-store-append.bench.js
 *
 * Env: BENCH_DATABASE_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
 * BENCH_SECONDS (per scenario, default 3), BENCH_SKIP_PG=1 / BENCH_SKIP_PGLITE=1,
 * BENCH_APPEND_CONCURRENCY (the pg store's appendConcurrency; 0 = no grouping).
 * Runs in a throw-away schema / temp folder; nothing is left behind.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EventStore, NewEvent } from '../libs/event-store/src/event-store.port.js';
import { createPgliteEventStore, createPostgresEventStore } from '../libs/event-store/src/postgres/index.js';

interface Scenario {
  readonly backend: 'PostgreSQL' | 'PGlite';
  readonly concurrency: number;
  readonly batch: number;
}

interface Outcome extends Scenario {
  readonly appends: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function event(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'JobProgressed',
    schemaVersion: 1,
    // Roughly the size of a real JobProgressed event.
    data: { jobId: 'job-bench', percent: i % 100, stage: 'discover', message: 'mining variants' },
    metadata: {
      tenantId: 'tenant-bench',
      projectId: 'project-bench',
      actor: 'worker:bench',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date().toISOString(),
    },
  };
}

async function run(store: EventStore, scenario: Scenario): Promise<Outcome> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  const appender = async (worker: number) => {
    const stream = `bench-${randomUUID()}-${worker}`;
    let revision: bigint | 'no_stream' = 'no_stream';
    for (let i = 0; performance.now() < deadline; i++) {
      const batch = Array.from({ length: scenario.batch }, (_, k) => event(i + k));
      const t0 = performance.now();
      // Exact expected revision, as the job aggregate appends.
      const result = await store.append(stream, batch, revision);
      latencies.push(performance.now() - t0);
      revision = result.nextRevision;
    }
  };
  await Promise.all(Array.from({ length: scenario.concurrency }, (_, w) => appender(w)));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { ...scenario, appends: latencies.length, seconds: elapsed, p50: pick(0.5), p99: pick(0.99) };
}

async function benchPostgres(outcomes: Outcome[]): Promise<void> {
  const schema = `es_bench_${Math.random().toString(36).slice(2, 10)}`;
  let store;
  try {
    const appendConcurrency = process.env.BENCH_APPEND_CONCURRENCY ? Number(process.env.BENCH_APPEND_CONCURRENCY) : undefined;
    store = await createPostgresEventStore({ connectionString: url, schema, appendConcurrency });
  } catch (error) {
    console.warn(`PostgreSQL skipped: no server at ${url} (${(error as Error).message})`);
    return;
  }
  try {
    await run(store, { backend: 'PostgreSQL', concurrency: 16, batch: 1 }); // warm-up: connections, plans
    for (const batch of [1, 10]) {
      for (const concurrency of [1, 16, 64]) {
        const outcome = await run(store, { backend: 'PostgreSQL', concurrency, batch });
        outcomes.push(outcome);
        print(outcome);
      }
    }
  } finally {
    await store.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

async function benchPglite(outcomes: Outcome[]): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'es-bench-pglite-'));
  const store = await createPgliteEventStore({ dataDir: dir });
  try {
    await run(store, { backend: 'PGlite', concurrency: 1, batch: 1 });
    for (const batch of [1, 10]) {
      for (const concurrency of [1, 16, 64]) {
        const outcome = await run(store, { backend: 'PGlite', concurrency, batch });
        outcomes.push(outcome);
        print(outcome);
      }
    }
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const WIDTHS = [10, 11, 13, 10, 10, 8, 8];

function row(cells: string[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(WIDTHS[i]) : cell.padStart(WIDTHS[i]))).join(' | ');
}

function print(o: Outcome): void {
  const appendsPerSecond = o.appends / o.seconds;
  const format = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log(
    row([
      o.backend,
      String(o.concurrency),
      String(o.batch),
      format(appendsPerSecond),
      format(appendsPerSecond * o.batch),
      o.p50.toFixed(2),
      o.p99.toFixed(2),
    ]),
  );
}

/** The same scenarios for both backends next to each other: appends/s (events/s). */
function printSideBySide(outcomes: Outcome[]): void {
  const cell = (backend: Outcome['backend'], batch: number, concurrency: number) => {
    const o = outcomes.find((x) => x.backend === backend && x.batch === batch && x.concurrency === concurrency);
    if (!o) return 'n/a';
    const perSecond = o.appends / o.seconds;
    const format = (n: number) => Math.round(n).toLocaleString('en-US');
    return batch === 1 ? format(perSecond) : `${format(perSecond)} (${format(perSecond * batch)} ev)`;
  };
  const widths = [13, 11, 22, 22];
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ');
  console.log('');
  console.log('appends/s, side by side');
  console.log(line(['events/append', 'appenders', 'PostgreSQL', 'PGlite']));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const batch of [1, 10]) {
    for (const concurrency of [1, 16, 64]) {
      console.log(line([String(batch), String(concurrency), cell('PostgreSQL', batch, concurrency), cell('PGlite', batch, concurrency)]));
    }
  }
}

async function main(): Promise<void> {
  console.log(`event store appends, ${seconds} s per row, exact expected revision, one stream per appender`);
  console.log(row(['backend', 'concurrency', 'events/append', 'appends/s', 'events/s', 'p50 ms', 'p99 ms']));
  console.log(WIDTHS.map((w) => '-'.repeat(w)).join('-|-'));
  const outcomes: Outcome[] = [];
  if (process.env.BENCH_SKIP_PG !== '1') await benchPostgres(outcomes);
  if (process.env.BENCH_SKIP_PGLITE !== '1') await benchPglite(outcomes);
  if (outcomes.length === 0) process.exitCode = 1;
  else printSideBySide(outcomes);
}

await main();
