/**
 * OpenTelemetry tracing, on only when the standard OTEL_* variables ask for an exporter
 * (OTEL_TRACES_EXPORTER other than `none`, or an OTLP endpoint) and OTEL_SDK_DISABLED is not
 * `true`. Off, the SDK is never loaded and every helper here runs its work directly: no
 * span objects, no context switches on the hot path.
 *
 * A trace follows one submission: the HTTP request, the job command, its append (on
 * PostgreSQL/PGlite the job's view is written in the same transaction), and, in whichever
 * process picks the job up, the job run, parented by the `traceparent` the append stored
 * in the JobSubmitted event's metadata. The asynchronous projection's batches link to the
 * traces of the events they apply.
 */
import {
  ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Context, type Link, type Span,
} from '@opentelemetry/api';

export { SpanKind } from '@opentelemetry/api';
export type { Span } from '@opentelemetry/api';

const tracer = trace.getTracer('pm-job-execution');
let tracingOn = false;

export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED === 'true') return false;
  const exporter = env.OTEL_TRACES_EXPORTER;
  if (exporter !== undefined && exporter !== '') return exporter.split(',').some((name) => name.trim() !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

export interface Tracing {
  /** Flushes the spans not yet exported. */
  shutdown(): Promise<void>;
}

/** Starts the SDK when the environment asks for it (service name: OTEL_SERVICE_NAME, else `defaultServiceName`); null when off. */
export async function startTracing(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing | null> {
  if (!tracingRequested(env)) return null;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({ serviceName: env.OTEL_SERVICE_NAME || defaultServiceName, instrumentations: [] });
  sdk.start();
  tracingOn = true;
  return {
    async shutdown() {
      tracingOn = false;
      await sdk.shutdown();
    },
  };
}

export function isTracing(): boolean {
  return tracingOn;
}

/** Runs `work` in a child span of the active one (directly when tracing is off); the span ends when `work` settles. */
export function inSpan<T>(name: string, attributes: Attributes, work: () => Promise<T>): Promise<T> {
  if (!tracingOn) return work();
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await work();
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** A span the caller ends, parented by `parent` (or the active context); null when tracing is off. */
export function startSpan(name: string, options: { kind?: SpanKind; attributes?: Attributes; links?: Link[]; parent?: Context }): Span | null {
  if (!tracingOn) return null;
  return tracer.startSpan(name, { kind: options.kind, attributes: options.attributes, links: options.links }, options.parent ?? context.active());
}

/** Runs `work` with `span` active (directly when there is none). */
export function withSpan<T>(span: Span | null, work: () => T): T {
  return span ? context.with(trace.setSpan(context.active(), span), work) : work();
}

export function endSpan(span: Span | null, failed: string | null = null): void {
  if (!span) return;
  if (failed !== null) span.setStatus({ code: SpanStatusCode.ERROR, message: failed });
  span.end();
}

/** The W3C trace context of the active span, for an event's metadata; empty when tracing is off or no span is active. */
const NO_TRACE: { traceparent?: string } = Object.freeze({});

export function activeTraceMetadata(): { traceparent?: string } {
  if (!tracingOn) return NO_TRACE;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? { traceparent: carrier.traceparent } : {};
}

/** The context of a stored or received `traceparent` (a header, an event's metadata). */
export function contextFromTraceparent(traceparent: unknown, base: Context = ROOT_CONTEXT): Context {
  return typeof traceparent === 'string' ? propagation.extract(base, { traceparent }) : base;
}

/** A link to the span a stored `traceparent` names; null when there is none. */
export function linkTo(traceparent: unknown): Link | null {
  if (typeof traceparent !== 'string') return null;
  const spanContext = trace.getSpanContext(contextFromTraceparent(traceparent));
  return spanContext ? { context: spanContext } : null;
}

export { SpanStatusCode };
