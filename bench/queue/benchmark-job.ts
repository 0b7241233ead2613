/**
 * The two job handlers the other queues run: a no-op, and the same Analysis computation
 * this service's execution node starts for the cheapest real job (the request of
 * `ExecutionNode.launch()`: Analysis, `variants`, the running example with the column
 * mapping its upload detected), run in-process with its artifacts written to a folder of
 * its own under a temporary root.
 */
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import type { ColumnMapping } from '../../libs/mining/src/event-log.js';
import { executeJob } from '../../libs/mining/src/jobs/index.js';
import { LoadedLogCache } from '../../libs/mining/src/jobs/load-log.js';
import { DEFAULT_RUNNER_LOG_CACHE_EVENTS } from '../../libs/execution-node/src/runner-pool.js';

export type BenchmarkHandlerKind = 'noop' | 'analysis';

export interface AnalysisInput {
  readonly datasetPath: string;
  readonly columns: ColumnMapping;
  /** Each job writes its artifacts into a new folder below this one. */
  readonly outputRoot: string;
}

/** The parameters this service's job carries (and hands to the engine unchanged). */
export const ANALYSIS_PARAMETERS = { analysisType: 'variants' } as const;
/** Any id: the engine only names it in its outputs. */
const DATASET_ID = '8a7e3c52-5d1b-4f0e-9a41-2f6c1b0d9e77';

export function benchmarkJobHandler(kind: BenchmarkHandlerKind, input: AnalysisInput): (key: number) => Promise<void> {
  if (kind === 'noop') return async () => undefined;
  // The same computation as this service's runners, which keep the logs they loaded for later jobs on the same dataset.
  const loadedLogs = new LoadedLogCache(DEFAULT_RUNNER_LOG_CACHE_EVENTS);
  return async (key) => {
    const outputDir = await mkdtemp(path.join(input.outputRoot, 'job-'));
    await executeJob({
      jobType: 'Analysis',
      parameters: { datasetId: DATASET_ID, ...ANALYSIS_PARAMETERS },
      dataset: { path: input.datasetPath, format: 'csv', columns: input.columns },
      outputDir,
      title: `bench ${key}`,
    }, () => undefined, loadedLogs);
  };
}
