import { Body, Controller, HttpCode, Param, Patch, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { ProjectQueueStatusDto } from '../get-queue/get-queue.response.dto.js';
import { commandMetadata } from '../shared/request-context.js';
import { ChangeQueueStatusCommand } from './change-queue-status.command.js';
import { ChangeQueueStatusRequestDto } from './change-queue-status.request.dto.js';

@ApiTags('Job Queue')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class ChangeQueueStatusController {
  constructor(private readonly commands: CommandBus) {}

  @Patch('queue')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pause or Resume the Queue',
    description: 'Paused: claims skip every job of the project (submits still queue; running jobs keep running). '
      + 'Active: its jobs are claimed again, in their old places. Setting the status it has changes nothing.',
  })
  @ApiResponse({ status: 200, type: ProjectQueueStatusDto })
  @ApiErrorResponses(400, 401, 403, 404)
  change(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Body() body: ChangeQueueStatusRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ) {
    return this.commands.execute(new ChangeQueueStatusCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), body, principal, commandMetadata(request, principal),
    ));
  }
}
