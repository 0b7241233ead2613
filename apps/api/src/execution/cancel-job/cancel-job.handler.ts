import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { JobRepository, type JobState } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from '../shared/execution.tokens.js';
import { jobStatusView } from '../shared/job-views.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { CancelJobCommand } from './cancel-job.command.js';

/** How long a DELETE waits for a running job's node to confirm it stopped. */
const CONFIRMATION_WAIT_MS = 10_000;

@CommandHandler(CancelJobCommand)
export class CancelJobHandler implements ICommandHandler<CancelJobCommand> {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    private readonly repository: JobRepository,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute(command: CancelJobCommand) {
    const visible = await this.stores.jobs.getJob(command.tenantId, command.projectId, command.jobId);
    if (!visible) throw new NotFoundException('Job not found');
    const result = await this.repository.execute(command.jobId, {
      kind: 'CancelJob',
      at: new Date().toISOString(),
      request: {
        reason: command.request.reason ?? null,
        forceTermination: command.request.forceTermination ?? false,
        preservePartialResults: command.request.preservePartialResults ?? true,
        requestedBy: command.principal.subject,
      },
    }, command.metadata, { retries: 5 });
    await this.readYourWrites.waitFor(result.position);
    const state = result.state.status === 'Running' ? await this.awaitConfirmation(command) : result.state;
    return {
      ...jobStatusView(state),
      cancellationPending: state.status === 'Running',
      message: state.status === 'Cancelled'
        ? 'Job cancelled'
        : 'Cancellation requested; the job stops at its next checkpoint',
    };
  }

  /** A running job stops on its node; wait a little for the node's JobCancelled. */
  private async awaitConfirmation(command: CancelJobCommand): Promise<JobState> {
    const deadline = Date.now() + CONFIRMATION_WAIT_MS;
    for (;;) {
      const job = await this.stores.jobs.getJob(command.tenantId, command.projectId, command.jobId);
      if (!job) throw new NotFoundException('Job not found');
      if (job.status !== 'Running' || Date.now() >= deadline) return job;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
