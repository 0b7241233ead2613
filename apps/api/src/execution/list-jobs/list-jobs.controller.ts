import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { JobListDto } from '../shared/job-views.dto.js';
import { ListJobsQuery } from './list-jobs.query.js';
import { ListJobsRequestDto } from './list-jobs.request.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class ListJobsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('jobs')
  @ApiOperation({ summary: 'List All Jobs', description: 'Newest first; `summary` counts the whole filtered set.' })
  @ApiResponse({ status: 200, type: JobListDto })
  @ApiErrorResponses(400, 401, 403, 404)
  list(@Param('tenantId') tenantId: string, @Param('projectId') projectId: string, @Query() query: ListJobsRequestDto) {
    return this.queries.execute(new ListJobsQuery(tenantId.toLowerCase(), projectId.toLowerCase(), query));
  }
}
