import { Body, Controller, Headers, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { commandMetadata } from '../shared/request-context.js';
import { SubmitJobCommand } from './submit-job.command.js';
import { SubmitJobRequestDto } from './submit-job.request.dto.js';
import { SubmitJobResponseDto } from './submit-job.response.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class SubmitJobController {
  constructor(private readonly commands: CommandBus) {}

  @Post('job')
  @HttpCode(201)
  @ApiOperation({ summary: 'Submit New Job', description: 'Queues a job; it runs by priority and resource availability.' })
  @ApiHeader({ name: 'idempotency-key', required: false, description: 'Idempotency-Key: repeating a submit with the same key returns the same job' })
  @ApiResponse({ status: 201, type: SubmitJobResponseDto })
  @ApiErrorResponses(400, 401, 403, 404)
  submit(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Body() body: SubmitJobRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<SubmitJobResponseDto> {
    return this.commands.execute(new SubmitJobCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), body, principal, commandMetadata(request, principal),
      idempotencyKey && idempotencyKey.length <= 200 ? idempotencyKey : null,
    ));
  }
}
