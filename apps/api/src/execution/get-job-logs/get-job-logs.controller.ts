import { Controller, Get, Inject, NotFoundException, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import { TERMINAL_STATUSES } from '../../../../../libs/job-domain/src/index.js';
import { LEVEL_RANK, type JobLogLevel, type StoredJobLogLine } from '../../../../../libs/job-logs/src/job-log.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { ServerSentEventStream } from '../../http/server-sent-events.js';
import { SSE_CONTENT_TYPE } from '../follow-events/follow-events.controller.js';
import { STORES } from '../shared/execution.tokens.js';
import { rawLogLine, type JobLogsView } from './get-job-logs.handler.js';
import { GetJobLogsQuery } from './get-job-logs.query.js';
import { GetJobLogsRequestDto } from './get-job-logs.request.dto.js';

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class GetJobLogsController {
  constructor(
    private readonly queries: QueryBus,
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  @Get('job/:jobId/logs')
  @ApiOperation({
    summary: 'Get Job Execution Logs',
    description: 'What the job did, line by line: loading, stages, data-quality warnings, errors, measured rates, and its node\'s claim and outcome. '
      + '`logsSummary` counts the whole log; `logs` are the lines passing the filters, oldest first. format=raw answers plain text, one line each. '
      + 'With Accept: text/event-stream the lines of `level` and above follow live, one SSE message each (id: the line id; resume with Last-Event-ID), until the job has ended and its last line was sent.',
  })
  @ApiProduces('application/json', 'text/plain', SSE_CONTENT_TYPE)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'SSE: resume after this line id' })
  @ApiResponse({ status: 200, description: 'The job\'s execution log' })
  @ApiErrorResponses(400, 401, 403, 404)
  async logs(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Query() query: GetJobLogsRequestDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    if (String(request.headers.accept ?? '').toLowerCase().includes(SSE_CONTENT_TYPE)) {
      const lastEventId = request.headers['last-event-id'];
      return this.follow(reply, [tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase()], query.level ?? 'INFO',
        typeof lastEventId === 'string' && /^\d{1,19}$/.test(lastEventId) ? lastEventId : null);
    }
    const view: JobLogsView = await this.queries.execute(new GetJobLogsQuery(tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase(), query));
    if (query.format !== 'raw') {
      await reply.send(view);
      return;
    }
    await reply.header('Content-Type', 'text/plain; charset=utf-8').send(view.logs.map((line) => `${rawLogLine(line)}\n`).join(''));
  }

  /**
   * Follows a job's log live: the lines stored after `after`, read every FOLLOW_POLL_MS (lines
   * come in batches a node flushes every few hundred milliseconds, with no notification of
   * their own), until the job has ended and a read after that finds nothing new.
   */
  private async follow(reply: FastifyReply, scope: readonly [string, string, string], level: JobLogLevel, after: string | null): Promise<void> {
    if (!(await this.stores.jobs.getJob(...scope))) throw new NotFoundException('Job not found');
    reply.hijack();
    const sse = new ServerSentEventStream(reply.raw, { heartbeatMs: this.config.eventFeedHeartbeatSeconds * 1000 });
    const minRank = LEVEL_RANK[level];
    let cursor = after;
    let wake: (() => void) | null = null;
    sse.onClose(() => wake?.());
    try {
      while (!sse.closed) {
        const ended = TERMINAL_STATUSES.includes((await this.stores.jobs.getJob(...scope))?.status ?? 'Queued');
        let lines: StoredJobLogLine[];
        do {
          lines = await this.stores.jobLogs.readAfter(scope[2], cursor, FOLLOW_PAGE_LINES);
          for (const line of lines) {
            cursor = line.lineId;
            if (LEVEL_RANK[line.level] < minRank) continue;
            const { lineId, ...entry } = line;
            if (!sse.send({ id: lineId, data: JSON.stringify(entry) })) return sse.end();
          }
          await sse.writable();
        } while (lines.length === FOLLOW_PAGE_LINES && !sse.closed);
        // Ended before this read began: everything it stored is sent.
        if (ended) return sse.end();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => wake?.(), FOLLOW_POLL_MS);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
      }
    } catch {
      sse.end(); // headers are sent: the client resumes with Last-Event-ID
    }
  }
}

/** How often a live follow looks for new lines. */
const FOLLOW_POLL_MS = 250;
const FOLLOW_PAGE_LINES = 500;
