/** A schedule as the API shows it: its definition, state, next fire times and recent firings. */
import { upcomingFireTimes, type ScheduleState } from '../../../../../libs/schedules/src/index.js';

export const NEXT_FIRE_TIMES_SHOWN = 5;

export function scheduleView(state: ScheduleState, now = new Date()) {
  const d = state.definition;
  return {
    scheduleId: state.scheduleId,
    name: d.name,
    cron: d.cron,
    intervalSeconds: d.intervalSeconds,
    timeZone: d.timeZone,
    overlapPolicy: d.overlapPolicy,
    catchUp: d.catchUp,
    jobTemplate: d.jobTemplate,
    paused: state.paused,
    nextFireTimes: upcomingFireTimes(state, now, NEXT_FIRE_TIMES_SHOWN).map((t) => t.toISOString()),
    lastFiredAt: state.lastFiredAt,
    lastJobId: state.lastJobId,
    recentFirings: state.recentFirings,
    createdBy: state.createdBy,
    dateCreated: state.createdAt,
    lastUpdated: state.updatedAt,
  };
}

export type ScheduleView = ReturnType<typeof scheduleView>;
