/** Builders of job commands' payloads for store-level suites (no HTTP, no dataset behind them). */
import type { JobOutcome, JobProgressedData, JobSubmittedData } from '../../libs/job-domain/src/index.js';

export function jobSubmission(jobId: string, scope: { tenantId: string; projectId: string }, overrides: Partial<JobSubmittedData> = {}): JobSubmittedData {
  return {
    jobId, tenantId: scope.tenantId, projectId: scope.projectId, jobName: `job ${jobId.slice(0, 8)}`, jobDescription: null,
    jobType: 'Analysis', priority: 'Normal', resource: null, parameters: { datasetId: '00000000-0000-4000-8000-000000000000' },
    scheduling: { executeImmediately: true, scheduledTime: null, timeoutMinutes: 30 },
    notifications: { onCompletion: false, onFailure: false, emailRecipients: [] },
    submittedBy: 'tester', submittedAt: '2024-03-01T10:00:00.000Z', retryOf: null, attempt: 1,
    ...overrides,
  };
}

export function jobProgress(percentage: number, reportedAt: string): JobProgressedData {
  return {
    percentage, currentStage: 'Discovering', recordsProcessed: percentage * 10, totalRecords: 1000, errorCount: 0, warningCount: 0,
    usage: { memoryBytes: 1_000_000 + percentage, cpuPercent: 50, diskBytes: percentage }, reportedAt,
  };
}

export function jobOutcome(recordsProcessed = 1000): JobOutcome {
  return {
    recordsProcessed, totalRecords: recordsProcessed, dataQualityScore: null, dataValidation: null, warnings: [], processingErrors: [],
    artifacts: [], attemptFolder: 'attempt-1',
    execution: { cpuTimeSeconds: 1.5, wallTimeSeconds: 2, peakMemoryBytes: 2_000_000, diskIoOperations: null, diskBytesWritten: null },
  };
}
