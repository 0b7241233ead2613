import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { publicBaseUrl } from '../../execution/shared/request-context.js';
import { GetOperationQuery } from './get-operation.query.js';
import { OperationStatusDto } from './get-operation.response.dto.js';

@ApiTags('Async operations')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/async')
@UseGuards(TenantScopeGuard)
export class GetOperationController {
  constructor(private readonly queries: QueryBus) {}

  @Get('operation/:operationId')
  @ApiOperation({ summary: 'Track an async operation', description: 'Its status (following retries to the current attempt), progress, attempts and result links.' })
  @ApiParam({ name: 'operationId', example: 'op-ee0e8400-e29b-41d4-a716-446655440000' })
  @ApiResponse({ status: 200, type: OperationStatusDto })
  @ApiErrorResponses(400, 401, 403, 404)
  get(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('operationId') operationId: string,
    @Req() request: FastifyRequest,
  ): Promise<OperationStatusDto> {
    return this.queries.execute(new GetOperationQuery(tenantId.toLowerCase(), projectId.toLowerCase(), operationId, publicBaseUrl(request)));
  }
}
