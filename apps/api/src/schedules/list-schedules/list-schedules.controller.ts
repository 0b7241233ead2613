import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import type { ScheduleView } from '../shared/schedule-view.js';
import { ListSchedulesQuery } from './list-schedules.handler.js';

@ApiTags('Schedules')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution/schedules')
@UseGuards(TenantScopeGuard)
export class ListSchedulesController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List Schedules', description: 'The project\'s schedules with their next fire times and recent firings.' })
  @ApiErrorResponses(400, 401, 403, 404)
  list(@Param('tenantId') tenantId: string, @Param('projectId') projectId: string): Promise<{ schedules: ScheduleView[] }> {
    return this.queries.execute(new ListSchedulesQuery(tenantId.toLowerCase(), projectId.toLowerCase()));
  }
}
