/**
 * The write side of a job: load its stream, fold it with `evolve`, let `decide` say
 * what happens, append with the expected revision. The store's optimistic concurrency
 * is the only lock; commands that may race with a node's progress reports retry on a
 * fresh state.
 */
import { randomUUID } from 'node:crypto';
import {
  WrongExpectedRevisionError, type EventStore, type GlobalPosition,
} from '../../event-store/src/event-store.port.js';
import { decide, type JobCommand } from './job.decide.js';
import { JobNotFoundError } from './job.errors.js';
import { JOB_EVENT_SCHEMA_VERSIONS, type JobEvent } from './job.events.js';
import { evolve, type JobState } from './job.state.js';
import { derivedUuid, jobStreamId } from './job.types.js';
import type { JobLogLine } from '../../job-logs/src/job-log.js';
import { appendOnlyJobWriter, type JobAppend, type JobWriter } from './job-writer.js';
import { activeTraceMetadata, inSpan } from '../../telemetry/src/tracing.js';

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

/** One command of a batch, decided on a state the caller already holds (e.g. a view document). */
export interface KnownStateCommand {
  readonly state: JobState;
  readonly command: JobCommand;
  readonly metadata: CommandMetadata;
}

/** Told of this process's appends (telemetry counts jobs and times appends from them). */
export interface JobAppendObserver {
  /** One append (or one batch of appends) took `seconds`, failed ones included. */
  appendTimed(seconds: number): void;
  /** `events` of one job were appended and led to `state`. */
  jobEventsAppended(events: readonly JobEvent[], state: JobState): void;
}

const UNOBSERVED: JobAppendObserver = { appendTimed: () => undefined, jobEventsAppended: () => undefined };

export class JobRepository {
  /** `writer` says how events reach the store and whether the job's view goes with them (the composition root picks it). */
  constructor(
    private readonly store: EventStore,
    private readonly writer: JobWriter = appendOnlyJobWriter(store),
    private readonly observer: JobAppendObserver = UNOBSERVED,
  ) {}

  /** True when a command's view is committed with its events: read-your-writes needs no wait. */
  get viewsWrittenWithAppend(): boolean {
    return this.writer.viewsWrittenWithAppend;
  }

  /** True when log lines given to `execute` are stored with its append; otherwise the caller stores them first. */
  get logLinesGoWithAppend(): boolean {
    return this.writer.storesLogLines;
  }

  async load(jobId: string): Promise<JobState | null> {
    const recorded = await this.store.readStream(jobStreamId(jobId));
    let state: JobState | null = null;
    for (const e of recorded) state = evolve(state, { type: e.type, data: e.data } as JobEvent, Number(e.revision), e.recordedAt);
    return state;
  }

  /**
   * Decides and appends. With `retries` > 0 a concurrent append makes it reload and
   * decide again (the rules are re-checked on the fresh state); with 0 the conflict is
   * thrown (a node claiming a job must lose cleanly to another node). `logLines`: the job's
   * log lines, stored with the append that succeeds (see `logLinesGoWithAppend`).
   */
  execute(
    jobId: string, command: JobCommand, metadata: CommandMetadata,
    options: { retries?: number; known?: JobState; logLines?: readonly JobLogLine[] } = {},
  ): Promise<CommandResult> {
    return inSpan(`job command ${command.kind}`, { 'pm.job.id': jobId }, () => this.decideAndAppendWithRetries(jobId, command, metadata, options));
  }

