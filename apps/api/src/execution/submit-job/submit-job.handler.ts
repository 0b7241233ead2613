import { randomUUID } from 'node:crypto';
import { BadRequestException, Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WrongExpectedRevisionError } from '../../../../../libs/event-store/src/event-store.port.js';
import { JobRepository, derivedUuid, operationIdOf, type JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Notifications } from '../../../../../libs/notifications/src/index.js';
import { validateJobParameters } from '../../../../../libs/mining/src/jobs/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { parseApiDate } from '../../http/api-dates.js';
import { NOTIFICATIONS, STORES } from '../shared/execution.tokens.js';
import { submittedDependencies } from './job-dependencies.js';
import { submittedWebhooks } from './submitted-webhooks.js';
import { JobEstimator } from '../shared/job-estimates.js';
import { assertPriorityAllowed } from '../shared/priority-policy.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { resolvedRetryPolicy } from '../shared/retry-policy.js';
import { TenantQueueQuota, TenantQuotaExceededError } from '../shared/tenant-queue-quota.js';
import { SubmitJobCommand } from './submit-job.command.js';
import type { SubmitJobResponseDto } from './submit-job.response.dto.js';

@CommandHandler(SubmitJobCommand)
export class SubmitJobHandler implements ICommandHandler<SubmitJobCommand, SubmitJobResponseDto> {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly readYourWrites: ReadYourWrites,
    private readonly estimator: JobEstimator,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Inject(NOTIFICATIONS) private readonly notifications: Notifications,
    private readonly quota: TenantQueueQuota,
  ) {}

  async execute(command: SubmitJobCommand): Promise<SubmitJobResponseDto> {
    const { request, tenantId, projectId } = command;
    assertPriorityAllowed(command.principal, request.priority ?? 'Normal', this.config.maxOperatorPriority);
    await assertRunnableParameters(this.stores, tenantId, projectId, request.jobType, request.parameters);
    const { firing } = command;
    const jobId = firing?.jobId ?? (command.idempotencyKey ? derivedUuid('submit', tenantId, projectId, command.idempotencyKey) : randomUUID());
    let dependsOn: string[];
    try {
      dependsOn = await submittedDependencies(this.stores.jobs, { tenantId, projectId, jobId }, request.dependsOn, request.parameters);
    } catch (error) {
      // A repeat of a keyed submit (or a firing) is answered with its job, even if a dependency ended since.
      const existing = command.idempotencyKey || firing ? await this.repository.load(jobId) : null;
      if (!existing) throw error;
      return submissionResponse(existing, await this.estimator.estimate(existing));
    }
    // Secrets are stored before the job exists: an acknowledged job always finds its own.
    const { retryPolicy, maxAttempts } = resolvedRetryPolicy(request.retryPolicy, request.scheduling?.maxAttempts, this.config.retries);
    const webhooks = await submittedWebhooks(this.notifications, tenantId, request.notifications?.webhooks);
    const { operation } = command;
    const at = new Date().toISOString();
    const scheduledTime = request.scheduling?.scheduledTime ? parseApiDate(request.scheduling.scheduledTime).toISOString() : null;
    let state: JobState;
    try {
      const result = await this.quota.admit(tenantId, () => this.repository.execute(jobId, {
        kind: 'SubmitJob',
        submission: {
          jobId, tenantId, projectId, jobName: request.jobName, jobDescription: request.jobDescription ?? null,
          jobType: request.jobType, priority: request.priority ?? 'Normal',
          resource: request.resource
            ? { resourceType: request.resource.resourceType, resourceId: request.resource.resourceId, resourceName: request.resource.resourceName ?? null }
            : null,
          parameters: request.parameters,
          scheduling: {
            executeImmediately: request.scheduling?.executeImmediately ?? true,
            scheduledTime,
            timeoutMinutes: request.scheduling?.timeoutMinutes ?? 120,
            maxAttempts,
            ...(retryPolicy ? { retryPolicy } : {}),
          },
          notifications: {
            onCompletion: request.notifications?.onCompletion ?? false,
            onFailure: request.notifications?.onFailure ?? false,
            emailRecipients: request.notifications?.emailRecipients ?? [],
            ...(request.notifications?.onCancellation ? { onCancellation: true } : {}),
            ...(webhooks.length ? { webhooks } : {}),
            ...(operation?.callbacks ? { callbacks: operation.callbacks } : {}),
            ...(operation?.slack ? { slack: operation.slack } : {}),
          },
          submittedBy: command.principal.subject, submittedAt: at, retryOf: null, attempt: 1,
          ...(firing ? { schedule: { scheduleId: firing.scheduleId, fireTime: firing.fireTime } } : {}),
          ...(operation ? {
            operation: {
              operationId: operationIdOf(jobId), operationType: operation.operationType,
              ...(operation.outputOptions ? { outputOptions: operation.outputOptions } : {}),
            },
          } : {}),
          ...(dependsOn.length ? { dependsOn } : {}),
        },
      }, { ...command.metadata, tenantId, projectId }, { retries: 0, known: undefined }));
      state = result.state;
      await this.readYourWrites.waitFor(result.position);
    } catch (error) {
      const repeatable = error instanceof WrongExpectedRevisionError || error instanceof TenantQuotaExceededError;
      if (!repeatable || (!command.idempotencyKey && !firing)) throw error;
      // The same key was submitted before (also when the tenant is at its quota now): answer with that job.
      const existing = await this.repository.load(jobId);
      if (!existing) throw error;
      state = existing;
    }
    return submissionResponse(state, await this.estimator.estimate(state));
  }
}

