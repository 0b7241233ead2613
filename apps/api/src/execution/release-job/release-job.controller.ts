import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { QueuedJobCommandResponseDto } from '../shared/job-views.dto.js';
import { commandMetadata } from '../shared/request-context.js';
import { ReleaseJobCommand } from './release-job.command.js';
import { ReleaseJobRequestDto } from './release-job.request.dto.js';

@ApiTags('Job Queue')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class ReleaseJobController {
  constructor(private readonly commands: CommandBus) {}

  @Post('job/:jobId/release')
  @HttpCode(200)
  @ApiOperation({ summary: 'Release Job', description: 'Releases a held job (JobReleased) back to its old place in the queue: its queuedAt is kept. Not Queued: 409; releasing a job that is not held changes nothing.' })
  @ApiBody({ type: ReleaseJobRequestDto, required: false })
  @ApiResponse({ status: 200, type: QueuedJobCommandResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  release(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Body() body: ReleaseJobRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    return this.commands.execute(new ReleaseJobCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), body ?? {}, principal, commandMetadata(request, principal),
    ));
  }
}
