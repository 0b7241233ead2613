/**
 * Ingest benchmark: BPI Challenge 2012 (gzipped XES) and a generated 1,000,000-event CSV.
 * Prints wall time, events/s and the process's peak RSS after each input.
 *
 *   npm run build && node dist/bench/ingest.bench.js [--only=xes|csv]
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { ingestEventLog, type IngestSource } from '../libs/mining/src/ingest/index.js';

const CASES = 50_000;
const EVENTS_PER_CASE = 20;
const ACTIVITIES = Array.from({ length: 20 }, (_, i) => `Activity ${String.fromCharCode(65 + i)}`);
const RESOURCES = Array.from({ length: 30 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);
/** Cases run concurrently in waves, so rows of different cases interleave as in a real export. */
const CONCURRENT_CASES = 1_000;

/** Small deterministic PRNG (mulberry32) so every run generates the same file. */
function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

async function generateCsv(filePath: string): Promise<void> {
  const random = randomGenerator(2012);
  const out = createWriteStream(filePath);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('case:concept:name,concept:name,time:timestamp,org:resource,cost\n');
  const firstStart = Date.UTC(2023, 0, 1);
  for (let wave = 0; wave < CASES / CONCURRENT_CASES; wave++) {
    const clocks = new Float64Array(CONCURRENT_CASES);
    for (let i = 0; i < CONCURRENT_CASES; i++) clocks[i] = firstStart + (wave * CONCURRENT_CASES + i) * 600_000 * random();
    for (let step = 0; step < EVENTS_PER_CASE; step++) {
      let block = '';
      for (let i = 0; i < CONCURRENT_CASES; i++) {
        clocks[i] += 60_000 + random() * 86_400_000;
        // Activities follow a mostly-sequential path with some variation, like a real process.
        const activity = ACTIVITIES[(step + (random() < 0.2 ? Math.floor(random() * 3) : 0)) % ACTIVITIES.length];
        const resource = RESOURCES[Math.floor(random() * RESOURCES.length)];
        const cost = (random() * 500).toFixed(2);
        block += `case-${wave * CONCURRENT_CASES + i + 1},${activity},${new Date(clocks[i]).toISOString()},${resource},${cost}\n`;
      }
      await write(block);
    }
  }
  out.end();
  await once(out, 'finish');
}

function peakRssMegabytes(): number {
  // maxRSS is reported in kilobytes.
  return process.resourceUsage().maxRSS / 1024;
}

async function measure(label: string, source: IngestSource): Promise<void> {
  const started = performance.now();
  const { log, quality } = await ingestEventLog(source);
  const seconds = (performance.now() - started) / 1000;
  const sizeMb = (await stat(source.path)).size / 1024 / 1024;
  console.log(
    `${label}: ${log.eventCount.toLocaleString('en-US')} events, ${log.caseCount.toLocaleString('en-US')} cases ` +
      `(${sizeMb.toFixed(1)} MB file) in ${seconds.toFixed(2)} s = ${Math.round(log.eventCount / seconds).toLocaleString('en-US')} events/s; ` +
      `valid ${quality.validation.validRecords}/${quality.validation.totalRecords}; peak RSS so far ${peakRssMegabytes().toFixed(0)} MB`,
  );
}

async function main(): Promise<void> {
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  console.log(`Ingest benchmark on ${os.cpus().length} CPU(s), Node ${process.version}`);
  if (only === undefined || only === 'xes') {
    const bpic = path.resolve(process.cwd(), '../shared/data/bpic2012.xes.gz');
    await measure('bpic2012.xes.gz', { path: bpic, format: 'xes.gz' });
  }
  if (only === undefined || only === 'csv') {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ingest-bench-'));
    try {
      const csvPath = path.join(folder, 'generated-1m.csv');
      const generationStarted = performance.now();
      await generateCsv(csvPath);
      console.log(`generated ${CASES * EVENTS_PER_CASE} events in ${((performance.now() - generationStarted) / 1000).toFixed(1)} s`);
      await measure('generated 1M-event CSV', { path: csvPath, format: 'csv' });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  }
}

await main();
