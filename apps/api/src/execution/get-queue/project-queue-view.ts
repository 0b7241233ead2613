/** A project's queue status as the API shows it: Active unless paused, with who paused it, when and why. */
import type { ProjectQueueState, QueueStatus } from '../../../../../libs/job-domain/src/index.js';

export interface ProjectQueueView {
  readonly queueStatus: QueueStatus;
  readonly pause: { readonly pausedBy: string; readonly pausedAt: string; readonly reason: string | null } | null;
}

/** null: the project never paused its queue. */
export function projectQueueView(queue: ProjectQueueState | null): ProjectQueueView {
  return { queueStatus: queue?.status ?? 'Active', pause: queue?.pause ?? null };
}
