/**
 * Entry of the miner thread (see mine-off-thread.ts): mines one process tree per request and
 * answers with the tree or the error's message.
 */
import { parentPort } from 'node:worker_threads';
import { mineProcessTree } from './inductive-miner.js';
import { variantLogFromMessage, type MinerReply, type MinerRequest } from './mine-off-thread.js';

parentPort!.on('message', (request: MinerRequest) => {
  let reply: MinerReply;
  try {
    reply = { id: request.id, tree: mineProcessTree(variantLogFromMessage(request), request.activities, { noiseThreshold: request.noiseThreshold }), error: null };
  } catch (error) {
    reply = { id: request.id, tree: null, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
