import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { SubmitJobResponseDto } from '../submit-job/submit-job.response.dto.js';
import { commandMetadata } from '../shared/request-context.js';
import { RetryJobCommand } from './retry-job.command.js';
import { RetryJobRequestDto } from './retry-job.request.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class RetryJobController {
  constructor(private readonly commands: CommandBus) {}

  @Post('job/:jobId/retry')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Retry Failed Job',
    description: 'Queues a new job (retryOf, attempt + 1) from a Failed or Cancelled one; anything else is 409.',
  })
  @ApiResponse({ status: 200, type: SubmitJobResponseDto, description: 'The new job' })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  retry(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Body() body: RetryJobRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    return this.commands.execute(new RetryJobCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), body ?? {}, principal, commandMetadata(request, principal),
    ));
  }
}
