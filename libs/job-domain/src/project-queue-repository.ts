/**
 * The write side of a project's queue: load its stream, fold it, decide, append at the
 * expected revision (a concurrent change makes it decide again on the fresh state).
 */
import {
  WrongExpectedRevisionError, type EventStore, type GlobalPosition,
} from '../../event-store/src/event-store.port.js';
import type { CommandMetadata } from './job-repository.js';
import { derivedUuid } from './job.types.js';
import {
  PROJECT_QUEUE_EVENT_SCHEMA_VERSION, activeProjectQueue, decideQueue, evolveQueue, projectQueueStreamId,
  type ProjectQueueCommand, type ProjectQueueEvent, type ProjectQueueState,
} from './project-queue.js';

export interface QueueCommandResult {
  readonly state: ProjectQueueState;
  readonly events: readonly ProjectQueueEvent[];
  /** Position of the last event appended; null when the command changed nothing. */
  readonly position: GlobalPosition | null;
}

export class ProjectQueueRepository {
  constructor(private readonly store: EventStore) {}

  async load(tenantId: string, projectId: string): Promise<ProjectQueueState> {
    const recorded = await this.store.readStream(projectQueueStreamId(tenantId, projectId));
    let state = activeProjectQueue(tenantId, projectId, new Date(0).toISOString());
    for (const e of recorded) state = evolveQueue(state, { type: e.type, data: e.data } as ProjectQueueEvent, Number(e.revision), e.recordedAt);
    return state;
  }

  async decideAndAppend(
    tenantId: string, projectId: string, command: ProjectQueueCommand, metadata: CommandMetadata, retries = 3,
  ): Promise<QueueCommandResult> {
    const streamId = projectQueueStreamId(tenantId, projectId);
    for (let attempt = 0; ; attempt += 1) {
      const state = await this.load(tenantId, projectId);
      const events = decideQueue(command, state);
      if (events.length === 0) return { state, events, position: null };
      const expected = state.revision < 0 ? 'no_stream' as const : BigInt(state.revision);
      const occurredAt = new Date().toISOString();
      try {
        const result = await this.store.append(streamId, events.map((event, index) => ({
          // As for jobs: the same decision appended again at the same revision is stored once.
          eventId: derivedUuid('event', metadata.causationId, streamId, String(expected), String(index), event.type, JSON.stringify(event.data)),
          type: event.type,
          schemaVersion: PROJECT_QUEUE_EVENT_SCHEMA_VERSION,
          data: event.data,
          metadata: { ...metadata, tenantId, projectId, occurredAt },
        })), expected);
        let next = state;
        let revision = state.revision;
        for (const event of events) next = evolveQueue(next, event, ++revision, occurredAt);
        return { state: next, events, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= retries) throw error;
      }
    }
  }
}
