/**
 * The Inductive Miner on a thread of its own (miner-thread.ts), one long-lived thread per
 * process: a job mines its model (0.1–0.3 s on BPI Challenge 2012 and the 1M-event log) while
 * its main thread trains the prediction model and writes the enriched dataset. The variants
 * travel as flat typed arrays. Where the thread's compiled entry is not beside this module (the
 * sources run directly, as in the unit tests), the tree is mined on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProcessTree } from '../models/petri-net.js';
import { requestThread, type ThreadRequest } from '../threads/request-thread.js';
import { checkedNoiseThreshold, mineProcessTree, type InductiveMinerOptions } from './inductive-miner.js';
import type { VariantLog } from './variant-log.js';

/** A variant log to mine: trace t's activity ids are traceActivities[traceOffsets[t] .. traceOffsets[t+1]). */
export interface MinerRequest {
  readonly traceOffsets: Uint32Array;
  readonly traceActivities: Int32Array;
  readonly counts: Float64Array;
  readonly activities: readonly string[];
  readonly noiseThreshold: number;
}

const MINER_THREAD = fileURLToPath(new URL('./miner-thread.js', import.meta.url));

let sharedMine: ThreadRequest<MinerRequest, ProcessTree> | undefined;

/** mineProcessTree's tree, mined on the miner thread; an invalid threshold throws here, as mineProcessTree does. */
export function mineProcessTreeOffThread(variants: VariantLog, activities: readonly string[], options: InductiveMinerOptions = {}): Promise<ProcessTree> {
  const noiseThreshold = checkedNoiseThreshold(options);
  if (!existsSync(MINER_THREAD)) return Promise.resolve(mineProcessTree(variants, activities, options));
  sharedMine ??= requestThread<MinerRequest, ProcessTree>(MINER_THREAD, 'miner thread');
  const request: MinerRequest = { ...variantLogToMessage(variants), activities, noiseThreshold };
  // The arrays were made for this request: moved to the thread, not copied.
  return sharedMine(request, [request.traceOffsets.buffer as ArrayBuffer, request.traceActivities.buffer as ArrayBuffer, request.counts.buffer as ArrayBuffer]);
}

export function variantLogToMessage(variants: VariantLog): Pick<MinerRequest, 'traceOffsets' | 'traceActivities' | 'counts'> {
  const traceOffsets = new Uint32Array(variants.traces.length + 1);
  variants.traces.forEach((trace, t) => (traceOffsets[t + 1] = traceOffsets[t]! + trace.length));
  const traceActivities = new Int32Array(traceOffsets[variants.traces.length]!);
  variants.traces.forEach((trace, t) => traceActivities.set(trace, traceOffsets[t]!));
  return { traceOffsets, traceActivities, counts: Float64Array.from(variants.counts) };
}

export function variantLogFromMessage({ traceOffsets, traceActivities, counts }: Pick<MinerRequest, 'traceOffsets' | 'traceActivities' | 'counts'>): VariantLog {
  const traces: number[][] = [];
  for (let t = 0; t + 1 < traceOffsets.length; t++) traces.push(Array.from(traceActivities.subarray(traceOffsets[t]!, traceOffsets[t + 1]!)));
  return { traces, counts: Array.from(counts) };
}
