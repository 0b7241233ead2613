/**
 * Per request: the request id (X-Request-Id, echoed; generated when absent; a malformed
 * one is a 400; Fastify's request logger carries it), the HTTP duration metric by route pattern and a
 * completion log line. Successful GETs log at debug only: polling the status is the
 * service's most frequent request, and a line for each would cost more than the read.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  REQUEST_ID_HEADER, SpanKind, contextFromTraceparent, endSpan, isTracing, requestIdOf, startSpan, withSpan,
  type Logger, type ServiceMetrics, type Span,
} from '../../../../libs/telemetry/src/index.js';

/** The server span of each request while tracing is on. */
const requestSpans = new WeakMap<FastifyRequest, Span>();

/** Fastify's `genReqId`: the client's well-formed id, else a fresh one (a malformed one is refused in onRequest). */
export function generateRequestId(request: { headers: Record<string, string | string[] | undefined> }): string {
  const outcome = requestIdOf(request.headers[REQUEST_ID_HEADER]);
  return 'requestId' in outcome ? outcome.requestId : randomUUID();
}

export function registerRequestTelemetry(fastify: FastifyInstance, metrics: ServiceMetrics): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    const header = request.headers[REQUEST_ID_HEADER];
    if (header !== undefined && header !== '' && header !== request.id) {
      const outcome = requestIdOf(header);
      const message = 'invalid' in outcome ? outcome.invalid : 'X-Request-Id is not valid';
      void reply.code(400).send({ statusCode: 400, error: 'Bad Request', message, errors: [{ field: 'X-Request-Id', message }] });
      return;
    }
    if (!isTracing()) {
      done();
      return;
    }
    // A caller's W3C traceparent continues its trace.
    const span = startSpan(`${request.method} ${routePattern(request)}`, {
      kind: SpanKind.SERVER,
      attributes: { 'http.request.method': request.method, 'http.route': routePattern(request), 'pm.request_id': request.id },
      parent: contextFromTraceparent(request.headers.traceparent),
    })!;
    requestSpans.set(request, span);
    withSpan(span, done);
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routePattern(request);
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status_code: reply.statusCode }, seconds);
    const span = requestSpans.get(request);
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      endSpan(span, reply.statusCode >= 500 ? `status ${reply.statusCode}` : null);
    }
    const quiet = reply.statusCode < 400 && (request.method === 'GET' || request.method === 'HEAD');
    const level = quiet ? 'debug' : 'info';
    // The request's child of the process's pino logger (Fastify's loggerInstance).
    const log = request.log as unknown as Logger;
    if (log.isLevelEnabled(level)) {
      log[level]({ method: request.method, route, statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 }, 'request completed');
    }
    done();
  });
}

/** The route as declared (`/api/:tenantId/…`), never the URL with its ids; `unmatched` for a 404 of no route. */
function routePattern(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}
