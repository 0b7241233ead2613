/**
 * Pauses or resumes a project's queue: QueuePaused / QueueResumed in the stream
 * `queue-<tenantId>-<projectId>`. Answers once the views have the change, so a claim
 * started after the answer already skips (or again takes) the project's jobs.
 */
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProjectQueueRepository } from '../../../../../libs/job-domain/src/index.js';
import { projectQueueView, type ProjectQueueView } from '../get-queue/project-queue-view.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { ChangeQueueStatusCommand } from './change-queue-status.command.js';

@CommandHandler(ChangeQueueStatusCommand)
export class ChangeQueueStatusHandler implements ICommandHandler<ChangeQueueStatusCommand, ProjectQueueView> {
  constructor(
    private readonly queues: ProjectQueueRepository,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async execute(command: ChangeQueueStatusCommand): Promise<ProjectQueueView> {
    const { request } = command;
    const result = await this.queues.decideAndAppend(command.tenantId, command.projectId, {
      kind: request.queueStatus === 'Paused' ? 'PauseQueue' : 'ResumeQueue',
      at: new Date().toISOString(), actor: command.principal.subject, reason: request.reason ?? null,
    }, { ...command.metadata, tenantId: command.tenantId, projectId: command.projectId });
    // Project queues are written by the projection only, also where job views commit with the append.
    await this.readYourWrites.waitForProjection(result.position);
    return projectQueueView(result.state.revision < 0 ? null : result.state);
  }
}
