/**
 * The job system minable by itself: the project's job lifecycle as an OCEL 2.0 JSON log or
 * an XES log, streamed as it is read (a project may have millions of events).
 */
import { Readable } from 'node:stream';
import { Controller, Get, Inject, Param, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { parseApiDate } from '../../http/api-dates.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { binaryContent } from '../../http/binary-content.js';
import { attachment } from '../../http/attachment.js';
import { STORES } from '../shared/execution.tokens.js';
import { ExportEventsRequestDto } from './export-events.request.dto.js';
import { ocelLog } from './ocel-log.js';
import { projectJobEvents, projectJobStreams, type ExportRange } from './project-job-events.js';
import { xesLog } from './xes-log.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution/events')
@UseGuards(TenantScopeGuard)
export class ExportEventsController {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  @Get('export')
  @ApiOperation({
    summary: 'Export the job lifecycle as an event log',
    description: 'The project\'s job events as OCEL 2.0 JSON (objects: job, node, dataset, retry chain) or as XES (one trace per job), optionally within from/to.',
  })
  @ApiResponse({ status: 200, description: 'The log, streamed', content: binaryContent('application/json', 'application/xml') })
  @ApiErrorResponses(400, 401, 403, 404)
  async export(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Query() query: ExportEventsRequestDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = { tenantId: tenantId.toLowerCase(), projectId: projectId.toLowerCase() };
    const startedAt = new Date();
    const range: ExportRange = {
      from: query.from !== undefined ? parseApiDate(query.from) : null,
      to: query.to !== undefined ? parseApiDate(query.to, 'end of day') : null,
    };
    const chunks = query.format === 'ocel'
      ? ocelLog(projectJobEvents(this.stores.events, scope), range)
      : xesLog(projectJobStreams(this.stores.jobs, this.stores.events, scope, range.to && range.to < startedAt ? range.to : startedAt), range);
    const name = `jobs-${scope.projectId}.${query.format === 'ocel' ? 'jsonocel' : 'xes'}`;
    await reply
      .header('Content-Type', query.format === 'ocel' ? 'application/json; charset=utf-8' : 'application/xml; charset=utf-8')
      .header('Content-Disposition', attachment(name))
      .send(Readable.from(chunks));
  }
}
