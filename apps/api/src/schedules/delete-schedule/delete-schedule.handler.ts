import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import { ScheduleRepository, type ScheduleViews } from '../../../../../libs/schedules/src/index.js';
import { SCHEDULE_VIEWS } from '../shared/schedules.tokens.js';

export class DeleteScheduleCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly scheduleId: string,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

/** Stops future firings; jobs it submitted already are left as they are. */
@CommandHandler(DeleteScheduleCommand)
export class DeleteScheduleHandler implements ICommandHandler<DeleteScheduleCommand, void> {
  constructor(
    @Inject(ScheduleRepository) private readonly schedules: ScheduleRepository,
    @Inject(SCHEDULE_VIEWS) private readonly views: ScheduleViews,
  ) {}

  async execute({ tenantId, projectId, scheduleId, principal, metadata }: DeleteScheduleCommand): Promise<void> {
    if (!(await this.views.get(tenantId, projectId, scheduleId))) throw new NotFoundException('Schedule not found');
    await this.schedules.decideAndAppend(scheduleId, { kind: 'DeleteSchedule', by: principal.subject, at: new Date().toISOString() }, {
      ...metadata, tenantId, projectId,
    });
  }
}
