import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { QueuedJobCommands, type QueuedJobCommandResponse } from '../shared/queue-management.js';
import { ReleaseJobCommand } from './release-job.command.js';

@CommandHandler(ReleaseJobCommand)
export class ReleaseJobHandler implements ICommandHandler<ReleaseJobCommand, QueuedJobCommandResponse> {
  constructor(private readonly queuedJobs: QueuedJobCommands) {}

  execute(command: ReleaseJobCommand): Promise<QueuedJobCommandResponse> {
    return this.queuedJobs.run(
      { tenantId: command.tenantId, projectId: command.projectId, jobId: command.jobId },
      { kind: 'ReleaseJob', at: new Date().toISOString(), releasedBy: command.principal.subject, reason: command.request.reason ?? null },
      command.metadata,
    );
  }
}