  private async decideAndAppendWithRetries(
    jobId: string, command: JobCommand, metadata: CommandMetadata, options: { retries?: number; known?: JobState; logLines?: readonly JobLogLine[] },
  ): Promise<CommandResult> {
    let retries = options.retries ?? 3;
    // A submission needs no read: it appends at 'no_stream', so a job that exists already
    // answers WrongExpectedRevisionError (an idempotent repeat finds its job that way).
    let state = options.known ?? (command.kind === 'SubmitJob' ? null : await this.load(jobId));
    for (;;) {
      if (!state && command.kind !== 'SubmitJob') throw new JobNotFoundError(jobId);
      const events = decide(command, state);
      if (events.length === 0) return { state: state!, events, position: null };
      const startedAt = performance.now();
      try {
        const request = this.appendRequest(jobId, events, state, metadata);
        const { result, state: next } = await inSpan('event store append', {
          'pm.job.id': jobId, 'pm.events': events.map((e) => e.type).join(','), 'pm.job_view_written_with_append': this.writer.viewsWrittenWithAppend,
        }, () => this.writer.append(options.logLines?.length ? { ...request, logLines: options.logLines } : request))
          .finally(() => this.observer.appendTimed((performance.now() - startedAt) / 1000));
        this.observer.jobEventsAppended(events, next);
        return { state: next, events, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || retries <= 0) throw error;
        retries -= 1;
        state = await this.load(jobId);
      }
    }
  }

  /**
   * Decides each command on its known state and appends every decision together (one
   * transaction where the store allows), without retries: a state that is no longer the
   * stream's head fails alone (WrongExpectedRevisionError), as does a refused rule
   * (JobRuleViolation); the others are appended. Outcomes come in the order of `items`.
   * Any other error (the database away) is thrown: then no item's outcome is known.
   */
  async decideAndAppendEach(items: readonly KnownStateCommand[]): Promise<Array<CommandResult | Error>> {
    const outcomes: Array<CommandResult | Error | undefined> = new Array(items.length);
    const requests: JobAppend[] = [];
    const requestItems: number[] = [];
    const decided: JobEvent[][] = [];
    items.forEach((item, index) => {
      try {
        const events = decide(item.command, item.state);
        if (events.length === 0) {
          outcomes[index] = { state: item.state, events, position: null };
          return;
        }
        requests.push(this.appendRequest(item.state.jobId, events, item.state, item.metadata));
        requestItems.push(index);
        decided.push(events);
      } catch (error) {
        outcomes[index] = error instanceof Error ? error : new Error(String(error));
      }
    });
    const startedAt = performance.now();
    const appended = requests.length > 0
      ? await this.writer.appendEach(requests).finally(() => this.observer.appendTimed((performance.now() - startedAt) / 1000))
      : [];
    appended.forEach((outcome, i) => {
      const index = requestItems[i];
      if (!(outcome instanceof Error)) this.observer.jobEventsAppended(decided[i], outcome.state);
      outcomes[index] = outcome instanceof Error ? outcome : { state: outcome.state, events: decided[i], position: outcome.result.position };
    });
    return outcomes as Array<CommandResult | Error>;
  }

  /** The append of `events` decided on `state` (null: a new job), with the view they lead to. */
  private appendRequest(jobId: string, events: readonly JobEvent[], state: JobState | null, metadata: CommandMetadata): JobAppend {
    const expected = state ? BigInt(state.revision) : 'no_stream';
    const occurredAt = new Date().toISOString();
    const first = events[0];
    const tenantId = metadata.tenantId ?? state?.tenantId ?? (first.type === 'JobSubmitted' ? first.data.tenantId : '');
    const projectId = metadata.projectId ?? state?.projectId ?? (first.type === 'JobSubmitted' ? first.data.projectId : '');
    return {
      jobId,
      expected,
      events: events.map((event, index) => ({
        // Derived from the command, the revision it applies to and the event itself: the same
        // decision appended again (a retry after an unknown outcome) is a no-op in the store,
        // while any other event at that revision, or a later one, gets a new id.
        eventId: derivedUuid(
          'event', metadata.causationId, jobStreamId(jobId), String(expected), String(index), event.type, JSON.stringify(event.data),
        ),
        type: event.type,
        schemaVersion: JOB_EVENT_SCHEMA_VERSIONS[event.type],
        data: event.data,
        metadata: { ...metadata, tenantId, projectId, occurredAt, ...activeTraceMetadata() },
      })),
      stateAt(recordedAt) {
        let next = state;
        let revision = state ? state.revision : -1;
        for (const e of events) next = evolve(next, e, ++revision, recordedAt);
        return next!;
      },
    };
  }
}
