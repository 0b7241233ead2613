import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { commandMetadata } from '../../execution/shared/request-context.js';
import { StartOperationCommand } from './start-operation.command.js';
import { StartOperationRequestDto } from './start-operation.request.dto.js';
import { StartOperationResponseDto } from './start-operation.response.dto.js';

@ApiTags('Async operations')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/async')
@UseGuards(TenantScopeGuard)
export class StartOperationController {
  constructor(private readonly commands: CommandBus) {}

  @Post('operation')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start an async operation',
    description: 'Runs a long-running operation as a job, with signed callbacks and an own retry policy; track it at trackingUrl (also the Location header).',
  })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Repeating a start with the same key returns the same operation' })
  @ApiResponse({ status: 202, type: StartOperationResponseDto })
  @ApiErrorResponses(400, 401, 403, 404)
  async start(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Body() body: StartOperationRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<StartOperationResponseDto> {
    const started = await this.commands.execute<StartOperationCommand, StartOperationResponseDto>(new StartOperationCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), body, principal, commandMetadata(request, principal),
      idempotencyKey && idempotencyKey.length <= 200 ? idempotencyKey : null,
    ));
    void reply.header('Location', started.trackingUrl);
    return started;
  }
}
