/**
 * When a schedule fires: cron expressions are croner's (5 or 6 fields, read in the
 * schedule's IANA zone, daylight-saving transitions as croner handles them); intervals fire
 * at anchor + k × intervalSeconds. `nextFiringStep` says what a firer does next.
 */
import { Cron } from 'croner';
import { derivedUuid } from '../../job-domain/src/job.types.js';
import type { ScheduleDefinition } from './schedule.events.js';
import type { ScheduleState } from './schedule.state.js';

/** catchUp `all` fires at most this many missed fire times (the latest ones); older ones are recorded as skipped. */
export const MAX_CATCH_UP_FIRINGS = 100;
/** A fire time handled at most this late still counts as on time (catchUp `none` fires it). */
export const MISFIRE_GRACE_MS = 30_000;
export const MAX_INTERVAL_SECONDS = 366 * 24 * 3600;

type Timing = Pick<ScheduleDefinition, 'cron' | 'intervalSeconds' | 'timeZone'>;

/** Why a cron expression or zone is refused, or null when croner accepts it. */
export function cronProblem(expression: string, timeZone: string): string | null {
  const fields = expression.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return `cron must have 5 or 6 fields (got ${fields})`;
  try {
    const cron = new Cron(expression, { timezone: timeZone, paused: true });
    if (!cron.nextRun(new Date(0))) return 'cron never fires';
    return null;
  } catch (error) {
    return `cron is not a valid expression: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export function isIanaTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function cronOf(timing: Timing): Cron {
  return new Cron(timing.cron!, { timezone: timing.timeZone, paused: true });
}

/** The first `count` fire times strictly after `after`. */
export function fireTimesAfter(timing: Timing, anchor: string, after: Date, count: number): Date[] {
  if (count <= 0) return [];
  if (timing.cron) return cronOf(timing).nextRuns(count, after);
  const stepMs = timing.intervalSeconds! * 1000;
  const anchorMs = Date.parse(anchor);
  const k = Math.max(1, Math.floor((after.getTime() - anchorMs) / stepMs) + 1);
  return Array.from({ length: count }, (_, i) => new Date(anchorMs + (k + i) * stepMs));
}

/** The latest `count` fire times at or before `at`, newest first (fewer if the schedule has fewer). */
export function fireTimesAtOrBefore(timing: Timing, anchor: string, at: Date, count: number): Date[] {
  if (count <= 0) return [];
  // croner reads the reference in whole seconds and counts strictly before it: one second on, then keep those not after `at`.
  if (timing.cron) return cronOf(timing).previousRuns(count + 1, new Date(at.getTime() + 1000)).filter((t) => t <= at).slice(0, count);
  const stepMs = timing.intervalSeconds! * 1000;
  const anchorMs = Date.parse(anchor);
  const k = Math.floor((at.getTime() - anchorMs) / stepMs);
  const out: Date[] = [];
  for (let i = k; i >= 1 && out.length < count; i -= 1) out.push(new Date(anchorMs + i * stepMs));
  return out;
}

/** The next `count` fire times after now (or after the last handled one, if later); none while paused or deleted. */
export function upcomingFireTimes(state: ScheduleState, now: Date, count = 5): Date[] {
  if (state.paused || state.deleted) return [];
  const cursor = new Date(Math.max(Date.parse(state.cursor), now.getTime()));
  return fireTimesAfter(state.definition, state.anchor, cursor, count);
}

/** The first fire time not handled yet (it may be past): when a firer must look at this schedule. */
export function nextDueFireTime(state: ScheduleState): Date | null {
  if (state.paused || state.deleted) return null;
  return fireTimesAfter(state.definition, state.anchor, new Date(state.cursor), 1)[0] ?? null;
}

/** The id of the job a firing submits: the same schedule and fire time always name the same job. */
export function scheduledJobId(scheduleId: string, fireTime: string): string {
  return derivedUuid('schedule-firing', scheduleId, fireTime);
}

/**
 * How many fire times lie in (after, upTo]: exact for intervals; for cron, counted up to
 * `bound` and null beyond it (counting a year of per-second fire times is not worth it).
 */
export function countFireTimes(timing: Timing, anchor: string, after: Date, upTo: Date, bound = MAX_CATCH_UP_FIRINGS): number | null {
  if (upTo <= after) return 0;
  if (!timing.cron) {
    const stepMs = timing.intervalSeconds! * 1000;
    const anchorMs = Date.parse(anchor);
    const index = (t: Date) => Math.max(0, Math.floor((t.getTime() - anchorMs) / stepMs));
    return index(upTo) - index(after);
  }
  const times = fireTimesAfter(timing, anchor, after, bound + 1).filter((t) => t <= upTo);
  return times.length > bound ? null : times.length;
}

export type FiringStep =
  | { readonly kind: 'fire'; readonly fireTime: string }
  | { readonly kind: 'skipMissed'; readonly fireTime: string; readonly missedCount: number | null; readonly reason: string };

/**
 * The next thing to record for a schedule at `now`: fire the oldest due time, or skip
 * missed ones (by its catchUp policy); null when nothing is due. Recording a step moves
 * the cursor past its fire time, so calling again gives the following step.
 */
export function nextFiringStep(state: ScheduleState, now: Date): FiringStep | null {
  if (state.paused || state.deleted) return null;
  const def = state.definition;
  const due = fireTimesAfter(def, state.anchor, new Date(state.cursor), MAX_CATCH_UP_FIRINGS + 1).filter((t) => t <= now);
  if (due.length === 0) return null;
  const truncated = due.length > MAX_CATCH_UP_FIRINGS;
  const iso = (d: Date) => d.toISOString();
  switch (def.catchUp) {
    case 'all': {
      if (!truncated) return { kind: 'fire', fireTime: iso(due[0]) };
      const latest = fireTimesAtOrBefore(def, state.anchor, now, MAX_CATCH_UP_FIRINGS + 1);
      const through = latest[MAX_CATCH_UP_FIRINGS];
      return {
        kind: 'skipMissed', fireTime: iso(through), missedCount: countFireTimes(def, state.anchor, new Date(state.cursor), through),
        reason: `missed; catchUp all fires only the latest ${MAX_CATCH_UP_FIRINGS} missed fire times`,
      };
    }
    case 'one': {
      if (due.length === 1) return { kind: 'fire', fireTime: iso(due[0]) };
      const [, beforeLatest] = fireTimesAtOrBefore(def, state.anchor, now, 2);
      return {
        kind: 'skipMissed', fireTime: iso(beforeLatest),
        missedCount: truncated ? countFireTimes(def, state.anchor, new Date(state.cursor), beforeLatest) : due.length - 1,
        reason: 'missed; catchUp one fires once for the missed fire times',
      };
    }
    case 'none': {
      if (now.getTime() - due[0].getTime() <= MISFIRE_GRACE_MS) return { kind: 'fire', fireTime: iso(due[0]) };
      const [lastMissed] = fireTimesAtOrBefore(def, state.anchor, new Date(now.getTime() - MISFIRE_GRACE_MS - 1), 1);
      const missedCount = truncated ? countFireTimes(def, state.anchor, new Date(state.cursor), lastMissed) : due.filter((t) => t <= lastMissed).length;
      return { kind: 'skipMissed', fireTime: iso(lastMissed), missedCount, reason: 'missed; catchUp none fires only on time' };
    }
  }
}
