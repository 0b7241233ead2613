/** Injection tokens of the schedules' ports. */
export const SCHEDULE_VIEWS = Symbol('ScheduleViews');
