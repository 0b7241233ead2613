/**
 * Seconds a job spent in each stage, from its progress reports: a stage lasts from its first
 * report to the first report of any later stage (or the job's end).
 */
import { JOB_STAGES, type JobStage, type ProgressReport } from '../../libs/mining/src/job-execution.contract.js';

export class StageClock {
  private readonly started = new Map<JobStage, number>();

  /** The progress callback to hand the job. */
  readonly onProgress = (progress: ProgressReport): void => {
    if (!this.started.has(progress.currentStage)) this.started.set(progress.currentStage, performance.now());
  };

  /** Seconds per stage seen, rounded to 10 ms, given when the job ended (performance.now()). */
  secondsUntil(finished: number): Record<string, number> {
    const seconds: Record<string, number> = {};
    JOB_STAGES.forEach((stage, i) => {
      const from = this.started.get(stage);
      if (from === undefined) return;
      const next = JOB_STAGES.slice(i + 1).map((s) => this.started.get(s)).find((t) => t !== undefined) ?? finished;
      seconds[stage] = Math.round((next - from) / 10) / 100;
    });
    return seconds;
  }
}
