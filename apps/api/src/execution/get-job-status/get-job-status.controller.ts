import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { JobStatusDto } from '../shared/job-views.dto.js';
import type { JobStatusView } from '../shared/job-views.js';
import { pointInTimeOf } from '../shared/point-in-time.request.dto.js';
import { GetJobStatusQuery } from './get-job-status.query.js';
import { GetJobStatusRequestDto } from './get-job-status.request.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class GetJobStatusController {
  constructor(private readonly queries: QueryBus) {}

  @Get('job/:jobId')
  @ApiOperation({ summary: 'Get Job Status', description: 'Status, progress, measured usage and metrics of one job; with asOf (a time) or asOfRevision, the job as it stood then.' })
  @ApiResponse({ status: 200, type: JobStatusDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Query() query: GetJobStatusRequestDto,
  ): Promise<JobStatusView> {
    return this.queries.execute(new GetJobStatusQuery(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), pointInTimeOf(query)));
  }
}