/** Parameters the job type understands, naming a dataset (and a process model, if any) of this project. */
export async function assertRunnableParameters(
  stores: Stores, tenantId: string, projectId: string, jobType: JobState['jobType'], parameters: Readonly<Record<string, unknown>>,
): Promise<void> {
  const fromJob = datasetFromJobProblems(parameters.datasetId);
  // A dataset another job will produce (a pipeline): the rest is checked as for any dataset; the job by submittedDependencies.
  const checked = fromJob ? { ...parameters, datasetId: fromJob.placeholder } : parameters;
  const problems = [...(fromJob?.problems ?? []), ...validateJobParameters(jobType, checked).map((p) => ({ field: p.field, message: p.message }))];
  if (problems.length === 0 && typeof parameters.datasetId === 'string') {
    const dataset = await stores.datasets.get(tenantId, projectId, parameters.datasetId.toLowerCase());
    if (!dataset) problems.push({ field: 'parameters.datasetId', message: 'no dataset with this id in this project' });
  }
  if (problems.length === 0 && typeof parameters.modelId === 'string') {
    const model = await stores.models.get(tenantId, projectId, parameters.modelId.toLowerCase());
    if (!model) problems.push({ field: 'parameters.modelId', message: 'no process model with this id in this project (upload it with POST /models)' });
  }
  if (problems.length > 0) throw new BadRequestException({ message: 'Invalid job parameters', errors: problems });
}

/** `parameters.datasetId` given as `{"fromJob": "<jobId>"}`: its problems, and a dataset id standing in for it; null for any other value. */
function datasetFromJobProblems(datasetId: unknown): { problems: { field: string; message: string }[]; placeholder: string } | null {
  if (typeof datasetId !== 'object' || datasetId === null || Array.isArray(datasetId)) return null;
  const { fromJob, ...rest } = datasetId as Record<string, unknown>;
  const problems = Object.keys(rest).map((key) => ({ field: `parameters.datasetId.${key}`, message: 'is not known: the object form is {"fromJob": "<jobId>"}' }));
  if (typeof fromJob !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(fromJob)) {
    problems.push({ field: 'parameters.datasetId.fromJob', message: 'must be the id (a GUID string) of a DataEnrichment job' });
  }
  return { problems, placeholder: '00000000-0000-4000-8000-000000000000' };
}

export function submissionResponse(state: JobState, estimates: Awaited<ReturnType<JobEstimator['estimate']>>): SubmitJobResponseDto {
  return {
    jobId: state.jobId, status: state.status, ...estimates, jobName: state.jobName, priority: state.priority,
    dateSubmitted: state.submittedAt, submittedBy: state.submittedBy, retryOf: state.retryOf, attempt: state.attempt,
    scheduledTime: state.scheduling.scheduledTime, waitingFor: state.waitingFor ? [...state.waitingFor] : null,
  };
}
