/**
 * Entry of the Graphviz thread (see render-process-map.ts): lays out DOT sources one at a time
 * with its own Graphviz instance and answers each request with Graphviz's outputs or errors.
 */
import { parentPort } from 'node:worker_threads';
import { layoutWith, type GraphvizReply, type GraphvizRequest } from './render-process-map.js';

const viz = await import('@viz-js/viz').then((module) => module.instance());

parentPort!.on('message', (request: GraphvizRequest) => {
  let reply: GraphvizReply;
  try {
    reply = layoutWith(viz, request);
  } catch (error) {
    reply = { id: request.id, outputs: null, errors: [error instanceof Error ? error.message : String(error)] };
  }
  parentPort!.postMessage(reply);
});
