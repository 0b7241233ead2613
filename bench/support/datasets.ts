/**
 * The two inputs of the mining benchmarks (ingest, full pipeline): BPI Challenge 2012 and a
 * generated 1,000,000-event CSV of 50,000 cases × 20 events over 20 activities and 30
 * resources, written in waves of concurrent cases so rows of different cases interleave as
 * in a real export.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** BPI Challenge 2012, gzipped XES, from the project's fixtures. */
export { BPIC_2012_XES_GZ } from '../../test/support/fixtures.js';

export const GENERATED_CSV_CASES = 50_000;
export const GENERATED_CSV_EVENTS_PER_CASE = 20;
export const GENERATED_CSV_EVENTS = GENERATED_CSV_CASES * GENERATED_CSV_EVENTS_PER_CASE;
export const GENERATED_CSV_FILE_NAME = 'generated-1m.csv';

const ACTIVITIES = Array.from({ length: 20 }, (_, i) => `Activity ${String.fromCharCode(65 + i)}`);
const RESOURCES = Array.from({ length: 30 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);
/** Cases run concurrently in waves, so rows of different cases interleave as in a real export. */
const CONCURRENT_CASES = 1_000;

/** Small deterministic PRNG (mulberry32) so every run with the same seed generates the same file. */
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

/** Writes the generated CSV (header `case:concept:name,concept:name,time:timestamp,org:resource,cost`). */
export async function writeGeneratedCsv(filePath: string, seed: number): Promise<void> {
  const random = randomGenerator(seed);
  const out = createWriteStream(filePath);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('case:concept:name,concept:name,time:timestamp,org:resource,cost\n');
  const firstStart = Date.UTC(2023, 0, 1);
  for (let wave = 0; wave < GENERATED_CSV_CASES / CONCURRENT_CASES; wave++) {
    const clocks = new Float64Array(CONCURRENT_CASES);
    for (let i = 0; i < CONCURRENT_CASES; i++) clocks[i] = firstStart + (wave * CONCURRENT_CASES + i) * 600_000 * random();
    for (let step = 0; step < GENERATED_CSV_EVENTS_PER_CASE; step++) {
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
