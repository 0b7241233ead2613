import { Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import type { CommandMetadata } from '../../../../../libs/job-domain/src/index.js';
import { ScheduleRepository, type ScheduleDefinition, type ScheduleViews } from '../../../../../libs/schedules/src/index.js';
import { ScheduleChecks, plainTemplate } from '../shared/schedule-commands.js';
import type { ChangeScheduleRequestDto } from '../shared/schedule.request.dto.js';
import { scheduleView, type ScheduleView } from '../shared/schedule-view.js';
import { SCHEDULE_VIEWS } from '../shared/schedules.tokens.js';

export class ChangeScheduleCommand {
  constructor(
    readonly tenantId: string,
    readonly projectId: string,
    readonly scheduleId: string,
    readonly request: ChangeScheduleRequestDto,
    readonly principal: Principal,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(ChangeScheduleCommand)
export class ChangeScheduleHandler implements ICommandHandler<ChangeScheduleCommand, ScheduleView> {
  constructor(
    @Inject(ScheduleRepository) private readonly schedules: ScheduleRepository,
    @Inject(SCHEDULE_VIEWS) private readonly views: ScheduleViews,
    private readonly checks: ScheduleChecks,
  ) {}

  async execute({ tenantId, projectId, scheduleId, request, principal, metadata }: ChangeScheduleCommand): Promise<ScheduleView> {
    const visible = await this.views.get(tenantId, projectId, scheduleId);
    if (!visible) throw new NotFoundException('Schedule not found');
    const scoped = { ...metadata, tenantId, projectId };
    const at = new Date().toISOString();
    const { paused, ...fields } = request;
    let state = visible;
    if (Object.values(fields).some((v) => v !== undefined)) {
      const old = visible.definition;
      // Naming one kind of timing replaces the other: {intervalSeconds: 60} turns a cron schedule into an interval one.
      const timing = request.cron != null && request.intervalSeconds == null ? { cron: request.cron, intervalSeconds: null }
        : request.intervalSeconds != null && request.cron == null ? { cron: null, intervalSeconds: request.intervalSeconds }
          : { cron: request.cron === undefined ? old.cron : request.cron, intervalSeconds: request.intervalSeconds === undefined ? old.intervalSeconds : request.intervalSeconds };
      const definition: ScheduleDefinition = await this.checks.check(principal, tenantId, projectId, {
        name: request.name ?? old.name,
        ...timing,
        timeZone: request.timeZone ?? old.timeZone,
        jobTemplate: request.jobTemplate ? plainTemplate(request.jobTemplate) : old.jobTemplate,
        overlapPolicy: request.overlapPolicy ?? old.overlapPolicy,
        catchUp: request.catchUp ?? old.catchUp,
      });
      state = (await this.schedules.decideAndAppend(scheduleId, { kind: 'ChangeSchedule', definition, by: principal.subject, at }, scoped)).state;
    }
    if (paused === true || paused === false) {
      const kind = paused ? 'PauseSchedule' as const : 'ResumeSchedule' as const;
      state = (await this.schedules.decideAndAppend(scheduleId, { kind, by: principal.subject, at }, scoped)).state;
    }
    return scheduleView(state);
  }
}
