/** Entry of the model thread (see train-off-thread.ts): trains and serializes one prediction model per request. */
import { serveRequests } from '../threads/request-thread.js';
import type { TrainingLog } from './holdout-split.js';
import { trainModelFile } from './train-off-thread.js';

serveRequests((log: TrainingLog) => trainModelFile(log));
