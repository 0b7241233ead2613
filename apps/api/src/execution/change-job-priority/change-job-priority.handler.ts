import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { assertPriorityAllowed } from '../shared/priority-policy.js';
import { QueuedJobCommands, type QueuedJobCommandResponse } from '../shared/queue-management.js';
import { ChangeJobPriorityCommand } from './change-job-priority.command.js';

@CommandHandler(ChangeJobPriorityCommand)
export class ChangeJobPriorityHandler implements ICommandHandler<ChangeJobPriorityCommand, QueuedJobCommandResponse> {
  constructor(
    private readonly queuedJobs: QueuedJobCommands,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async execute(command: ChangeJobPriorityCommand): Promise<QueuedJobCommandResponse> {
    const scope = { tenantId: command.tenantId, projectId: command.projectId, jobId: command.jobId };
    const job = await this.queuedJobs.visibleJob(scope);
    // The submit policy both ways: no raising above the caller's highest priority, and no
    // lowering of a job queued above it (an operator cannot undo an admin's Critical).
    assertPriorityAllowed(command.principal, command.request.priority, this.config.maxOperatorPriority);
    assertPriorityAllowed(command.principal, job.priority, this.config.maxOperatorPriority);
    return this.queuedJobs.run(scope, {
      kind: 'ChangePriority', at: new Date().toISOString(), priority: command.request.priority,
      changedBy: command.principal.subject, reason: command.request.reason ?? null,
    }, command.metadata);
  }
}
