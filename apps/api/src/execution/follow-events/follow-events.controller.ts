/**
 * The event feed: a project's events (or one job's) in global order, as Server-Sent Events
 * (catch-up, then live) or as bounded NDJSON pages for batch consumers. Each event's id is
 * its global position in the text form the API shows elsewhere (`commit/prepare`); the next
 * request resumes after it (`Last-Event-ID`, or `from`).
 */
import { BadRequestException, Controller, Get, Inject, NotAcceptableException, NotFoundException, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantScopeGuard } from '../../../../../libs/auth/src/tenant-scope.guard.js';
import { SERVICE_CONFIG, type ServiceConfig } from '../../../../../libs/config/src/service-config.js';
import {
  START_POSITION, formatPosition, parsePosition, type GlobalPosition, type RecordedEvent,
} from '../../../../../libs/event-store/src/event-store.port.js';
import { EventFeedHub, FeedReads, feedEventFields, type FeedFilter, type FollowRequest } from '../../../../../libs/event-feed/src/index.js';
import { TERMINAL_STATUSES } from '../../../../../libs/job-domain/src/index.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { ApiErrorResponses } from '../../http/api-error.dto.js';
import { ServerSentEventStream } from '../../http/server-sent-events.js';
import { STORES } from '../shared/execution.tokens.js';
import {
  DEFAULT_EXPORT_LIMIT, FollowJobEventsRequestDto, FollowProjectEventsRequestDto, POSITION_PATTERN,
} from './follow-events.request.dto.js';

export const SSE_CONTENT_TYPE = 'text/event-stream';
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';
/** The position to pass as `from` for the next page. */
export const NEXT_POSITION_HEADER = 'X-Next-Position';
/** `true` when the page holds the last event stored so far. */
export const END_REACHED_HEADER = 'X-End-Reached';

/** Events after which a job appends nothing more of its own run. */
const JOB_ENDING_EVENT_TYPES: ReadonlySet<string> = new Set(['JobCompleted', 'JobFailed', 'JobCancelled']);
/** Below every stored position: what `from` (or an empty first page's next position) means by "the beginning". */
const BEGINNING = '0/0';
const POSITION_MAX = (1n << 63n) - 1n;

/** One live event as the feed shows it, serialised once for all its followers. */
const serialised = new WeakMap<RecordedEvent, string>();
function feedEventJson(event: RecordedEvent): string {
  let json = serialised.get(event);
  if (json === undefined) {
    json = JSON.stringify(feedEventFields(event));
    serialised.set(event, json);
  }
  return json;
}

@ApiTags('Execution')
@ApiBearerAuth()
@Controller('api/:tenantId/:projectId/execution')
@UseGuards(TenantScopeGuard)
export class FollowEventsController {
  constructor(
    @Inject(STORES) private readonly stores: Stores,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly feed: EventFeedHub,
    private readonly reads: FeedReads,
  ) {}

