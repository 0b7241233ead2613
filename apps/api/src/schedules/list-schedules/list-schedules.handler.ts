import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ScheduleViews } from '../../../../../libs/schedules/src/index.js';
import { scheduleView, type ScheduleView } from '../shared/schedule-view.js';
import { SCHEDULE_VIEWS } from '../shared/schedules.tokens.js';

export class ListSchedulesQuery {
  constructor(readonly tenantId: string, readonly projectId: string) {}
}

@QueryHandler(ListSchedulesQuery)
export class ListSchedulesHandler implements IQueryHandler<ListSchedulesQuery, { schedules: ScheduleView[] }> {
  constructor(@Inject(SCHEDULE_VIEWS) private readonly views: ScheduleViews) {}

  async execute({ tenantId, projectId }: ListSchedulesQuery): Promise<{ schedules: ScheduleView[] }> {
    const now = new Date();
    return { schedules: (await this.views.list(tenantId, projectId)).map((s) => scheduleView(s, now)) };
  }
}
