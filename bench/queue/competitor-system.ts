/**
 * One of the compared queues as a system under test: its worker processes (competitor-worker.ts,
 * `concurrency` jobs each) and a submitter in the benchmark's process. Jobs' start and end
 * times come from the workers over IPC, so waiting for them asks nothing of the store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { ColumnMapping } from '../../libs/mining/src/event-log.js';
import { waitFor } from '../../test/support/wait-for.js';
import type { BenchmarkHandlerKind } from './benchmark-job.js';
import { stopChild, trackChild } from './child-processes.js';
import type { CompetitorConfig, CompetitorWorkerMessage, CompetitorWorkerSettings } from './competitor-queue.js';
import { COMPETITOR_QUEUES } from './competitors.js';
import type { JobTimes, SystemUnderTest } from './system-under-test.js';

const WORKER_MAIN = path.resolve('dist/bench/queue/competitor-worker.js');

export interface CompetitorSystemOptions {
  readonly label: string;
  readonly config: CompetitorConfig;
  readonly handler: BenchmarkHandlerKind;
  readonly database: string | null;
  readonly workerProcesses: number;
  readonly datasetPath: string;
  readonly columns: ColumnMapping;
  readonly outputRoot: string;
}

async function startCompetitorWorker(settings: CompetitorWorkerSettings, onEnded: (message: CompetitorWorkerMessage & { kind: 'ended' }) => void): Promise<ChildProcess> {
  const worker = trackChild(spawn(process.execPath, [WORKER_MAIN], {
    env: { ...process.env, QUEUE_BENCH_WORKER: JSON.stringify(settings) },
    // Their logs are not needed (the service's are read only to learn of ended jobs).
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  }));
  let errors = '';
  worker.stderr!.on('data', (d: Buffer) => {
    if (errors.length < 20_000) errors += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (message: CompetitorWorkerMessage) => {
      if (message.kind === 'ready') resolve();
      else onEnded(message);
    });
    worker.once('exit', (code) => reject(new Error(`${settings.config.competitor} worker exited with ${code}:\n${errors}`)));
  });
  return worker;
}

export function competitorSystem(options: CompetitorSystemOptions): SystemUnderTest {
  const queue = COMPETITOR_QUEUES[options.config.competitor];
  const times = new Map<number, JobTimes>();
  return {
    label: options.label,
    database: options.database,
    usesRedis: options.config.redis !== undefined,
    prepare: () => queue.prepare(options.config),
    async start() {
      const workers: ChildProcess[] = [];
      const settings: CompetitorWorkerSettings = {
        config: options.config, handler: options.handler, datasetPath: options.datasetPath,
        columns: options.columns, outputRoot: options.outputRoot,
      };
      const stopWorkers = () => Promise.all(workers.map((w) => stopChild(w)));
      let submitter;
      try {
        for (let i = 0; i < options.workerProcesses; i++) {
          workers.push(await startCompetitorWorker(settings, (m) => times.set(m.key, { startedAt: m.startedAt, endedAt: m.endedAt, failed: m.failed })));
        }
        submitter = await queue.openSubmitter(options.config);
      } catch (error) {
        await stopWorkers();
        throw error;
      }
      const openSubmitter = submitter;
      return {
        submit: (key) => openSubmitter.submit(key),
        async waitForEnd(keys, timeoutMs) {
          let next = 0;
          await waitFor(() => {
            while (next < keys.length && times.has(keys[next])) next++;
            return next === keys.length;
          }, timeoutMs, 5, `${keys.length} jobs of ${options.label} to end`);
        },
        processes: () => ({ api: [], worker: workers.map((w) => w.pid!) }),
        async stop() {
          await openSubmitter.close();
          await stopWorkers();
        },
      };
    },
    timesOf: async (keys) => new Map(keys.map((key) => [key, times.get(key)!])),
    cleanup: () => queue.cleanup(options.config),
  };
}
