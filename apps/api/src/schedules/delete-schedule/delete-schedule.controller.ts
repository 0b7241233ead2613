import { Controller, Delete, HttpCode, Param, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { commandMetadata } from '../../execution/shared/request-context.js';
import { DeleteScheduleCommand } from './delete-schedule.handler.js';

@ApiTags('Schedules')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution/schedules')
@UseGuards(TenantScopeGuard)
export class DeleteScheduleController {
  constructor(private readonly commands: CommandBus) {}

  @Delete(':scheduleId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a Schedule', description: 'Stops future firings; jobs already submitted are untouched.' })
  @ApiErrorResponses(400, 401, 403, 404)
  async remove(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('scheduleId') scheduleId: string,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<void> {
    await this.commands.execute(new DeleteScheduleCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), scheduleId.toLowerCase(), principal, commandMetadata(request, principal),
    ));
  }
}
