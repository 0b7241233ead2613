/**
 * One of the queues compared with this service, seen from both sides: the benchmark
 * submits through `openSubmitter`, and each worker process (competitor-worker.ts) runs
 * `startWorker` with the job handler.
 */
import type { ColumnMapping } from '../../libs/mining/src/event-log.js';
import type { BenchmarkHandlerKind } from './benchmark-job.js';

export type CompetitorName = 'graphile-worker' | 'pg-boss' | 'bullmq';

export interface CompetitorConfig {
  readonly competitor: CompetitorName;
  readonly queueName: string;
  /** PostgreSQL queues: the database on the bench cluster. */
  readonly connectionString?: string;
  /** BullMQ: the machine's Redis, a db index and a key prefix of this run. */
  readonly redis?: { readonly host: string; readonly port: number; readonly db: number; readonly prefix: string };
  /** Jobs one worker process runs at once. */
  readonly concurrency: number;
}

export interface CompetitorSubmitter {
  submit(key: number): Promise<void>;
  close(): Promise<void>;
}

export interface CompetitorWorker {
  stop(): Promise<void>;
}

export interface CompetitorQueue {
  /** Installs the queue's schema / creates the queue (once, before any worker starts). */
  prepare(config: CompetitorConfig): Promise<void>;
  openSubmitter(config: CompetitorConfig): Promise<CompetitorSubmitter>;
  startWorker(config: CompetitorConfig, handle: (key: number) => Promise<void>): Promise<CompetitorWorker>;
  /** Removes what the queue left outside the bench cluster. */
  cleanup(config: CompetitorConfig): Promise<void>;
}

export interface CompetitorWorkerSettings {
  readonly config: CompetitorConfig;
  readonly handler: BenchmarkHandlerKind;
  readonly datasetPath: string;
  readonly columns: ColumnMapping;
  readonly outputRoot: string;
}

/** What a worker process tells the benchmark over IPC. */
export type CompetitorWorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'ended'; readonly key: number; readonly startedAt: number; readonly endedAt: number; readonly failed: boolean };
