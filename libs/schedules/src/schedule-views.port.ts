/** The read side of schedules, narrow ports by role: the API's reads and the firer's. */
import type { ScheduleState } from './schedule.state.js';

/** Schedules as the API shows them; deleted ones are not found. */
export interface ScheduleViews {
  get(tenantId: string, projectId: string, scheduleId: string): Promise<ScheduleState | null>;
  /** A project's schedules, oldest first. */
  list(tenantId: string, projectId: string): Promise<ScheduleState[]>;
}

/** What the firer reads: which schedules are due, when the next one is, and a nudge when one changes. */
export interface DueSchedules {
  dueScheduleIds(now: Date, limit: number): Promise<string[]>;
  /** The earliest fire time not handled yet of any active schedule, or null when none is. */
  earliestDueAt(): Promise<Date | null>;
  /** `listener` hears every committed schedule change (of any process, where the store can tell). */
  onChange(listener: () => void): Promise<() => Promise<void>>;
}
