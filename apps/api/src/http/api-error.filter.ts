/**
 * One error shape for every failure: { statusCode, error, message, errors? } where
 * errors lists each bad field. Domain errors map to their codes here, in one place;
 * anything unexpected is a 500 and is logged (a 5xx is a bug).
 */
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Duplex } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { WrongExpectedRevisionError } from '../../../../libs/event-store/src/event-store.port.js';
import { isDatabaseUnavailable } from '../../../../libs/event-store/src/postgres/sql-client.js';
import { JobNotFoundError, JobRuleViolation } from '../../../../libs/job-domain/src/index.js';
import { ScheduleNotFoundError } from '../../../../libs/schedules/src/schedule.decide.js';
import { TenantQuotaExceededError } from '../execution/shared/tenant-queue-quota.js';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** The platform's JSON body parser failed (a SyntaxError, or Fastify's wrapped form of it). */
function isJsonParseFailure(cause: unknown): boolean {
  return cause instanceof SyntaxError || (cause as { code?: string } | undefined)?.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
    || (cause as { code?: string } | undefined)?.code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
}

/** One 400 lists this many field errors; the rest are counted in `omittedErrors`. */
export const MAX_LISTED_ERRORS = 20;

const REASONS: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 408: 'Request Timeout', 409: 'Conflict',
  406: 'Not Acceptable', 413: 'Payload Too Large', 429: 'Too Many Requests', 414: 'URI Too Long', 415: 'Unsupported Media Type', 422: 'Unprocessable Entity', 500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Seconds a client is asked to wait before retrying a 503 (a database restart takes a few). */
const RETRY_AFTER_SECONDS = '2';

/**
 * Fastify's own refusals before any route runs (a path that is not UTF-8 when decoded, a
 * path segment over the parameter length limit), in the same error shape.
 */
export function sendFrameworkError(error: Error & { statusCode?: number; code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  const message = error.code === 'FST_ERR_BAD_URL' ? 'The request path is not valid percent-encoded UTF-8'
    : error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path segment is too long' : error.message;
  void reply.status(status).header('Connection', 'close').send({
    statusCode: status, error: REASONS[status] ?? 'Error', message, errors: [{ field: 'path', message }],
  });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a NUL or newline in a
 * header, a malformed request line, headers over the size limit, a request that took too
 * long), answered in the same error shape instead of Fastify's bare one.
 */
export function sendClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return; // the client is gone: nothing to answer
  const [status, field, message] = error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
    ? [408, 'body', 'The request did not arrive in time']
    : error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers', 'The request headers are larger than the server accepts']
      : error.code === 'HPE_INVALID_HEADER_TOKEN' || error.code === 'HPE_INVALID_HEADER_VALUE' || error.code === 'HPE_LF_EXPECTED'
        ? [400, 'headers', 'A request header holds a character HTTP does not allow']
        : [400, 'request', 'The request is not valid HTTP/1.1'];
  const reason = status === 408 ? 'Request Timeout' : status === 431 ? 'Request Header Fields Too Large' : 'Bad Request';
  const body = JSON.stringify({ statusCode: status, error: reason, message, errors: [{ field, message }] });
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

@Catch()
export class ApiErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return;
    if (exception instanceof TenantQuotaExceededError) {
      // The quota, its limit and the tenant's count, so a client can tell what to wait for.
      void reply.status(429).header('Retry-After', String(exception.retryAfterSeconds)).send({
        statusCode: 429, error: REASONS[429], message: exception.message,
        errors: [{ field: 'tenantId', message: `queued jobs at the quota maxQueuedJobs (${exception.limit})` }],
        quota: exception.quota, limit: exception.limit, current: exception.current,
        retryAfterSeconds: exception.retryAfterSeconds, retryAfterBasis: exception.retryAfterBasis,
      });
      return;
    }
    const { status, message, errors } = this.describe(exception);
    // Through the request's logger, so the line carries the request id.
    if (status === HttpStatus.INTERNAL_SERVER_ERROR) reply.request.log.error({ err: exception }, 'unexpected error');
    const body: Record<string, unknown> = { statusCode: status, error: REASONS[status] ?? 'Error', message };
    if (errors?.length) {
      body.errors = errors.slice(0, MAX_LISTED_ERRORS);
      if (errors.length > MAX_LISTED_ERRORS) body.omittedErrors = errors.length - MAX_LISTED_ERRORS;
    }
    if (status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('Retry-After', RETRY_AFTER_SECONDS);
    // A body we stopped reading (too large, too slow, refused) would otherwise keep the connection busy.
    if (!reply.request.raw.complete) void reply.header('Connection', 'close');
    void reply.status(status).send(body);
  }

  private describe(exception: unknown): { status: number; message: string; errors?: FieldError[] } {
    if (exception instanceof JobNotFoundError) return { status: HttpStatus.NOT_FOUND, message: 'Job not found' };
    if (exception instanceof ScheduleNotFoundError) return { status: HttpStatus.NOT_FOUND, message: 'Schedule not found' };
    if (exception instanceof JobRuleViolation) return { status: HttpStatus.CONFLICT, message: exception.message };
    if (exception instanceof WrongExpectedRevisionError) {
      return { status: HttpStatus.CONFLICT, message: 'The job changed concurrently; try again' };
    }
    if (isDatabaseUnavailable(exception)) {
      // Down or restarting; the pool reconnects on its own. A write's outcome is then unknown to
      // the caller: a retry with the same Idempotency-Key is safe.
      return { status: HttpStatus.SERVICE_UNAVAILABLE, message: 'The database is unavailable; try again shortly' };
    }
    if (exception instanceof HttpException && isJsonParseFailure(exception.cause)) {
      const message = `Request body is not valid JSON: ${(exception.cause as Error).message}`;
      return { status: HttpStatus.BAD_REQUEST, message, errors: [{ field: 'body', message }] };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'string') return { status, message: payload };
      const p = payload as { message?: unknown; errors?: FieldError[] };
      const message = Array.isArray(p.message) ? p.message.join('; ') : String(p.message ?? exception.message);
      return { status, message, errors: p.errors };
    }
    // The platform's own refusals (FST_ERR_CTP_INVALID_MEDIA_TYPE, a body over the limit, …) carry their 4xx.
    const platformStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (exception instanceof Error && typeof platformStatus === 'number' && platformStatus >= 400 && platformStatus < 500) {
      return { status: platformStatus, message: exception.message };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: 'Internal server error' };
  }
}
