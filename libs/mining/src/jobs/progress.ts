/**
 * Turns stage changes and loading milestones into ProgressReports. Percentages are mapped
 * onto fixed stage bands (loading dominates wall time on big logs, so it gets half) and
 * never go backwards, whatever order the callbacks arrive in.
 */
import { JOB_STAGES, type JobStage, type ProgressReport } from '../job-execution.contract.js';

/** Start of each stage's band in percent; a stage ends where the next one starts, the last at 100. */
const STAGE_BAND_START: Readonly<Record<JobStage, number>> = {
  Loading: 0,
  Validating: 50,
  Filtering: 53,
  Discovering: 56,
  Measuring: 68,
  Rendering: 78,
  'Writing outputs': 88,
};

function bandEnd(stage: JobStage): number {
  const next = JOB_STAGES[JOB_STAGES.indexOf(stage) + 1];
  return next === undefined ? 100 : STAGE_BAND_START[next];
}

export class ProgressTracker {
  private stage: JobStage = 'Loading';
  private started = false;
  private percentage = 0;
  private recordsProcessed = 0;
  private totalRecords: number | null = null;
  private totalRecordsEstimated = false;
  private errorCount = 0;
  private warningCount = 0;

  constructor(private readonly onProgress: (report: ProgressReport) => void) {}

  /** Moves to a later stage (earlier or equal stages are ignored) and reports. */
  enter(stage: JobStage): void {
    if (this.started && JOB_STAGES.indexOf(stage) <= JOB_STAGES.indexOf(this.stage)) return;
    this.started = true;
    this.stage = stage;
    this.advanceTo(STAGE_BAND_START[stage]);
    this.emit();
  }

  /** Loading milestone: records read so far and the share of the source bytes consumed. */
  loading(recordsRead: number, bytesRead: number, totalBytes: number): void {
    this.recordsProcessed = Math.max(this.recordsProcessed, recordsRead);
    const share = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 0;
    // An estimate until `loaded`: compressed sources are read ahead of the parser, so even
    // "all bytes read" does not mean all records have been counted yet.
    if (share > 0) {
      this.totalRecords = Math.max(this.recordsProcessed, Math.round(recordsRead / share));
      this.totalRecordsEstimated = true;
    }
    this.advanceTo(STAGE_BAND_START.Loading + share * (bandEnd('Loading') - STAGE_BAND_START.Loading));
    this.emit();
  }

  /** The source has been read: exact totals and the quality counts. */
  loaded(totalRecords: number, recordsProcessed: number, errorCount: number, warningCount: number): void {
    this.totalRecords = totalRecords;
    this.totalRecordsEstimated = false;
    this.recordsProcessed = recordsProcessed;
    this.errorCount = errorCount;
    this.warningCount = warningCount;
  }

  /** Share (0..1) of the current stage done, for long stages that can tell. */
  within(share: number): void {
    const start = STAGE_BAND_START[this.stage];
    this.advanceTo(start + Math.min(1, Math.max(0, share)) * (bandEnd(this.stage) - start));
    this.emit();
  }

  finish(): void {
    this.stage = 'Writing outputs';
    this.advanceTo(100);
    this.emit();
  }

  private advanceTo(percentage: number): void {
    this.percentage = Math.max(this.percentage, Math.round(percentage * 10) / 10);
  }

  private emit(): void {
    this.onProgress({
      percentage: this.percentage,
      currentStage: this.stage,
      recordsProcessed: this.recordsProcessed,
      totalRecords: this.totalRecords,
      ...(this.totalRecordsEstimated && { totalRecordsEstimated: true }),
      errorCount: this.errorCount,
      warningCount: this.warningCount,
    });
  }
}
