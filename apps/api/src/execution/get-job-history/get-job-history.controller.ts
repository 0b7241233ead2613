import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { JobHistoryDto } from '../shared/job-views.dto.js';
import { GetJobHistoryQuery } from './get-job-history.query.js';
import { GetJobHistoryRequestDto } from './get-job-history.request.dto.js';
import { pointInTimeOf } from '../shared/point-in-time.request.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class GetJobHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get('job/:jobId/history')
  @ApiOperation({ summary: 'Job history', description: 'Every event of the job\'s stream, oldest first; with asOfRevision or asOf also the job as it was then.' })
  @ApiResponse({ status: 200, type: JobHistoryDto })
  @ApiErrorResponses(400, 401, 403, 404)
  history(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Query() query: GetJobHistoryRequestDto,
  ) {
    return this.queries.execute(new GetJobHistoryQuery(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), pointInTimeOf(query)));
  }
}
