/**
 * How a job's events reach the store, and whether its view goes with them. Two kinds:
 * - views written with the append (PostgreSQL/PGlite, read-store's PostgresJobWriter):
 *   events and the job's view document commit in one transaction, so a command's effect
 *   is visible to the next query at once;
 * - append only (`appendOnlyJobWriter`, e.g. KurrentDB with MongoDB views): the job
 *   projection writes the view later, and read-your-writes waits for it.
 */
import {
  WrongExpectedRevisionError, type AppendResult, type EventStore, type ExpectedRevision, type NewEvent,
} from '../../event-store/src/event-store.port.js';
import type { JobLogLine } from '../../job-logs/src/job-log.js';
import type { JobState } from './job.state.js';
import { jobStreamId } from './job.types.js';

export interface JobAppend {
  readonly jobId: string;
  readonly events: readonly NewEvent[];
  readonly expected: ExpectedRevision;
  /** The job after these events, given the time the store records them at (the view document). */
  stateAt(recordedAt: string): JobState;
  /** Log lines of the job stored in the same transaction, when the append succeeds (writers with `storesLogLines`). */
  readonly logLines?: readonly JobLogLine[];
}

export interface JobAppended {
  readonly result: AppendResult;
  readonly state: JobState;
}

export interface JobWriter {
  /** True when the view is committed with the events: nothing to wait for before the next query. */
  readonly viewsWrittenWithAppend: boolean;
  /** True when an append's `logLines` are stored with it; otherwise the caller stores them first. */
  readonly storesLogLines: boolean;
  /** Appends one job's events; a wrong expected revision throws WrongExpectedRevisionError. */
  append(request: JobAppend): Promise<JobAppended>;
  /**
   * Appends several jobs' events together (one transaction where the store allows). A wrong
   * expected revision refuses only its own item (returned as the error); any other error
   * is thrown, and then the outcome of every item is unknown.
   */
  appendEach(requests: readonly JobAppend[]): Promise<Array<JobAppended | WrongExpectedRevisionError>>;
}

/** Appends only: the views follow through the job projection. */
export function appendOnlyJobWriter(events: EventStore): JobWriter {
  const append = async (request: JobAppend): Promise<JobAppended> => {
    const result = await events.append(jobStreamId(request.jobId), request.events, request.expected);
    return { result, state: request.stateAt(new Date().toISOString()) };
  };
  return {
    viewsWrittenWithAppend: false,
    storesLogLines: false,
    append,
    async appendEach(requests) {
      const settled = await Promise.allSettled(requests.map(append));
      const failure = settled.find((s) => s.status === 'rejected' && !(s.reason instanceof WrongExpectedRevisionError));
      if (failure) throw (failure as PromiseRejectedResult).reason;
      return settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as WrongExpectedRevisionError)));
    },
  };
}
