/**
 * Entry of the Graphviz thread (see render-process-map.ts): lays out DOT sources one at a time
 * with its own Graphviz instance and answers each request with Graphviz's output or errors.
 */
import { parentPort } from 'node:worker_threads';
import type { GraphvizReply, GraphvizRequest } from './render-process-map.js';

const viz = await import('@viz-js/viz').then((module) => module.instance());

parentPort!.on('message', ({ id, dot, format }: GraphvizRequest) => {
  let reply: GraphvizReply;
  try {
    const result = viz.render(dot, { format, engine: 'dot' });
    reply = result.status === 'success'
      ? { id, output: result.output, errors: null }
      : { id, output: null, errors: result.errors.map((error) => error.message) };
  } catch (error) {
    reply = { id, output: null, errors: [error instanceof Error ? error.message : String(error)] };
  }
  parentPort!.postMessage(reply);
});
