import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { QueuedJobCommandResponseDto } from '../shared/job-views.dto.js';
import { commandMetadata } from '../shared/request-context.js';
import { HoldJobCommand } from './hold-job.command.js';
import { HoldJobRequestDto } from './hold-job.request.dto.js';

@ApiTags('Job Queue')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class HoldJobController {
  constructor(private readonly commands: CommandBus) {}

  @Post('job/:jobId/hold')
  @HttpCode(200)
  @ApiOperation({ summary: 'Hold Job', description: 'Puts a Queued job on hold (JobHeld): it stays Queued, every claim skips it and it has no queue position until released. Not Queued: 409; holding a held job changes nothing.' })
  @ApiBody({ type: HoldJobRequestDto, required: false })
  @ApiResponse({ status: 200, type: QueuedJobCommandResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  hold(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Body() body: HoldJobRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    return this.commands.execute(new HoldJobCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), body ?? {}, principal, commandMetadata(request, principal),
    ));
  }
}
