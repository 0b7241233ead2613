import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { SystemStatusDto } from '../shared/job-views.dto.js';
import { GetSystemStatusQuery } from './get-system-status.query.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/execution')
@UseGuards(TenantScopeGuard)
export class GetSystemStatusController {
  constructor(private readonly queries: QueryBus) {}

  @Get('system/status')
  @ApiOperation({ summary: 'Get System Execution Status', description: 'Nodes, the tenant\'s queue, performance and resource figures, all measured.' })
  @ApiResponse({ status: 200, type: SystemStatusDto })
  @ApiErrorResponses(400, 401, 403, 404)
  status(@Param('tenantId') tenantId: string) {
    return this.queries.execute(new GetSystemStatusQuery(tenantId.toLowerCase()));
  }
}
