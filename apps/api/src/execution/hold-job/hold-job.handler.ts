import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { QueuedJobCommands, type QueuedJobCommandResponse } from '../shared/queue-management.js';
import { HoldJobCommand } from './hold-job.command.js';

@CommandHandler(HoldJobCommand)
export class HoldJobHandler implements ICommandHandler<HoldJobCommand, QueuedJobCommandResponse> {
  constructor(private readonly queuedJobs: QueuedJobCommands) {}

  execute(command: HoldJobCommand): Promise<QueuedJobCommandResponse> {
    return this.queuedJobs.run(
      { tenantId: command.tenantId, projectId: command.projectId, jobId: command.jobId },
      { kind: 'HoldJob', at: new Date().toISOString(), heldBy: command.principal.subject, reason: command.request.reason ?? null },
      command.metadata,
    );
  }
}
