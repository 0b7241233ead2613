/**
 * Entry of the child process that runs one job's CPU-heavy work, so the node's event
 * loop stays free and cancellation or a timeout can really stop it (by signal).
 * Protocol over IPC: parent sends { request }; child sends progress, then result or error.
 */
import { ColumnMappingError, MalformedEventLogError } from '../../mining/src/ingest/index.js';
import { InvalidJobParametersError, executeJob } from '../../mining/src/jobs/index.js';
import type { JobExecutionRequest, JobExecutionResult, ProgressReport } from '../../mining/src/job-execution.contract.js';

export type ChildMessage =
  | { readonly kind: 'progress'; readonly progress: ProgressReport }
  | { readonly kind: 'result'; readonly result: JobExecutionResult }
  | { readonly kind: 'error'; readonly errorType: string; readonly message: string };

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, () => resolve()));
}

process.once('message', (message: { request: JobExecutionRequest }) => {
  void (async () => {
    try {
      const result = await executeJob(message.request, (progress) => void send({ kind: 'progress', progress }));
      await send({ kind: 'result', result });
    } catch (error) {
      // Bad input (parameters the data cannot satisfy, unmappable columns) is the submitter's to fix, not a fault.
      const errorType = error instanceof InvalidJobParametersError || error instanceof ColumnMappingError || error instanceof MalformedEventLogError
        ? 'InvalidInput' : 'ExecutionError';
      await send({ kind: 'error', errorType, message: error instanceof Error ? error.message : String(error) });
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
