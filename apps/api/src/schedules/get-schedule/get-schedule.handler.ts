import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ScheduleViews } from '../../../../../libs/schedules/src/index.js';
import { scheduleView, type ScheduleView } from '../shared/schedule-view.js';
import { SCHEDULE_VIEWS } from '../shared/schedules.tokens.js';

export class GetScheduleQuery {
  constructor(readonly tenantId: string, readonly projectId: string, readonly scheduleId: string) {}
}

@QueryHandler(GetScheduleQuery)
export class GetScheduleHandler implements IQueryHandler<GetScheduleQuery, ScheduleView> {
  constructor(@Inject(SCHEDULE_VIEWS) private readonly views: ScheduleViews) {}

  async execute({ tenantId, projectId, scheduleId }: GetScheduleQuery): Promise<ScheduleView> {
    const state = await this.views.get(tenantId, projectId, scheduleId);
    if (!state) throw new NotFoundException('Schedule not found');
    return scheduleView(state);
  }
}
