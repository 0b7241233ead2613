/**
 * A project's queue as a stream of its own (`queue-<tenantId>-<projectId>`): paused or
 * active. While paused, claims skip the project's jobs; submits still queue and running
 * jobs keep running. Pure rules beside the events, as for jobs: `decideQueue` and
 * `evolveQueue`.
 */
import { JobRuleViolation } from './job.errors.js';

export const PROJECT_QUEUE_STREAM_PREFIX = 'queue-';

export function projectQueueStreamId(tenantId: string, projectId: string): string {
  return `${PROJECT_QUEUE_STREAM_PREFIX}${tenantId}-${projectId}`;
}

export const QUEUE_STATUSES = ['Active', 'Paused'] as const;
export type QueueStatus = (typeof QUEUE_STATUSES)[number];

export interface QueuePausedData {
  readonly tenantId: string;
  readonly projectId: string;
  readonly pausedBy: string;
  readonly pausedAt: string;
  readonly reason: string | null;
}

export interface QueueResumedData {
  readonly tenantId: string;
  readonly projectId: string;
  readonly resumedBy: string;
  readonly resumedAt: string;
  readonly reason: string | null;
}

export type ProjectQueueEvent =
  | { readonly type: 'QueuePaused'; readonly data: QueuePausedData }
  | { readonly type: 'QueueResumed'; readonly data: QueueResumedData };

/** Schema version of QueuePaused and QueueResumed. */
export const PROJECT_QUEUE_EVENT_SCHEMA_VERSION = 1;

export const PROJECT_QUEUE_EVENT_TYPES: readonly ProjectQueueEvent['type'][] = ['QueuePaused', 'QueueResumed'];

export function isProjectQueueEventType(type: string): type is ProjectQueueEvent['type'] {
  return (PROJECT_QUEUE_EVENT_TYPES as readonly string[]).includes(type);
}

/** A project's queue; a project that never paused has no stream and is Active. */
export interface ProjectQueueState {
  readonly tenantId: string;
  readonly projectId: string;
  readonly status: QueueStatus;
  /** Who paused it, when and why: set while Paused, null while Active. */
  readonly pause: { readonly pausedBy: string; readonly pausedAt: string; readonly reason: string | null } | null;
  readonly lastUpdated: string;
  /** Revision of the last event folded in (-1: no stream yet). */
  readonly revision: number;
}

export function activeProjectQueue(tenantId: string, projectId: string, at: string): ProjectQueueState {
  return { tenantId, projectId, status: 'Active', pause: null, lastUpdated: at, revision: -1 };
}

export type ProjectQueueCommand =
  | { readonly kind: 'PauseQueue'; readonly at: string; readonly actor: string; readonly reason: string | null }
  | { readonly kind: 'ResumeQueue'; readonly at: string; readonly actor: string; readonly reason: string | null };

/** Pausing a paused queue or resuming an active one changes nothing (no event). */
export function decideQueue(command: ProjectQueueCommand, state: ProjectQueueState): ProjectQueueEvent[] {
  const scope = { tenantId: state.tenantId, projectId: state.projectId };
  switch (command.kind) {
    case 'PauseQueue':
      if (state.status === 'Paused') return [];
      return [{ type: 'QueuePaused', data: { ...scope, pausedBy: command.actor, pausedAt: command.at, reason: command.reason } }];
    case 'ResumeQueue':
      if (state.status === 'Active') return [];
      return [{ type: 'QueueResumed', data: { ...scope, resumedBy: command.actor, resumedAt: command.at, reason: command.reason } }];
  }
}

export function evolveQueue(state: ProjectQueueState | null, event: ProjectQueueEvent, revision: number, recordedAt: string): ProjectQueueState {
  const base = state ?? activeProjectQueue(event.data.tenantId, event.data.projectId, recordedAt);
  if (base.tenantId !== event.data.tenantId || base.projectId !== event.data.projectId) {
    throw new JobRuleViolation(base.projectId, 'WrongQueue', `event of queue ${event.data.projectId} folded into queue ${base.projectId}`);
  }
  switch (event.type) {
    case 'QueuePaused':
      return {
        ...base, status: 'Paused', lastUpdated: recordedAt, revision,
        pause: { pausedBy: event.data.pausedBy, pausedAt: event.data.pausedAt, reason: event.data.reason },
      };
    case 'QueueResumed':
      return { ...base, status: 'Active', pause: null, lastUpdated: recordedAt, revision };
  }
}
