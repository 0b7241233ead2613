/**
 * A worker process of one of the compared queues: runs the queue's worker with the
 * benchmark's handler and reports each job's start and end (Date.now(), this machine's
 * clock) to the benchmark over IPC. Settings come as JSON in QUEUE_BENCH_WORKER.
 */
import { benchmarkJobHandler } from './benchmark-job.js';
import type { CompetitorWorkerMessage, CompetitorWorkerSettings } from './competitor-queue.js';
import { COMPETITOR_QUEUES } from './competitors.js';

const settings = JSON.parse(process.env.QUEUE_BENCH_WORKER ?? '') as CompetitorWorkerSettings;
const tell = (message: CompetitorWorkerMessage) => process.send!(message);
const run = benchmarkJobHandler(settings.handler, {
  datasetPath: settings.datasetPath, columns: settings.columns, outputRoot: settings.outputRoot,
});

const worker = await COMPETITOR_QUEUES[settings.config.competitor].startWorker(settings.config, async (key) => {
  const startedAt = Date.now();
  let failed = false;
  try {
    await run(key);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    tell({ kind: 'ended', key, startedAt, endedAt: Date.now(), failed });
  }
});
tell({ kind: 'ready' });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void worker.stop().then(() => process.exit(0), (error: unknown) => {
    process.stderr.write(`stopping the worker failed: ${String(error)}\n`);
    process.exit(1);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The benchmark is gone: nobody would read the results.
process.on('disconnect', () => process.exit(1));
