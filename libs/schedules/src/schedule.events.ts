/** Events of a recurring schedule's stream (`schedule-<id>`): what was asked of it and each firing. */

export const OVERLAP_POLICIES = ['skip', 'queue', 'cancelPrevious'] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

export const CATCH_UP_POLICIES = ['none', 'one', 'all'] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];

/** What a schedule fires and when; exactly one of `cron` and `intervalSeconds` is set. */
export interface ScheduleDefinition {
  readonly name: string;
  readonly cron: string | null;
  readonly intervalSeconds: number | null;
  /** IANA zone the cron expression is read in. */
  readonly timeZone: string;
  /** A submit body (as POST /job takes it), submitted at each firing. */
  readonly jobTemplate: Readonly<Record<string, unknown>>;
  readonly overlapPolicy: OverlapPolicy;
  readonly catchUp: CatchUpPolicy;
}

export interface ScheduleCreatedData {
  readonly scheduleId: string;
  readonly tenantId: string;
  readonly projectId: string;
  readonly definition: ScheduleDefinition;
  readonly createdBy: string;
  readonly at: string;
}

export interface ScheduleChangedData {
  readonly definition: ScheduleDefinition;
  readonly changedBy: string;
  readonly at: string;
}

export interface ScheduleActorData {
  readonly by: string;
  readonly at: string;
}

export interface ScheduleFiredData {
  readonly fireTime: string;
  readonly jobId: string;
  /** The previous firing's job, cancelled first (overlapPolicy cancelPrevious); null when none was. */
  readonly cancelledJobId: string | null;
  readonly at: string;
}

export interface ScheduleFiringSkippedData {
  /** The (latest) fire time this record covers: every fire time up to it is handled. */
  readonly fireTime: string;
  readonly reason: string;
  /** Fire times this record covers (1 for one firing); null when more were missed than were counted. */
  readonly missedCount: number | null;
  readonly at: string;
}

export type ScheduleEvent =
  | { readonly type: 'ScheduleCreated'; readonly data: ScheduleCreatedData }
  | { readonly type: 'ScheduleChanged'; readonly data: ScheduleChangedData }
  | { readonly type: 'SchedulePaused'; readonly data: ScheduleActorData }
  | { readonly type: 'ScheduleResumed'; readonly data: ScheduleActorData }
  | { readonly type: 'ScheduleDeleted'; readonly data: ScheduleActorData }
  | { readonly type: 'ScheduleFired'; readonly data: ScheduleFiredData }
  | { readonly type: 'ScheduleFiringSkipped'; readonly data: ScheduleFiringSkippedData };

export type ScheduleEventType = ScheduleEvent['type'];

export const SCHEDULE_EVENT_SCHEMA_VERSIONS: Readonly<Record<ScheduleEventType, number>> = {
  ScheduleCreated: 1, ScheduleChanged: 1, SchedulePaused: 1, ScheduleResumed: 1, ScheduleDeleted: 1,
  ScheduleFired: 1, ScheduleFiringSkipped: 1,
};

export function scheduleStreamId(scheduleId: string): string {
  return `schedule-${scheduleId}`;
}
