import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { rawLogLine, type JobLogsView } from './get-job-logs.handler.js';
import { GetJobLogsQuery } from './get-job-logs.query.js';
import { GetJobLogsRequestDto } from './get-job-logs.request.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class GetJobLogsController {
  constructor(private readonly queries: QueryBus) {}

  @Get('job/:jobId/logs')
  @ApiOperation({
    summary: 'Get Job Execution Logs',
    description: 'What the job did, line by line: loading, stages, data-quality warnings, errors, measured rates, and its node\'s claim and outcome. '
      + '`logsSummary` counts the whole log; `logs` are the lines passing the filters, oldest first. format=raw answers plain text, one line each.',
  })
  @ApiProduces('application/json', 'text/plain')
  @ApiResponse({ status: 200, description: 'The job\'s execution log' })
  @ApiErrorResponses(400, 401, 403, 404)
  async logs(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Query() query: GetJobLogsRequestDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view: JobLogsView = await this.queries.execute(new GetJobLogsQuery(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), query));
    if (query.format !== 'raw') {
      await reply.send(view);
      return;
    }
    await reply.header('Content-Type', 'text/plain; charset=utf-8').send(view.logs.map((line) => `${rawLogLine(line)}\n`).join(''));
  }
}
