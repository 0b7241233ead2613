import { Body, Controller, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { CurrentPrincipal, TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Principal } from '../../../../../libs/auth/src/token.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { commandMetadata } from '../../execution/shared/request-context.js';
import { CreateScheduleRequestDto } from '../shared/schedule.request.dto.js';
import type { ScheduleView } from '../shared/schedule-view.js';
import { CreateScheduleCommand } from './create-schedule.handler.js';

@ApiTags('Schedules')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution/schedules')
@UseGuards(TenantScopeGuard)
export class CreateScheduleController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create Recurring Schedule', description: 'Submits jobTemplate at each fire time of a cron expression or an interval.' })
  @ApiErrorResponses(400, 401, 403, 404)
  create(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Body() body: CreateScheduleRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
  ): Promise<ScheduleView> {
    return this.commands.execute(new CreateScheduleCommand(tenantId.toLowerCase(), projectId.toLowerCase(), body, principal, commandMetadata(request, principal)));
  }
}
