import { Body, Controller, Param, Patch, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { commandMetadata } from '../../execution/shared/request-context.js';
import { ChangeScheduleRequestDto } from '../shared/schedule.request.dto.js';
import type { ScheduleView } from '../shared/schedule-view.js';
import { ChangeScheduleCommand } from './change-schedule.handler.js';

@ApiTags('Schedules')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution/schedules')
@UseGuards(TenantScopeGuard)
export class ChangeScheduleController {
  constructor(private readonly commands: CommandBus) {}

  @Patch(':scheduleId')
  @ApiOperation({ summary: 'Change, Pause or Resume a Schedule', description: 'Any field of the schedule, validated as on create; paused: true|false.' })
  @ApiErrorResponses(400, 401, 403, 404)
  change(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('scheduleId') scheduleId: string,
    @Body() body: ChangeScheduleRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<ScheduleView> {
    return this.commands.execute(new ChangeScheduleCommand(
      tenantId.toLowerCase(), projectId.toLowerCase(), scheduleId.toLowerCase(), body, principal, commandMetadata(request, principal),
    ));
  }
}
