/** The queues this service is compared with, by name. */
import { bullmqQueue } from './bullmq-queue.js';
import type { CompetitorName, CompetitorQueue } from './competitor-queue.js';
import { graphileWorkerQueue } from './graphile-worker-queue.js';
import { pgBossQueue } from './pg-boss-queue.js';

export const COMPETITOR_QUEUES: Readonly<Record<CompetitorName, CompetitorQueue>> = {
  'graphile-worker': graphileWorkerQueue,
  'pg-boss': pgBossQueue,
  bullmq: bullmqQueue,
};
