import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import { ScheduleRepository } from '../../../../../libs/schedules/src/index.js';
import { ScheduleChecks, plainTemplate } from '../shared/schedule-commands.js';
import type { CreateScheduleRequestDto } from '../shared/schedule.request.dto.js';
import { scheduleView, type ScheduleView } from '../shared/schedule-view.js';

export class CreateScheduleCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly request: CreateScheduleRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(CreateScheduleCommand)
export class CreateScheduleHandler implements ICommandHandler<CreateScheduleCommand, ScheduleView> {
  constructor(@Inject(ScheduleRepository) private readonly schedules: ScheduleRepository, private readonly checks: ScheduleChecks) {}

  async execute({ tenantId, projectId, request, principal, metadata }: CreateScheduleCommand): Promise<ScheduleView> {
    const definition = await this.checks.check(principal, tenantId, projectId, {
      name: request.name,
      cron: request.cron ?? null,
      intervalSeconds: request.intervalSeconds ?? null,
      timeZone: request.timeZone ?? 'UTC',
      jobTemplate: plainTemplate(request.jobTemplate),
      overlapPolicy: request.overlapPolicy ?? 'skip',
      catchUp: request.catchUp ?? 'none',
    });
    const scheduleId = randomUUID();
    const { state } = await this.schedules.decideAndAppend(scheduleId, {
      kind: 'CreateSchedule', scheduleId, tenantId, projectId, definition, by: principal.subject, at: new Date().toISOString(),
    }, { ...metadata, tenantId, projectId });
    return scheduleView(state);
  }
}
