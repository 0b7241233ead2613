import { Body, Controller, HttpCode, Param, Patch, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { QueuedJobCommandResponseDto } from '../shared/job-views.dto.js';
import { commandMetadata } from '../shared/request-context.js';
import { ChangeJobPriorityCommand } from './change-job-priority.command.js';
import { ChangeJobPriorityRequestDto } from './change-job-priority.request.dto.js';

@ApiTags('Job Queue')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class ChangeJobPriorityController {
  constructor(private readonly commands: CommandBus) {}

  @Patch('job/:jobId')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change Job Priority',
    description: 'Gives a Queued job another priority (JobPriorityChanged); its aging still counts from when it was queued. '
      + 'Not Queued: 409. The same priority as now changes nothing.',
  })
  @ApiResponse({ status: 200, type: QueuedJobCommandResponseDto })
  @ApiErrorResponses(400, 401, 403, 404, 409)
  change(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Body() body: ChangeJobPriorityRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    return this.commands.execute(new ChangeJobPriorityCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), body, principal, commandMetadata(request, principal),
    ));
  }
}
