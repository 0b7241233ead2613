/**
 * Renders a process map to SVG with Graphviz (the `dot` layout) compiled to WebAssembly.
 * Loading Graphviz (its WebAssembly) and creating the instance cost tens of milliseconds,
 * so both happen on first use, in the process that renders, and the instance is shared.
 */
import type { Viz } from '@viz-js/viz';
import { processMapToDot } from './process-map-dot.js';
import type { ProcessMapGraph, ProcessMapOptions } from './process-map.types.js';

let sharedViz: Promise<Viz> | undefined;

function viz(): Promise<Viz> {
  if (sharedViz === undefined) {
    sharedViz = import('@viz-js/viz').then((viz) => viz.instance()).catch((error: unknown) => {
      // Let a later call try again instead of caching the failure.
      sharedViz = undefined;
      throw error;
    });
  }
  return sharedViz;
}

/** Lays out DOT source with `dot` and returns the SVG document; throws with Graphviz's messages on failure. */
export async function renderDotToSvg(dot: string): Promise<string> {
  const result = (await viz()).render(dot, { format: 'svg', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not render the process map: ${result.errors.map((error) => error.message).join('; ')}`);
  }
  return withPortableFonts(result.output);
}

/** Graphviz writes Helvetica as "Helvetica,sans-Serif"; name the metric-compatible Arial too (Windows has no Helvetica). */
function withPortableFonts(svg: string): string {
  return svg.replaceAll('font-family="Helvetica,sans-Serif"', 'font-family="Helvetica,Arial,sans-serif"');
}

/** renderDotToSvg and layoutDotAsJson of the same DOT source from one layout (a layout is most of either's cost). */
export async function renderDotToSvgAndJson(dot: string): Promise<{ svg: string; json: unknown }> {
  const result = (await viz()).renderFormats(dot, ['svg', 'json'], { engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not lay out the graph: ${result.errors.map((error) => error.message).join('; ')}`);
  }
  return { svg: withPortableFonts(result.output['svg']!), json: JSON.parse(result.output['json']!) as unknown };
}

/** Lays out DOT source with `dot` and returns Graphviz's JSON (positions in points, y upwards), for other renderers. */
export async function layoutDotAsJson(dot: string): Promise<unknown> {
  const result = (await viz()).render(dot, { format: 'json', engine: 'dot' });
  if (result.status !== 'success') {
    throw new Error(`Graphviz could not lay out the graph: ${result.errors.map((error) => error.message).join('; ')}`);
  }
  return JSON.parse(result.output) as unknown;
}

export async function renderProcessMapSvg(graph: ProcessMapGraph, options: ProcessMapOptions = {}): Promise<string> {
  return renderDotToSvg(processMapToDot(graph, options));
}
