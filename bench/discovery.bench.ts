/**
 * Process discovery benchmark on BPI Challenge 2012: the Inductive Miner (IM) and IMf (noise
 * threshold 0.2) from the loaded log to the process tree, then the conversions (Petri net,
 * PNML, BPMN with layout, both SVGs). The log is ingested once, outside the
 * timings; each figure is the median of several runs after one warm-up run.
 *
 *   npm run build && node dist/bench/discovery.bench.js
 */
import os from 'node:os';
import { discoverProcessModel, mineProcessTree, variantLogOf } from '../libs/mining/src/discovery/index.js';
import { ingestEventLog } from '../libs/mining/src/ingest/index.js';
import { BPIC_2012_XES_GZ } from './support/datasets.js';

const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(run: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  await run();
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    result = await run();
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

async function main(): Promise<void> {
  console.log(`Discovery benchmark on ${os.cpus().length} CPU(s), Node ${process.version}`);
  const { log } = await ingestEventLog({ path: BPIC_2012_XES_GZ, format: 'xes.gz' });
  const variants = await timed(() => variantLogOf(log));
  console.log(
    `bpic2012.xes.gz: ${log.eventCount.toLocaleString('en-US')} events, ${log.caseCount.toLocaleString('en-US')} cases, ` +
      `${variants.result.variants.traces.length.toLocaleString('en-US')} variants, ${log.activities.length} activities; grouping into variants ${variants.ms.toFixed(1)} ms`,
  );
  for (const settings of [
    { algorithm: 'inductive', noiseThreshold: 0 },
    { algorithm: 'inductive-infrequent', noiseThreshold: 0.2 },
  ] as const) {
    const { variants: v, activities } = variants.result;
    const mining = await timed(() => mineProcessTree(v, activities, { noiseThreshold: settings.noiseThreshold }));
    const full = await timed(() => discoverProcessModel(v, activities, settings, 'BPIC 2012'));
    const f = full.result.figures;
    console.log(
      `${settings.algorithm} (noise ${settings.noiseThreshold}): tree ${mining.ms.toFixed(1)} ms; ` +
        `tree + Petri net + PNML + BPMN + SVGs ${full.ms.toFixed(1)} ms; ` +
        `${f.treeNodes} tree nodes, ${f.places} places, ${f.transitions} transitions (${f.silentTransitions} silent), sound: ${f.sound} (${f.soundness.basis})`,
    );
  }
}

await main();
