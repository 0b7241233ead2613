/**
 * Renders a process map to SVG with Graphviz (the `dot` layout) compiled to WebAssembly.
 *
 * Layouts run on a thread of their own (graphviz-thread.ts), one long-lived Graphviz instance
 * per process: a job's Petri net, BPMN and map layouts (0.3–0.6 s on BPI Challenge 2012, most
 * of it the first layouts of a process) then overlap with the work the job does meanwhile on
 * its main thread. Where that thread's compiled entry is not beside this module (the sources
 * run directly, as in the unit tests), layouts run on the calling thread instead.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Viz } from '@viz-js/viz';
import { processMapToDot } from './process-map-dot.js';
import type { ProcessMapGraph, ProcessMapOptions } from './process-map.types.js';

type GraphvizFormat = 'svg' | 'json';

/** One layout of `dot`, written in each of `formats`. */
export interface GraphvizRequest {
  readonly id: number;
  readonly dot: string;
  readonly formats: readonly GraphvizFormat[];
}

/** Graphviz's output by format, or its error messages (outputs null). */
export interface GraphvizReply {
  readonly id: number;
  readonly outputs: Readonly<Record<string, string>> | null;
  readonly errors: readonly string[] | null;
}

type Layout = (dot: string, formats: readonly GraphvizFormat[]) => Promise<GraphvizReply>;

const GRAPHVIZ_THREAD = fileURLToPath(new URL('./graphviz-thread.js', import.meta.url));

let sharedLayout: Layout | undefined;

/** Graphviz's outputs of one layout of `dot`; throws `failure` with Graphviz's messages. */
async function layout(dot: string, formats: readonly GraphvizFormat[], failure: string): Promise<Readonly<Record<string, string>>> {
  sharedLayout ??= existsSync(GRAPHVIZ_THREAD) ? layoutOnThread() : layoutHere();
  const { outputs, errors } = await sharedLayout(dot, formats);
  if (outputs === null) throw new Error(`${failure}: ${errors!.join('; ')}`);
  return outputs;
}

/** Graphviz's answer to one request, for both the thread and the calling thread. */
export function layoutWith(viz: Viz, { id, dot, formats }: GraphvizRequest): GraphvizReply {
  const result = viz.renderFormats(dot, [...formats], { engine: 'dot' });
  return result.status === 'success'
    ? { id, outputs: result.output, errors: null }
    : { id, outputs: null, errors: result.errors.map((error) => error.message) };
}

/** Layouts on the Graphviz thread, started on first use and again after it failed. */
function layoutOnThread(): Layout {
  let worker: Worker | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (reply: GraphvizReply) => void; reject: (error: Error) => void }>();
  const start = (): Worker => {
    const started = new Worker(GRAPHVIZ_THREAD);
    // Only a thread with layouts to do keeps the process alive: an idle one must not.
    started.unref();
    started.on('message', (reply: GraphvizReply) => {
      const request = pending.get(reply.id);
      pending.delete(reply.id);
      if (pending.size === 0) started.unref();
      request?.resolve(reply);
    });
    const fail = (error: Error): void => {
      if (worker === started) worker = null;
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    };
    started.on('error', fail);
    started.on('exit', (code) => fail(new Error(`the Graphviz thread stopped (exit code ${code})`)));
    return started;
  };
  return (dot, formats) =>
    new Promise<GraphvizReply>((resolve, reject) => {
      worker ??= start();
      const id = nextId++;
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, dot, formats } satisfies GraphvizRequest);
    });
}

/** Layouts on the calling thread, with one Graphviz instance created on first use. */
function layoutHere(): Layout {
  let viz: Promise<Viz> | undefined;
  return async (dot, formats) => {
    viz ??= import('@viz-js/viz').then((module) => module.instance()).catch((error: unknown) => {
      // Let a later call try again instead of caching the failure.
      viz = undefined;
      throw error;
    });
    return layoutWith(await viz, { id: 0, dot, formats });
  };
}

/** Lays out DOT source with `dot` and returns the SVG document; throws with Graphviz's messages on failure. */
export async function renderDotToSvg(dot: string): Promise<string> {
  const outputs = await layout(dot, ['svg'], 'Graphviz could not render the process map');
  return withPortableFonts(outputs['svg']!);
}

/** Graphviz writes Helvetica as "Helvetica,sans-Serif"; name the metric-compatible Arial too (Windows has no Helvetica). */
function withPortableFonts(svg: string): string {
  return svg.replaceAll('font-family="Helvetica,sans-Serif"', 'font-family="Helvetica,Arial,sans-serif"');
}

/** renderDotToSvg and layoutDotAsJson of the same DOT source from one layout (a layout is most of either's cost). */
export async function renderDotToSvgAndJson(dot: string): Promise<{ svg: string; json: unknown }> {
  const outputs = await layout(dot, ['svg', 'json'], 'Graphviz could not lay out the graph');
  return { svg: withPortableFonts(outputs['svg']!), json: JSON.parse(outputs['json']!) as unknown };
}

/** Lays out DOT source with `dot` and returns Graphviz's JSON (positions in points, y upwards), for other renderers. */
export async function layoutDotAsJson(dot: string): Promise<unknown> {
  const outputs = await layout(dot, ['json'], 'Graphviz could not lay out the graph');
  return JSON.parse(outputs['json']!) as unknown;
}

export async function renderProcessMapSvg(graph: ProcessMapGraph, options: ProcessMapOptions = {}): Promise<string> {
  return renderDotToSvg(processMapToDot(graph, options));
}