  @Get('events')
  @ApiOperation({ summary: 'The project\'s event feed', description: 'SSE (Accept: text/event-stream): catch-up from `from` or Last-Event-ID, then live, with heartbeats. NDJSON (Accept: application/x-ndjson): one page, the next position in X-Next-Position.' })
  @ApiProduces(SSE_CONTENT_TYPE, NDJSON_CONTENT_TYPE)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'SSE: resume after this event id (a position)' })
  @ApiResponse({ status: 200, description: 'The events, one per SSE message or NDJSON line' })
  @ApiErrorResponses(400, 401, 403, 404, 406)
  async projectEvents(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Query() query: FollowProjectEventsRequestDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const filter: FeedFilter = {
      tenantId: tenantId.toLowerCase(), projectId: projectId.toLowerCase(), jobId: query.jobId?.toLowerCase() ?? null,
      jobType: query.jobType ?? null, eventTypes: eventTypesOf(query),
    };
    await this.serve(request, reply, query, { filter, after: START_POSITION });
  }

  @Get('job/:jobId/events')
  @ApiOperation({ summary: 'One job\'s event feed', description: 'As the project\'s feed, for one job; the SSE stream ends after the job\'s Completed, Failed or Cancelled event.' })
  @ApiProduces(SSE_CONTENT_TYPE, NDJSON_CONTENT_TYPE)
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'SSE: resume after this event id (a position)' })
  @ApiResponse({ status: 200, description: 'The events, one per SSE message or NDJSON line' })
  @ApiErrorResponses(400, 401, 403, 404, 406)
  async jobEvents(
    @Param('tenantId') tenantId: string,
    @Param('projectId') projectId: string,
    @Param('jobId') jobId: string,
    @Query() query: FollowJobEventsRequestDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = [tenantId.toLowerCase(), projectId.toLowerCase(), jobId.toLowerCase()] as const;
    // Scope check on the view: another tenant's job is a 404 like any unknown one.
    if (!(await this.stores.jobs.getJob(...scope))) throw new NotFoundException('Job not found');
    const filter: FeedFilter = { tenantId: scope[0], projectId: scope[1], jobId: scope[2], jobType: null, eventTypes: eventTypesOf(query) };
    await this.serve(request, reply, query, {
      filter, after: START_POSITION,
      isLast: (event) => JOB_ENDING_EVENT_TYPES.has(event.type),
      hasEnded: async () => TERMINAL_STATUSES.includes((await this.stores.jobs.getJob(...scope))?.status ?? 'Queued'),
    });
  }

  private async serve(request: FastifyRequest, reply: FastifyReply, query: FollowJobEventsRequestDto, follow: FollowRequest): Promise<void> {
    const accept = String(request.headers.accept ?? '*/*').toLowerCase();
    if (accept.includes(SSE_CONTENT_TYPE)) {
      const lastEventId = request.headers['last-event-id'];
      const resumeFrom = typeof lastEventId === 'string' && lastEventId !== '' ? positionParameter('Last-Event-ID', lastEventId) : null;
      const after = resumeFrom ?? (query.from !== undefined ? positionParameter('from', query.from) : START_POSITION);
      return this.stream(reply, { ...follow, after });
    }
    if (accept.includes(NDJSON_CONTENT_TYPE) || accept.includes('*/*') || accept.includes('application/*')) {
      const after = query.from !== undefined ? positionParameter('from', query.from) : START_POSITION;
      return this.exportPage(reply, follow.filter, after, query.limit ?? DEFAULT_EXPORT_LIMIT);
    }
    throw new NotAcceptableException({
      message: 'No event feed in the accepted media types',
      errors: [{ field: 'Accept', message: `must be ${SSE_CONTENT_TYPE} or ${NDJSON_CONTENT_TYPE}` }],
    });
  }

  private async stream(reply: FastifyReply, follow: FollowRequest): Promise<void> {
    reply.hijack();
    const sse = new ServerSentEventStream(reply.raw, { heartbeatMs: this.config.eventFeedHeartbeatSeconds * 1000 });
    const sink = {
      send: (event: RecordedEvent) => sse.send({ id: formatPosition(event.position), data: feedEventJson(event) }),
      writable: () => sse.writable(),
      get closed() { return sse.closed; },
      end: () => sse.end(),
      onClose: (listener: () => void) => sse.onClose(listener),
    };
    // Headers are sent: a failure (the database away) can only end the stream; the client resumes.
    await this.feed.follow(sink, follow).catch(() => sse.end());
  }

  private async exportPage(reply: FastifyReply, filter: FeedFilter, after: GlobalPosition, limit: number): Promise<void> {
    const page = await this.reads.readExportPage(filter, after, limit);
    const next = page.last !== null ? formatPosition(page.last) : after.commit < 0n ? BEGINNING : formatPosition(after);
    await reply
      .header('Content-Type', `${NDJSON_CONTENT_TYPE}; charset=utf-8`)
      .header(NEXT_POSITION_HEADER, next)
      .header(END_REACHED_HEADER, String(page.endReached))
      .send(page.ndjson);
  }
}

function eventTypesOf(query: FollowJobEventsRequestDto): string[] | null {
  return query.eventType ? [...new Set(query.eventType.split(','))] : null;
}

function positionParameter(field: string, text: string): GlobalPosition {
  const position = POSITION_PATTERN.test(text) ? parsePosition(text) : null;
  if (!position || position.commit > POSITION_MAX || position.prepare > POSITION_MAX) {
    throw new BadRequestException({
      message: 'Validation failed',
      errors: [{ field, message: `${field} must be a position as the API shows it: <commit>/<prepare>, e.g. 7431/12` }],
    });
  }
  return position;
}
