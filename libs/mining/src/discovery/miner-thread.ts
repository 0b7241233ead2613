/** Entry of the miner thread (see mine-off-thread.ts): mines one process tree per request. */
import { serveRequests } from '../threads/request-thread.js';
import { mineProcessTree } from './inductive-miner.js';
import { variantLogFromMessage, type MinerRequest } from './mine-off-thread.js';

serveRequests((request: MinerRequest) => mineProcessTree(variantLogFromMessage(request), request.activities, { noiseThreshold: request.noiseThreshold }));
