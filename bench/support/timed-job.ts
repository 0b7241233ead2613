/**
 * A comprehensive ProcessMining job through `executeJob`, timed as the mining benches report
 * it: wall and CPU seconds of this process and seconds per stage (StageClock).
 */
import { executeJob } from '../../libs/mining/src/jobs/index.js';
import type { DatasetFormat } from '../../libs/mining/src/job-execution.contract.js';
import { StageClock } from './stage-clock.js';

export interface TimedJob {
  readonly result: Awaited<ReturnType<typeof executeJob>>;
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
  readonly stageSeconds: Record<string, number>;
}

const round2 = (seconds: number): number => Math.round(seconds * 100) / 100;

export async function timeComprehensiveJob(
  dataset: { readonly path: string; readonly format: DatasetFormat; readonly ingestedPath?: string },
  outputDir: string,
  title: string,
): Promise<TimedJob> {
  const stages = new StageClock();
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await executeJob(
    {
      jobType: 'ProcessMining',
      parameters: { datasetId: '880e8400-e29b-41d4-a716-446655440000', analysisType: 'comprehensive', outputFormat: 'detailed_report' },
      dataset,
      outputDir,
      title,
    },
    stages.onProgress,
  );
  const finished = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  return {
    result,
    wallSeconds: round2((finished - started) / 1000),
    cpuSeconds: round2((cpu.user + cpu.system) / 1e6),
    stageSeconds: stages.secondsUntil(finished),
  };
}
