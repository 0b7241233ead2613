import { Body, Controller, Delete, HttpCode, Param, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { CancelJobResponseDto } from '../shared/job-views.dto.js';
import { commandMetadata } from '../shared/request-context.js';
import { CancelJobCommand } from './cancel-job.command.js';
import { CancelJobRequestDto } from './cancel-job.request.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class CancelJobController {
  constructor(private readonly commands: CommandBus) {}

  @Delete('job/:jobId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Cancel Job',
    description: 'Cancels a queued job at once; asks a running job\'s node to stop it (gracefully unless forceTermination). Completed, failed or cancelled jobs: 409.',
  })
  @ApiBody({ type: CancelJobRequestDto, required: false })
  @ApiResponse({ status: 200, type: CancelJobResponseDto, description: 'Job cancelled (or, for a running job slow to stop, cancellation pending)' })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  cancel(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Body() body: CancelJobRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    return this.commands.execute(new CancelJobCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), body ?? {}, principal, commandMetadata(request, principal),
    ));
  }
}
