import { BadRequestException, Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WrongExpectedRevisionError } from '../../../../../libs/event-store/src/event-store.port.js';
import {
  JobRepository, decide, derivedUuid, retrySubmission, type CommandResult, type JobCommand,
} from '../../../../../libs/job-domain/src/index.js';
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

    // The new job's id derives from the old job and its revision: two concurrent retries
    // of the same state, or a retry repeated after a crash between the two appends below,
    // name the same new job, so it is opened once and recorded once.
    const newJobId = derivedUuid('retry', old.jobId, String(old.revision));
    const at = new Date().toISOString();
    const retry: JobCommand = { kind: 'RetryJob', at, newJobId, reason: request.retryReason ?? null, retriedBy: command.principal.subject };
    decide(retry, old); // refuse (409) before opening anything
    let submitted: CommandResult;
    try {
      submitted = await this.quota.admit(old.tenantId, () => this.repository.execute(newJobId, {
        kind: 'SubmitJob',
        submission: retrySubmission(old, {
          newJobId, at, submittedBy: command.principal.subject, reason: request.retryReason ?? null,
          priority: request.priority, parameters,
          scheduling: {
            ...old.scheduling,
            timeoutMinutes: (timeoutMinutes as number | undefined) ?? old.scheduling.timeoutMinutes,
            scheduledTime: request.immediateExecution ? null : futureOrNull(old.scheduling.scheduledTime),
          },
        }),
      }, { ...command.metadata, tenantId: old.tenantId, projectId: old.projectId }, { retries: 0 }));
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const existing = await this.repository.load(newJobId);
      if (!existing) throw error;
      submitted = { state: existing, events: [], position: null };
    }
    try {
      await this.repository.execute(old.jobId, retry, command.metadata, { retries: 0, known: old });
    } catch (error) {
      const fresh = await this.repository.load(old.jobId);
      // Recorded by a concurrent twin of this request: same new job, nothing left to do.
      if (fresh?.retriedBy !== newJobId) throw error;
    }
    await this.readYourWrites.waitFor(submitted.position);
    return submissionResponse(submitted.state, await this.estimator.estimate(submitted.state));
  }
}

/** A retry keeps a scheduled time only while it is still ahead. */
function futureOrNull(time: string | null): string | null {
  return time && Date.parse(time) > Date.now() ? time : null;
}
