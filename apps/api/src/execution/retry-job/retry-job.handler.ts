import { randomUUID } from 'node:crypto';
import { BadRequestException, Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { JobRepository, retrySubmission } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { assertRunnableParameters, submissionResponse } from '../submit-job/submit-job.handler.js';
import { STORES } from '../shared/execution.tokens.js';
import { JobEstimator } from '../shared/job-estimates.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { RetryJobCommand } from './retry-job.command.js';

const MAX_TIMEOUT_MINUTES = 10080;

@CommandHandler(RetryJobCommand)
export class RetryJobHandler implements ICommandHandler<RetryJobCommand> {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly readYourWrites: ReadYourWrites,
    private readonly estimator: JobEstimator,
  ) {}

  async execute(command: RetryJobCommand) {
    const { request } = command;
    const visible = await this.stores.jobs.getJob(command.tenantId, command.projectId, command.jobId);
    if (!visible) throw new NotFoundException('Job not found');
    const old = (await this.repository.load(command.jobId)) ?? visible;

    const { timeoutMinutes, ...parameterChanges } = request.modifyParameters ? request.updatedParameters ?? {} : {};
    if (timeoutMinutes !== undefined && (!Number.isInteger(timeoutMinutes) || (timeoutMinutes as number) < 1 || (timeoutMinutes as number) > MAX_TIMEOUT_MINUTES)) {
      throw new BadRequestException({
        message: 'Validation failed',
        errors: [{ field: 'updatedParameters.timeoutMinutes', message: `timeoutMinutes must be an integer from 1 to ${MAX_TIMEOUT_MINUTES}` }],
      });
    }
    const parameters = { ...old.parameters, ...parameterChanges };
    await assertRunnableParameters(this.stores, old.tenantId, old.projectId, old.jobType, parameters);

    const newJobId = randomUUID();
    const at = new Date().toISOString();
    // The old stream records JobRetried first: its expected revision makes a double
    // retry impossible, and the new stream is only opened by the winner.
    await this.repository.execute(command.jobId, {
      kind: 'RetryJob', at, newJobId, reason: request.retryReason ?? null, retriedBy: command.principal.subject,
    }, command.metadata, { retries: 3 });
    const submitted = await this.repository.execute(newJobId, {
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
    }, { ...command.metadata, tenantId: old.tenantId, projectId: old.projectId }, { retries: 0 });
    await this.readYourWrites.waitFor(submitted.position);
    return submissionResponse(submitted.state, await this.estimator.estimate(submitted.state));
  }
}

/** A retry keeps a scheduled time only while it is still ahead. */
function futureOrNull(time: string | null): string | null {
  return time && Date.parse(time) > Date.now() ? time : null;
}
