import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { GetQueueQuery } from './get-queue.query.js';
import { GetQueueRequestDto } from './get-queue.request.dto.js';
import { QueueViewDto } from './get-queue.response.dto.js';

@ApiTags('Job Queue')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class GetQueueController {
  constructor(private readonly queries: QueryBus) {}

  @Get('queue')
  @ApiOperation({
    summary: 'View Queue',
    description: 'The project\'s queued jobs in claim order (each queuePosition is the job\'s place among every queued job), '
      + 'then those scheduled later, then held ones (no position); counts, measured waits and node capacity.',
  })
  @ApiResponse({ status: 200, type: QueueViewDto })
  @ApiErrorResponses(400, 401, 403, 404)
  view(@Param('tenantId') tenantId: string, @Param('projectId') projectId: string, @Query() query: GetQueueRequestDto) {
    return this.queries.execute(new GetQueueQuery(tenantId.toLowerCase(), projectId.toLowerCase(), query));
  }
}
