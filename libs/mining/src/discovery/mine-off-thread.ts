/**
 * The Inductive Miner on a thread of its own (miner-thread.ts), one long-lived thread per
 * process: a job mines its model (0.1–0.3 s on BPI Challenge 2012 and the 1M-event log) while
 * its main thread trains the prediction model and writes the enriched dataset. The variants
 * travel as flat typed arrays. Where the thread's compiled entry is not beside this module (the
 * sources run directly, as in the unit tests), the tree is mined on the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { ProcessTree } from '../models/petri-net.js';
import { checkedNoiseThreshold, mineProcessTree, type InductiveMinerOptions } from './inductive-miner.js';
import type { VariantLog } from './variant-log.js';

/** A variant log to mine: trace t's activity ids are traceActivities[traceOffsets[t] .. traceOffsets[t+1]). */
export interface MinerRequest {
  readonly id: number;
  readonly traceOffsets: Uint32Array;
  readonly traceActivities: Int32Array;
  readonly counts: Float64Array;
  readonly activities: readonly string[];
  readonly noiseThreshold: number;
}

export interface MinerReply {
  readonly id: number;
  readonly tree: ProcessTree | null;
  readonly error: string | null;
}

const MINER_THREAD = fileURLToPath(new URL('./miner-thread.js', import.meta.url));

type Mine = (request: Omit<MinerRequest, 'id'>) => Promise<ProcessTree>;
let sharedMine: Mine | undefined;

/** mineProcessTree's tree, mined on the miner thread; an invalid threshold throws here, as mineProcessTree does. */
export function mineProcessTreeOffThread(variants: VariantLog, activities: readonly string[], options: InductiveMinerOptions = {}): Promise<ProcessTree> {
  const noiseThreshold = checkedNoiseThreshold(options);
  if (!existsSync(MINER_THREAD)) return Promise.resolve(mineProcessTree(variants, activities, options));
  sharedMine ??= mineOnThread();
  return sharedMine({ ...variantLogToMessage(variants), activities, noiseThreshold });
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

/** Mining on the miner thread, started on first use and again after it failed. */
function mineOnThread(): Mine {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (tree: ProcessTree) => void; reject: (error: Error) => void }>();
  const start = (): Worker => {
    // The calling thread's heap limit (a runner's), not the default of a thread.
    const heapMb = Math.ceil(getHeapStatistics().heap_size_limit / (1024 * 1024));
    const started = new Worker(MINER_THREAD, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    // Only a thread with a tree to mine keeps the process alive: an idle one must not.
    started.unref();
    started.on('message', (reply: MinerReply) => {
      const request = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      if (reply.tree !== null) request?.resolve(reply.tree);
      else request?.reject(new Error(reply.error ?? 'the miner thread gave no tree'));
    });
    const fail = (error: Error): void => {
      if (worker === started) worker = null;
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    };
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`the miner thread stopped (exit code ${code})`)));
    return started;
  };
  return (request) =>
    new Promise<ProcessTree>((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      const message: MinerRequest = { id, ...request };
      worker.postMessage(message, [message.traceOffsets.buffer, message.traceActivities.buffer, message.counts.buffer]);
    });
}
