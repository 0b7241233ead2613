import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import type { ScheduleView } from '../shared/schedule-view.js';
import { GetScheduleQuery } from './get-schedule.handler.js';

@ApiTags('Schedules')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution/schedules')
@UseGuards(TenantScopeGuard)
export class GetScheduleController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':scheduleId')
  @ApiOperation({ summary: 'Get Schedule', description: 'One schedule with its next fire times, last firing and recent firings.' })
  @ApiErrorResponses(400, 401, 403, 404)
  get(@Param('tenantId') tenantId: string, @Param('projectId') projectId: string, @Param('scheduleId') scheduleId: string): Promise<ScheduleView> {
    return this.queries.execute(new GetScheduleQuery(tenantId.toLowerCase(), projectId.toLowerCase(), scheduleId.toLowerCase()));
  }
}
