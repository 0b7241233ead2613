/**
 * Entry of the child process that runs one job's CPU-heavy work, so the node's event
 * loop stays free and cancellation or a timeout can really stop it (by signal).
 * Protocol over IPC: parent sends { request }; child sends progress, then result or
 * error, each ending message with the process's own resource totals.
 */
import { readFileSync } from 'node:fs';
import { ColumnMappingError, MalformedEventLogError } from '../../mining/src/ingest/index.js';
import { InvalidJobParametersError, executeJob } from '../../mining/src/jobs/index.js';
import type { JobExecutionRequest, JobExecutionResult, ProgressReport } from '../../mining/src/job-execution.contract.js';
import { writeBytesOf } from './process-usage.js';

/** What the job's process used, measured by itself at its end (the parent's samples may miss a short job entirely). */
export interface ChildUsage {
  readonly cpuSeconds: number;
  readonly maxRssBytes: number;
  /** Block input + output operations (getrusage). */
  readonly ioOperations: number;
  readonly bytesWritten: number | null;
}

export type ChildMessage =
  | { readonly kind: 'progress'; readonly progress: ProgressReport }
  | { readonly kind: 'result'; readonly result: JobExecutionResult; readonly usage: ChildUsage }
  | { readonly kind: 'error'; readonly errorType: string; readonly message: string; readonly usage: ChildUsage };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

function ownUsage(): ChildUsage {
  const r = process.resourceUsage();
  let bytesWritten: number | null = null;
  try {
    bytesWritten = writeBytesOf(readFileSync('/proc/self/io', 'utf8'));
  } catch {
    // no /proc here: not measured
  }
  return {
    cpuSeconds: (r.userCPUTime + r.systemCPUTime) / 1e6,
    maxRssBytes: r.maxRSS * 1024, // kilobytes on Linux
    ioOperations: r.fsRead + r.fsWrite,
    bytesWritten,
  };
}

process.once('message', (message: { request: JobExecutionRequest }) => {
  void (async () => {
    try {
      const result = await executeJob(message.request, (progress) => void send({ kind: 'progress', progress }));
      await send({ kind: 'result', result, usage: ownUsage() });
    } catch (error) {
      // Bad input (parameters the data cannot satisfy, unmappable columns) is the submitter's to fix, not a fault.
      const errorType = error instanceof InvalidJobParametersError || error instanceof ColumnMappingError || error instanceof MalformedEventLogError
        ? 'InvalidInput' : 'ExecutionError';
      await send({ kind: 'error', errorType, message: error instanceof Error ? error.message : String(error), usage: ownUsage() });
    } finally {
      process.removeAllListeners('disconnect');
      process.disconnect?.();
    }
  })();
});
// Graceful stop: the parent asks first (SIGTERM), and kills if asked to force or after a grace period.
process.on('SIGTERM', () => process.exit(143));
// The node is gone (crashed or killed): nothing would receive the results, so stop too.
process.on('disconnect', () => process.exit(1));
