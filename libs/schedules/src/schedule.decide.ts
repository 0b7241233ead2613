/** The rules of a schedule: a command and the current state give the events to append. */
import type { ScheduleDefinition, ScheduleEvent } from './schedule.events.js';
import type { ScheduleState } from './schedule.state.js';

export type ScheduleCommand =
  | { readonly kind: 'CreateSchedule'; readonly scheduleId: string; readonly tenantId: string; readonly projectId: string;
      readonly definition: ScheduleDefinition; readonly by: string; readonly at: string }
  | { readonly kind: 'ChangeSchedule'; readonly definition: ScheduleDefinition; readonly by: string; readonly at: string }
  | { readonly kind: 'PauseSchedule'; readonly by: string; readonly at: string }
  | { readonly kind: 'ResumeSchedule'; readonly by: string; readonly at: string }
  | { readonly kind: 'DeleteSchedule'; readonly by: string; readonly at: string }
  | { readonly kind: 'RecordFiring'; readonly fireTime: string; readonly jobId: string; readonly cancelledJobId: string | null; readonly at: string }
  | { readonly kind: 'RecordSkippedFiring'; readonly fireTime: string; readonly reason: string; readonly missedCount: number | null; readonly at: string };

export class ScheduleNotFoundError extends Error {
  constructor(readonly scheduleId: string) {
    super(`schedule ${scheduleId} not found`);
    this.name = 'ScheduleNotFoundError';
  }
}

export class ScheduleExistsError extends Error {
  constructor(readonly scheduleId: string) {
    super(`schedule ${scheduleId} exists already`);
    this.name = 'ScheduleExistsError';
  }
}

export function decideSchedule(command: ScheduleCommand, state: ScheduleState | null): ScheduleEvent[] {
  if (command.kind === 'CreateSchedule') {
    if (state) throw new ScheduleExistsError(state.scheduleId);
    const { scheduleId, tenantId, projectId, definition, by, at } = command;
    return [{ type: 'ScheduleCreated', data: { scheduleId, tenantId, projectId, definition, createdBy: by, at } }];
  }
  if (!state) throw new ScheduleNotFoundError('(none)');
  switch (command.kind) {
    case 'ChangeSchedule':
      if (state.deleted) throw new ScheduleNotFoundError(state.scheduleId);
      return [{ type: 'ScheduleChanged', data: { definition: command.definition, changedBy: command.by, at: command.at } }];
    case 'PauseSchedule':
      if (state.deleted) throw new ScheduleNotFoundError(state.scheduleId);
      return state.paused ? [] : [{ type: 'SchedulePaused', data: { by: command.by, at: command.at } }];
    case 'ResumeSchedule':
      if (state.deleted) throw new ScheduleNotFoundError(state.scheduleId);
      return state.paused ? [{ type: 'ScheduleResumed', data: { by: command.by, at: command.at } }] : [];
    case 'DeleteSchedule':
      return state.deleted ? [] : [{ type: 'ScheduleDeleted', data: { by: command.by, at: command.at } }];
    case 'RecordFiring':
    case 'RecordSkippedFiring':
      // A fire time handled already (by this firer before a restart, or by another) is a no-op:
      // each fire time is recorded once, whatever races.
      if (state.deleted || state.paused || Date.parse(command.fireTime) <= Date.parse(state.cursor)) return [];
      return command.kind === 'RecordFiring'
        ? [{ type: 'ScheduleFired', data: { fireTime: command.fireTime, jobId: command.jobId, cancelledJobId: command.cancelledJobId, at: command.at } }]
        : [{ type: 'ScheduleFiringSkipped', data: { fireTime: command.fireTime, reason: command.reason, missedCount: command.missedCount, at: command.at } }];
  }
}
