/**
 * The write side of a job: load its stream, fold it with `evolve`, let `decide` say
 * what happens, append with the expected revision. The store's optimistic concurrency
 * is the only lock; commands that may race with a node's progress reports retry on a
 * fresh state.
 */
import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError, type AppendResult, type EventStore, type GlobalPosition,
} from '../../event-store/src/event-store.port.js';
import { decide, type JobCommand } from './job.decide.js';
import { JobNotFoundError } from './job.errors.js';
import { JOB_EVENT_SCHEMA_VERSION, type JobEvent } from './job.events.js';
import { evolve, type JobState } from './job.state.js';
import { derivedUuid, jobStreamId } from './job.types.js';

/** Who asked and why; tenant and project default to the job's own. */
export interface CommandMetadata {
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly tenantId?: string;
  readonly projectId?: string;
}

/** Metadata of a command the system issues on its own (a node, the supervisor): a fresh correlation. */
export function systemCommandMetadata(actor: string): CommandMetadata {
  return { actor, correlationId: randomUUID(), causationId: randomUUID() };
}

export interface CommandResult {
  readonly state: JobState;
  readonly events: readonly JobEvent[];
  /** Position of the last event appended; null when the command changed nothing. */
  readonly position: GlobalPosition | null;
}

export class JobRepository {
  constructor(private readonly store: EventStore) {}

  async load(jobId: string): Promise<JobState | null> {
    const recorded = await this.store.readStream(jobStreamId(jobId));
    let state: JobState | null = null;
    for (const e of recorded) state = evolve(state, { type: e.type, data: e.data } as JobEvent, Number(e.revision), e.recordedAt);
    return state;
  }

  /**
   * Decides and appends. With `retries` > 0 a concurrent append makes it reload and
   * decide again (the rules are re-checked on the fresh state); with 0 the conflict is
   * thrown (a node claiming a job must lose cleanly to another node).
   */
  async execute(jobId: string, command: JobCommand, metadata: CommandMetadata, options: { retries?: number; known?: JobState } = {}): Promise<CommandResult> {
    let retries = options.retries ?? 3;
    let state = options.known ?? (await this.load(jobId));
    for (;;) {
      if (!state && command.kind !== 'SubmitJob') throw new JobNotFoundError(jobId);
      const events = decide(command, state);
      if (events.length === 0) return { state: state!, events, position: null };
      try {
        const result = await this.append(jobId, events, state ? BigInt(state.revision) : 'no_stream', state, metadata);
        let next = state;
        let revision = state ? state.revision : -1;
        const recordedAt = new Date().toISOString();
        for (const e of events) next = evolve(next, e, ++revision, recordedAt);
        return { state: next!, events, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || retries <= 0) throw error;
        retries -= 1;
        state = await this.load(jobId);
      }
    }
  }

  private append(jobId: string, events: readonly JobEvent[], expected: bigint | 'no_stream', state: JobState | null, metadata: CommandMetadata): Promise<AppendResult> {
    const occurredAt = new Date().toISOString();
    const first = events[0];
    const tenantId = metadata.tenantId ?? state?.tenantId ?? (first.type === 'JobSubmitted' ? first.data.tenantId : '');
    const projectId = metadata.projectId ?? state?.projectId ?? (first.type === 'JobSubmitted' ? first.data.projectId : '');
    return this.store.append(
      jobStreamId(jobId),
      events.map((event, index) => ({
        // Derived from the command, the revision it applies to and the event itself: the same
        // decision appended again (a retry after an unknown outcome) is a no-op in the store,
        // while any other event at that revision, or a later one, gets a new id.
        eventId: derivedUuid(
          'event', metadata.causationId, jobStreamId(jobId), String(expected), String(index), event.type, JSON.stringify(event.data),
        ),
        type: event.type,
        schemaVersion: JOB_EVENT_SCHEMA_VERSION,
        data: event.data,
        metadata: { ...metadata, tenantId, projectId, occurredAt },
      })),
      expected,
    );
  }
}
