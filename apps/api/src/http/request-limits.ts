/**
 * Limits every request meets before a controller sees it, so that no single request can
 * crash, freeze or hold the process: bodies other than JSON only where a route takes
 * them (415 elsewhere), a body that stops sending is cut off (408), and a JSON body,
 * query or id header is inspected without recursion for depth, size and text the store
 * cannot keep (400 naming the field) before class-transformer walks it.
 */
import { Transform, type Readable } from 'node:stream';
import {
  BadRequestException, Injectable, RequestTimeoutException, UnsupportedMediaTypeException,
  type CallHandler, type ExecutionContext, type NestInterceptor,
} from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import type { RequestLimits } from '../../../../libs/config/src/service-config.js';
import { inspectJsonValue, unstorableTextReason, type JsonProblem } from '../../../../libs/storage/src/storable-text.js';

/** Route config (`@RouteConfig(EVENT_LOG_BODY)`) of the routes that take an event-log body. */
export const EVENT_LOG_BODY = { eventLogBody: true } as const;

/** Headers whose values are stored with the events. */
const STORED_HEADERS = ['idempotency-key', 'x-correlation-id'] as const;

function mediaType(request: FastifyRequest): string | null {
  const header = request.headers['content-type'];
  return typeof header === 'string' ? header.split(';')[0].trim().toLowerCase() : null;
}

function takesEventLog(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { eventLogBody?: boolean } | undefined)?.eventLogBody === true;
}

/** Passes the body through, failing it with a 408 when the client sends nothing for `idleMs`. */
function idleTimeoutStream(idleMs: number): Transform & { receivedEncodedLength: number } {
  let timer: NodeJS.Timeout | undefined;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      stream.receivedEncodedLength += chunk.length;
      timer?.refresh();
      callback(null, chunk);
    },
  }) as Transform & { receivedEncodedLength: number };
  stream.receivedEncodedLength = 0;
  timer = setTimeout(() => stream.destroy(bodyIdleTimeout(idleMs)), idleMs);
  timer.unref();
  const stop = () => clearTimeout(timer);
  stream.once('end', stop).once('close', stop).once('error', stop);
  return stream;
}

/**
 * Calls `onIdle` when a stream already flowing (piped elsewhere) delivers nothing for
 * `idleMs`; for multipart bodies, which the multipart reader takes from the raw request.
 */
export function watchBodyIdle(source: Readable, idleMs: number, onIdle: () => void): () => void {
  if (idleMs <= 0) return () => {};
  const timer = setTimeout(onIdle, idleMs).unref();
  const refresh = () => timer.refresh();
  const stop = () => {
    clearTimeout(timer);
    source.off('data', refresh);
  };
  source.on('data', refresh).once('end', stop).once('close', stop);
  return stop;
}

export function bodyIdleTimeout(idleMs: number): RequestTimeoutException {
  return new RequestTimeoutException(`The request body sent nothing for ${idleMs / 1000} s; the request is closed`);
}

/** Fastify hooks: 415 for bodies a route does not take; the body idle timeout. */
export function registerBodyLimits(fastify: FastifyInstance, limits: RequestLimits): void {
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    // Bodies of GET and HEAD are never read, whatever their Content-Type says.
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return payload;
    const type = mediaType(request);
    if (type !== null && type !== 'application/json' && !takesEventLog(request) && !request.is404) {
      throw new UnsupportedMediaTypeException(`Content-Type "${type}" is not accepted here; send application/json`);
    }
    // The multipart reader reads the raw request itself; its route watches the body (watchBodyIdle).
    if (limits.bodyIdleTimeoutMs <= 0 || type === 'multipart/form-data') return payload;
    return payload.pipe(idleTimeoutStream(limits.bodyIdleTimeoutMs));
  });
}

function rejectIfAny(problems: JsonProblem[], message: string): void {
  if (problems.length > 0) throw new BadRequestException({ message, errors: problems });
}

/** Global interceptor: runs after authentication, before the validation pipe. */
@Injectable()
export class RequestShapeInterceptor implements NestInterceptor {
  constructor(private readonly limits: RequestLimits) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const shape = { maxDepth: this.limits.maxJsonDepth, maxKeys: this.limits.maxJsonKeys };
    rejectIfAny(inspectJsonValue(request.query, '', { maxDepth: 2, maxKeys: 1000, wholeName: 'query' }), 'Invalid query string');
    rejectIfAny(inspectJsonValue(request.params, '', { wholeName: 'path' }), 'Invalid path parameters');
    const headerProblems: JsonProblem[] = [];
    for (const name of STORED_HEADERS) {
      const value = request.headers[name];
      const reason = typeof value === 'string' ? unstorableTextReason(value) : null;
      if (reason) headerProblems.push({ field: name, message: reason });
    }
    rejectIfAny(headerProblems, 'Invalid request headers');
    const body: unknown = request.body;
    if (body !== undefined && typeof (body as { pipe?: unknown } | null)?.pipe !== 'function') {
      rejectIfAny(inspectJsonValue(body, '', shape), 'Invalid request body');
    }
    return next.handle();
  }
}
