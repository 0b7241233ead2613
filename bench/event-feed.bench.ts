/**
 * The event feed on PostgreSQL: SSE fan-out and NDJSON export, against the built service
 * started as its own process on a fresh schema. Events are appended through the event
 * store's API from this process (as another service process would), so the service's
 * shared tail is woken by NOTIFY, the multi-process path.
 *
 *   npm run build && node dist/bench/event-feed.bench.js [--subscribers=50] [--rate=1000] [--seconds=10]
 *     [--export-events=100000] [--other-events=200000] [--url=postgres://…] [--cpu-prof=<folder>]
 *
 * Fan-out: `--subscribers` SSE clients follow one project while `--rate` events/s are
 * appended to it (10 ms ticks); each event carries its append time, so a client's delivery
 * lag is its arrival minus that (one clock: this process). Export: `--export-events` of one
 * project, beside `--other-events` of other tenants in the same table, read as NDJSON pages
 * of 10,000 (the maximum), first byte to last. `--cpu-prof`: the service writes a V8 CPU
 * profile into that folder when it stops.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createPostgresEventStore, type NewEvent, type PostgresEventStore } from '../libs/event-store/src/index.js';
import { openEventStream, type EventStreamClient } from '../test/support/event-feed-client.js';
import { dropSchema, randomSchemaName } from '../test/support/postgres.js';
import { removeDataDir, startServiceProcess, type ServiceProcess } from '../test/support/service-process.js';
import { processCpuMs } from './support/process-cpu.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '50' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    'export-events': { type: 'string', default: '100000' },
    'other-events': { type: 'string', default: '200000' },
    url: { type: 'string', default: process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    'cpu-prof': { type: 'string' },
  },
});
const subscribers = Number(values.subscribers);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const exportEvents = Number(values['export-events']);
const otherEvents = Number(values['other-events']);
const TICK_MS = 10;
const PAGE = 10_000;

interface Scope { readonly tenantId: string; readonly projectId: string }

function events(scope: Scope, count: number, data: () => Record<string, unknown>): NewEvent[] {
  return Array.from({ length: count }, () => ({
    eventId: randomUUID(), type: 'JobProgressed', schemaVersion: 1, data: data(),
    metadata: {
      tenantId: scope.tenantId, projectId: scope.projectId, actor: 'bench', correlationId: randomUUID(),
      causationId: randomUUID(), occurredAt: new Date().toISOString(),
    },
  }));
}

const wallClock = () => performance.timeOrigin + performance.now();

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function seed(store: PostgresEventStore, scope: Scope, count: number): Promise<void> {
  const perStream = 1000;
  const streams = Math.ceil(count / perStream);
  for (let i = 0; i < streams; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, streams - i) }, (_, k) => {
      const n = Math.min(perStream, count - (i + k) * perStream);
      return store.append(`job-${randomUUID()}`, events(scope, n, () => ({ step: 1, percentage: 50, stage: 'Discovering' })), 'any');
    }));
  }
}

async function fanOut(service: ServiceProcess, store: PostgresEventStore) {
  const scope: Scope = { tenantId: randomUUID(), projectId: randomUUID() };
  const token = await service.token(scope.tenantId, [scope.projectId], 'bench', ['viewer']);
  const clients: EventStreamClient[] = [];
  for (let i = 0; i < subscribers; i++) clients.push(await openEventStream(`${service.url}/api/${scope.tenantId}/${scope.projectId}/execution/events`, token));
  const lags: number[] = [];
  // The append time is read with a pattern, not JSON.parse: this process parses 50 streams at once.
  const appendedAt = /"appendedAt":([\d.]+)/;
  for (const client of clients) {
    client.onEvent((event) => lags.push(performance.timeOrigin + event.receivedAt - Number(appendedAt.exec(event.data)![1])));
  }
  const perTick = (rate * TICK_MS) / 1000;
  const ticks = (seconds * 1000) / TICK_MS;
  const cpuBefore = processCpuMs(service.process.pid!);
  const ownCpuBefore = processCpuMs(process.pid);
  const startedAt = performance.now();
  let appended = 0;
  const inFlight: Promise<unknown>[] = [];
  for (let t = 0; t < ticks; t++) {
    const due = startedAt + t * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // Several streams per tick, as many jobs reporting at once do.
    for (let s = 0; s < perTick; s += 5) {
      const n = Math.min(5, perTick - s);
      inFlight.push(store.append(`job-${randomUUID()}`, events(scope, n, () => ({ appendedAt: wallClock() })), 'any'));
      appended += n;
    }
  }
  await Promise.all(inFlight);
  const appendSeconds = (performance.now() - startedAt) / 1000;
  const deadline = Date.now() + 30_000;
  while (clients.some((c) => c.events.length < appended) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const deliverySeconds = (Math.max(...clients.map((c) => c.events.at(-1)?.receivedAt ?? 0)) - startedAt) / 1000;
  const cpuMs = processCpuMs(service.process.pid!) - cpuBefore;
  const ownCpuMs = processCpuMs(process.pid) - ownCpuBefore;
  for (const client of clients) client.close();
  const delivered = clients.reduce((sum, c) => sum + c.events.length, 0);
  lags.sort((a, b) => a - b);
  return {
    appended, inputRate: appended / appendSeconds, delivered, complete: clients.every((c) => c.events.length === appended),
    deliveredPerSecond: delivered / deliverySeconds, p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? null,
    serviceCpuMsPerDelivery: delivered > 0 ? cpuMs / delivered : null,
    serviceCpuShare: cpuMs / (deliverySeconds * 1000), clientsCpuShare: ownCpuMs / (deliverySeconds * 1000),
  };
}

async function exportAll(service: ServiceProcess, store: PostgresEventStore) {
  for (let i = 0; i < 4; i++) await seed(store, { tenantId: randomUUID(), projectId: randomUUID() }, Math.ceil(otherEvents / 4));
  const scope: Scope = { tenantId: randomUUID(), projectId: randomUUID() };
  await seed(store, scope, exportEvents);
  const token = await service.token(scope.tenantId, [scope.projectId], 'bench', ['viewer']);
  const runs: number[] = [];
  let exported = 0;
  for (let run = 0; run < 3; run++) {
    const startedAt = performance.now();
    let from: string | null = null;
    exported = 0;
    for (;;) {
      const response = await fetch(`${service.url}/api/${scope.tenantId}/${scope.projectId}/execution/events?limit=${PAGE}${from ? `&from=${from}` : ''}`,
        { headers: { Authorization: `Bearer ${token}`, Accept: 'application/x-ndjson' } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`export page: ${response.status} ${body}`);
      exported += body.length === 0 ? 0 : body.split('\n').length - 1;
      from = response.headers.get('x-next-position');
      if (response.headers.get('x-end-reached') === 'true') break;
    }
    runs.push(exported / ((performance.now() - startedAt) / 1000));
  }
  runs.sort((a, b) => a - b);
  return { exported, complete: exported === exportEvents, median: runs[1], best: runs[2] };
}

const schema = randomSchemaName('bench_feed');
const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
const service = await startServiceProcess({ DATABASE_URL: values.url, DATABASE_SCHEMA: schema, EMBEDDED_WORKER_CAPACITY: '0' }, undefined, profile);
const store = await createPostgresEventStore({ connectionString: values.url, schema });
try {
  const fan = await fanOut(service, store);
  const load = os.loadavg().map((l) => l.toFixed(2)).join(' / ');
  const exp = await exportAll(service, store);
  const ms = (v: number | null) => (v === null ? 'null' : v.toFixed(1));
  console.log(`Event feed benchmark, ${new Date().toISOString().slice(0, 10)}: ${os.availableParallelism()} cores, Node ${process.version}, load average ${load} (after the fan-out), PostgreSQL`);
  console.log('| measure | figure | target | met |');
  console.log('|---|---|---|---|');
  console.log(`| SSE fan-out: input | ${fan.appended} events at ${fan.inputRate.toFixed(0)} events/s, ${subscribers} subscribers | 1,000 events/s, 50 subscribers | – |`);
  console.log(`| SSE fan-out: delivered | ${fan.deliveredPerSecond.toFixed(0)} events/s (${fan.delivered} in all, every subscriber complete: ${fan.complete}) | – | ${fan.complete ? 'yes' : 'no'} |`);
  console.log(`| SSE delivery lag p50 / p99 / max | ${ms(fan.p50)} / ${ms(fan.p99)} / ${ms(fan.max)} ms | p99 < 100 ms | ${fan.p99 !== null && fan.p99 < 100 ? 'yes' : 'no'} |`);
  console.log(`| service CPU per delivered event | ${fan.serviceCpuMsPerDelivery === null ? 'null' : (fan.serviceCpuMsPerDelivery * 1000).toFixed(1)} µs (service ${(fan.serviceCpuShare * 100).toFixed(0)} % of a core; the ${subscribers} clients and the appender, this process: ${(fan.clientsCpuShare * 100).toFixed(0)} %) | – | – |`);
  console.log(`| NDJSON export, ${exp.exported} events of one project beside ${otherEvents} of others, pages of ${PAGE} | median ${exp.median.toFixed(0)}, best ${exp.best.toFixed(0)} events/s (of 3, complete: ${exp.complete}) | ≥ 100,000 events/s | ${exp.median >= 100_000 ? 'yes' : 'no'} |`);
} finally {
  await store.close();
  await service.stop();
  removeDataDir(service.dataDir);
  await dropSchema(values.url, schema);
}
