/** The one fold of a schedule's stream. */
import type { ScheduleDefinition, ScheduleEvent } from './schedule.events.js';

/** One handled fire time: the job it submitted, or why none was. */
export interface ScheduleFiring {
  readonly fireTime: string;
  readonly jobId: string | null;
  readonly skippedReason: string | null;
  readonly missedCount: number | null;
  readonly cancelledJobId: string | null;
  readonly recordedAt: string;
}

export interface ScheduleState {
  readonly scheduleId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly definition: ScheduleDefinition;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly paused: boolean;
  readonly deleted: boolean;
  /** Interval schedules fire at anchor + k × interval (k ≥ 1); set at creation and at each change. */
  readonly anchor: string;
  /** Every fire time up to this one is handled (fired, skipped) or not wanted (before a change or a resume). */
  readonly cursor: string;
  readonly lastFiredAt: string | null;
  readonly lastJobId: string | null;
  /** Newest first, at most RECENT_FIRINGS. */
  readonly recentFirings: readonly ScheduleFiring[];
  /** Revision of the last event folded in. */
  readonly revision: number;
}

export const RECENT_FIRINGS = 20;

function withFiring(state: ScheduleState, firing: ScheduleFiring): readonly ScheduleFiring[] {
  return [firing, ...state.recentFirings].slice(0, RECENT_FIRINGS);
}

export function evolveSchedule(state: ScheduleState | null, event: ScheduleEvent, revision: number): ScheduleState {
  if (event.type === 'ScheduleCreated') {
    const d = event.data;
    return {
      scheduleId: d.scheduleId, tenantId: d.tenantId, projectId: d.projectId, definition: d.definition,
      createdBy: d.createdBy, createdAt: d.at, updatedAt: d.at, paused: false, deleted: false,
      anchor: d.at, cursor: d.at, lastFiredAt: null, lastJobId: null, recentFirings: [], revision,
    };
  }
  if (!state) throw new Error(`${event.type} before ScheduleCreated`);
  const base = { ...state, revision, updatedAt: event.data.at };
  switch (event.type) {
    case 'ScheduleChanged':
      // Fire times are counted afresh from the change: none before it is owed.
      return { ...base, definition: event.data.definition, anchor: event.data.at, cursor: maxIso(state.cursor, event.data.at) };
    case 'SchedulePaused':
      return { ...base, paused: true };
    case 'ScheduleResumed':
      // A paused schedule owes nothing for the pause: firing resumes from now.
      return { ...base, paused: false, cursor: maxIso(state.cursor, event.data.at) };
    case 'ScheduleDeleted':
      return { ...base, deleted: true };
    case 'ScheduleFired':
      return {
        ...base, cursor: event.data.fireTime, lastFiredAt: event.data.fireTime, lastJobId: event.data.jobId,
        recentFirings: withFiring(state, {
          fireTime: event.data.fireTime, jobId: event.data.jobId, skippedReason: null, missedCount: 1,
          cancelledJobId: event.data.cancelledJobId, recordedAt: event.data.at,
        }),
      };
    case 'ScheduleFiringSkipped':
      return {
        ...base, cursor: event.data.fireTime,
        recentFirings: withFiring(state, {
          fireTime: event.data.fireTime, jobId: null, skippedReason: event.data.reason, missedCount: event.data.missedCount,
          cancelledJobId: null, recordedAt: event.data.at,
        }),
      };
  }
}

/** Folds a stream's events (in revision order) into its state; null for an empty stream. */
export function foldSchedule(events: readonly ScheduleEvent[]): ScheduleState | null {
  let state: ScheduleState | null = null;
  events.forEach((event, revision) => (state = evolveSchedule(state, event, revision)));
  return state;
}

function maxIso(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
