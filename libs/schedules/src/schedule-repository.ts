/**
 * The write side of a schedule: fold its stream, let `decideSchedule` say what happens,
 * append at the revision read. The writer is the store's: on PostgreSQL and PGlite the
 * schedule's view row commits with the append.
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError, type EventStore, type ExpectedRevision, type NewEvent } from '../../event-store/src/event-store.port.js';
import type { CommandMetadata } from '../../job-domain/src/job-repository.js';
import { derivedUuid } from '../../job-domain/src/job.types.js';
import { decideSchedule, ScheduleNotFoundError, type ScheduleCommand } from './schedule.decide.js';
import { SCHEDULE_EVENT_SCHEMA_VERSIONS, scheduleStreamId, type ScheduleEvent } from './schedule.events.js';
import { evolveSchedule, foldSchedule, type ScheduleState } from './schedule.state.js';

export interface ScheduleAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  /** The state the events lead to (the view to store with them). */
  readonly state: ScheduleState;
}

export interface ScheduleWriter {
  append(append: ScheduleAppend): Promise<void>;
}

export class ScheduleRepository {
  constructor(private readonly store: EventStore, private readonly writer: ScheduleWriter) {}

  async load(scheduleId: string): Promise<ScheduleState | null> {
    const recorded = await this.store.readStream(scheduleStreamId(scheduleId));
    return foldSchedule(recorded.map((e) => ({ type: e.type, data: e.data }) as ScheduleEvent));
  }

  /**
   * Decides on the stream's state and appends; a concurrent append makes it reload and
   * decide again (up to `retries` times), so a firing recorded by another firer meanwhile
   * turns this one into a no-op.
   */
  async decideAndAppend(
    scheduleId: string, command: ScheduleCommand, metadata: CommandMetadata, retries = 3,
  ): Promise<{ state: ScheduleState; events: readonly ScheduleEvent[] }> {
    let state = command.kind === 'CreateSchedule' ? null : await this.load(scheduleId);
    for (let attempt = 0; ; attempt += 1) {
      if (!state && command.kind !== 'CreateSchedule') throw new ScheduleNotFoundError(scheduleId);
      const events = decideSchedule(command, state);
      if (events.length === 0) return { state: state!, events };
      let next = state;
      let revision = state ? state.revision : -1;
      for (const event of events) next = evolveSchedule(next, event, ++revision);
      const expected: ExpectedRevision = state ? BigInt(state.revision) : 'no_stream';
      const streamId = scheduleStreamId(scheduleId);
      const occurredAt = new Date().toISOString();
      const tenantId = metadata.tenantId ?? next!.tenantId;
      const projectId = metadata.projectId ?? next!.projectId;
      try {
        await this.writer.append({
          streamId, expected, state: next!,
          events: events.map((event, index) => ({
            eventId: derivedUuid('event', metadata.causationId, streamId, String(expected), String(index), event.type, JSON.stringify(event.data)),
            type: event.type,
            schemaVersion: SCHEDULE_EVENT_SCHEMA_VERSIONS[event.type],
            data: event.data,
            metadata: { ...metadata, tenantId, projectId, occurredAt },
          })),
        });
        return { state: next!, events };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= retries) throw error;
        state = await this.load(scheduleId);
      }
    }
  }
}

export function scheduleCommandMetadata(actor: string): CommandMetadata {
  return { actor, correlationId: randomUUID(), causationId: randomUUID() };
}
