import { BadRequestException, Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { JobRepository, requestedRetryJobId, retryFailedJob } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { assertRunnableParameters, submissionResponse } from '../submit-job/submit-job.handler.js';
import { STORES } from '../shared/execution.tokens.js';
import { JobEstimator } from '../shared/job-estimates.js';
import { assertPriorityAllowed } from '../shared/priority-policy.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { TenantQueueQuota } from '../shared/tenant-queue-quota.js';
import { RetryJobCommand } from './retry-job.command.js';

const MAX_TIMEOUT_MINUTES = 10080;

@CommandHandler(RetryJobCommand)
export class RetryJobHandler implements ICommandHandler<RetryJobCommand> {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly readYourWrites: ReadYourWrites,
    private readonly estimator: JobEstimator,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly quota: TenantQueueQuota,
  ) {}

  async execute(command: RetryJobCommand) {
    const { request } = command;
    const visible = await this.stores.jobs.getJob(command.tenantId, command.projectId, command.jobId);
    if (!visible) throw new NotFoundException('Job not found');
    const old = (await this.repository.load(command.jobId)) ?? visible;
    // A retry keeps the old priority unless it names one: either way the caller must be allowed it.
    assertPriorityAllowed(command.principal, request.priority ?? old.priority, this.config.maxOperatorPriority);

    const { timeoutMinutes, ...parameterChanges } = request.modifyParameters ? request.updatedParameters ?? {} : {};
    if (timeoutMinutes !== undefined && (!Number.isInteger(timeoutMinutes) || (timeoutMinutes as number) < 1 || (timeoutMinutes as number) > MAX_TIMEOUT_MINUTES)) {
      throw new BadRequestException({
        message: 'Validation failed',
        errors: [{ field: 'updatedParameters.timeoutMinutes', message: `timeoutMinutes must be an integer from 1 to ${MAX_TIMEOUT_MINUTES}` }],
      });
    }
    const parameters = { ...old.parameters, ...parameterChanges };
    await assertRunnableParameters(this.stores, old.tenantId, old.projectId, old.jobType, parameters);

    // The new job's id derives from the old job and its revision (or is the pending automatic
    // retry's): two concurrent retries of the same state, or a retry repeated after a crash
    // between its two appends, name the same new job, so it is opened once and recorded once.
    const submitted = await this.quota.admit(old.tenantId, () => retryFailedJob(this.repository, old, {
      newJobId: requestedRetryJobId(old), at: new Date().toISOString(), requestedBy: command.principal.subject,
      reason: request.retryReason ?? null, priority: request.priority, parameters,
      scheduling: {
        ...old.scheduling,
        timeoutMinutes: (timeoutMinutes as number | undefined) ?? old.scheduling.timeoutMinutes,
        scheduledTime: request.immediateExecution ? null : futureOrNull(old.scheduling.scheduledTime),
      },
    }, command.metadata));
    await this.readYourWrites.waitFor(submitted.position);
    return submissionResponse(submitted.state, await this.estimator.estimate(submitted.state));
  }
}

/** A retry keeps a scheduled time only while it is still ahead. */
function futureOrNull(time: string | null): string | null {
  return time && Date.parse(time) > Date.now() ? time : null;
}
