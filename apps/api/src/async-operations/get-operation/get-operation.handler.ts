/**
 * An async operation as its jobs show it: the first job names it (`op-<jobId>`), retries
 * are followed (`retriedBy`) to the current attempt, whose state is the operation's.
 */
import { BadRequestException, Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  inferredFailure, jobIdOfOperation, operationEnded, operationIdOf, operationStatusOf, type JobArtifact, type JobState,
} from '../../../../../libs/job-domain/src/index.js';
import { resultsUrl } from '../../../../../libs/notifications/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../../execution/shared/execution.tokens.js';
import { jobStatusView } from '../../execution/shared/job-views.js';
import { operationCallbacksView } from '../../execution/shared/notification-views.js';
import { artifactDownloadPath } from '../../execution/get-job-results/get-job-results.handler.js';
import { GetOperationQuery } from './get-operation.query.js';
import type { OperationErrorDto, OperationStatusDto } from './get-operation.response.dto.js';

/** More attempts than any chain can have (10 automatic attempts, plus retries by request): a guard, not a limit. */
const MAX_CHAIN = 100;

@QueryHandler(GetOperationQuery)
export class GetOperationHandler implements IQueryHandler<GetOperationQuery, OperationStatusDto> {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async execute(query: GetOperationQuery): Promise<OperationStatusDto> {
    const firstJobId = jobIdOfOperation(query.operationId);
    if (!firstJobId) {
      throw new BadRequestException({
        message: 'Invalid path parameters', errors: [{ field: 'operationId', message: 'operationId must be op-<GUID>' }],
      });
    }
    const operationId = operationIdOf(firstJobId);
    const first = await this.stores.jobs.getJob(query.tenantId, query.projectId, firstJobId);
    // A plain job, or a later attempt, is not an operation of its own.
    if (!first || first.operation?.operationId !== operationId) throw new NotFoundException('Operation not found');
    const attempts = [first];
    for (let job = first; job.retriedBy && attempts.length < MAX_CHAIN;) {
      const next = await this.stores.jobs.getJob(query.tenantId, query.projectId, job.retriedBy);
      if (!next) break; // a retry being opened right now: shown from the next poll on
      attempts.push((job = next));
    }
    const current = attempts[attempts.length - 1];
    const status = operationStatusOf(current);
    const view = jobStatusView(current);
    const callbacks = current.notifications.callbacks;
    return {
      operationId, operationType: first.operation.operationType, operationName: first.jobName,
      operationDescription: first.jobDescription, status, priority: current.priority,
      jobId: current.jobId, jobStatus: current.status,
      progress: {
        percentage: view.progress.percentage, currentStage: view.progress.currentStage,
        estimatedCompletion: view.progress.estimatedCompletion, elapsedTime: view.progress.elapsedTime,
        elapsedSeconds: view.progress.elapsedSeconds, recordsProcessed: current.progress.recordsProcessed,
        totalRecords: current.progress.totalRecords,
      },
      attempts: {
        current: current.attempt, maxAttempts: current.scheduling.maxAttempts ?? 1, nextRetryAt: current.nextRetryAt ?? null,
        history: attempts.map((a) => ({
          jobId: a.jobId, attempt: a.attempt, status: a.status, submittedAt: a.submittedAt, startedAt: a.startedAt,
          endedAt: a.endedAt, error: errorOf(a), statusUrl: `/api/${a.tenantId}/${a.projectId}/execution/job/${a.jobId}`,
        })),
      },
      retryPolicy: current.scheduling.retryPolicy ?? null,
      timeout: current.scheduling.timeoutMinutes * 60,
      results: status === 'Completed' ? {
        resultsUrl: resultsUrl(current, null),
        artifacts: listedArtifacts(current).map((artifact) => ({
          artifactId: artifact.artifactId, type: artifact.type, title: artifact.title, format: artifact.format,
          outputType: artifact.outputType, sizeBytes: artifact.sizeBytes,
          downloadUrl: `${query.baseUrl}${artifactDownloadPath(current, artifact.artifactId)}`,
        })),
      } : null,
      error: status === 'Failed' ? errorOf(current) : null,
      callbacks: callbacks ? operationCallbacksView(callbacks) : null,
      webhooksRegistered: callbacks ? [callbacks.onProgress, callbacks.onCompletion, callbacks.onError].filter(Boolean).length : 0,
      trackingUrl: `/api/${first.tenantId}/${first.projectId}/async/operation/${operationId}`,
      submittedBy: first.submittedBy, dateCreated: first.submittedAt,
      startTime: attempts.find((a) => a.startedAt)?.startedAt ?? null,
      endTime: operationEnded(current) ? current.endedAt : null,
      lastUpdated: current.lastUpdated,
    };
  }
}

function errorOf(job: JobState): OperationErrorDto | null {
  if (!job.failure) return null;
  const inferred = job.failure.category === undefined ? inferredFailure(job.failure.errorType) : null;
  return {
    type: job.failure.errorType, message: job.failure.message,
    category: job.failure.category ?? inferred!.category, retryable: job.failure.retryable ?? inferred!.retryable,
  };
}

/** The artifacts the operation's outputOptions ask for; every one without them. */
function listedArtifacts(job: JobState): readonly JobArtifact[] {
  const artifacts = job.outcome?.artifacts ?? [];
  const options = job.operation?.outputOptions;
  if (!options) return artifacts;
  return artifacts.filter((a) => (options.generateReports || a.outputType !== 'reports')
    && (options.createVisualizations || a.outputType !== 'visualizations')
    && (options.exportFormats === null || options.exportFormats.includes(a.format)));
}
