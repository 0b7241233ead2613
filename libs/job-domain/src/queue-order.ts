/**
 * Queue order: highest priority first, FIFO within a priority, with aging so a Low job
 * is never starved. Each priority level is worth AGING_SECONDS_PER_LEVEL of waiting:
 * a job's claim score is (time it entered the queue) − rank × that many seconds, and
 * the lowest score goes first. A Low job waiting 3 levels' worth overtakes a fresh
 * Critical one; within a priority the earlier job always wins.
 */
import { priorityRank, type JobPriority } from './job.types.js';

export const DEFAULT_AGING_SECONDS_PER_LEVEL = 600;

export function queueScore(queuedAtMs: number, priority: JobPriority, agingSecondsPerLevel = DEFAULT_AGING_SECONDS_PER_LEVEL): number {
  return queuedAtMs / 1000 - priorityRank(priority) * agingSecondsPerLevel;
}
