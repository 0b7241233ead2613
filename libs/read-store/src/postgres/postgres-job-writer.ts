/**
 * The job writer of the PostgreSQL/PGlite stores: a command's events and the job's view
 * document commit in ONE transaction (append first, then writeJobDocuments), so the view
 * is never behind the stream a command answered from. Concurrent commands share
 * transactions: appends that queue up while others commit go together as one
 * append_events_many plus one document write for the appends that succeeded; an append
 * with a wrong expected revision fails alone and its document is not written.
 */
import type { PostgresEventStore, StreamAppend } from '../../../event-store/src/postgres/postgres-event-store.js';
import { CommitGroups, type GroupedItem } from '../../../event-store/src/postgres/commit-groups.js';
import type { SqlClient } from '../../../event-store/src/postgres/sql-client.js';
import type { WrongExpectedRevisionError } from '../../../event-store/src/event-store.port.js';
import { jobStreamId, type JobAppend, type JobAppended, type JobState, type JobWriter } from '../../../job-domain/src/index.js';
import type { JobQueueSignals } from '../job-queue-signals.js';
import { writeJobDocuments } from './write-job-documents.js';

export interface PostgresJobWriterOptions {
  /** Told after each commit that leaves a job Queued, so free nodes claim at once. */
  readonly signals?: JobQueueSignals;
  /** Called with the documents of each commit (the embedded store's document cache). */
  readonly onCommitted?: (documents: readonly JobState[]) => void;
  /** Transactions in flight at once; commands arriving meanwhile share the next. Default 8 on pg, 1 on PGlite. */
  readonly concurrency?: number;
  /** Most commands in one transaction. Default 64. */
  readonly maxGroup?: number;
}

type Outcome = JobAppended | WrongExpectedRevisionError;

export class PostgresJobWriter implements JobWriter {
  readonly viewsWrittenWithAppend = true;
  private readonly groups: CommitGroups<JobAppend, JobAppended>;

  constructor(
    private readonly sql: SqlClient,
    private readonly events: PostgresEventStore,
    private readonly agingSecondsPerLevel: number,
    private readonly options: PostgresJobWriterOptions = {},
  ) {
    this.groups = new CommitGroups(
      Math.max(1, options.concurrency ?? (sql.kind === 'pg' ? 8 : 1)), Math.max(1, options.maxGroup ?? 64), (group) => this.runGroup(group),
    );
  }

  append(request: JobAppend): Promise<JobAppended> {
    return this.groups.submit(request);
  }

  appendEach(requests: readonly JobAppend[]): Promise<Outcome[]> {
    return this.commit(requests);
  }

  /** Resolves once every command accepted so far has committed or failed (before the client closes). */
  async drain(): Promise<void> {
    while (this.groups.busy) await new Promise((resolve) => setTimeout(resolve, 5));
  }

  private async runGroup(group: GroupedItem<JobAppend, JobAppended>[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      outcomes = await this.commit(group.map((item) => item.input));
    } catch (error) {
      if (group.length === 1) return group[0].reject(error);
      // The whole group rolled back (a duplicate event id, a deadlock, ...): nothing of it
      // was written, so each command commits alone and gets its own precise outcome.
      await Promise.all(group.map((item) => this.commit([item.input]).then(([outcome]) => settle(item, outcome), item.reject)));
      return;
    }
    outcomes.forEach((outcome, i) => settle(group[i], outcome));
  }

  /** One transaction: the appends, then the documents of those that succeeded. */
  private async commit(requests: readonly JobAppend[]): Promise<Outcome[]> {
    if (requests.length === 0) return [];
    const outcomes = await this.sql.transaction(async (tx) => {
      const appends: StreamAppend[] = requests.map((r) => ({ streamId: jobStreamId(r.jobId), events: r.events, expected: r.expected }));
      const appended = await this.events.appendManyWith(tx, appends);
      const results: Outcome[] = appended.map((a, i) => (a.appended ? { result: a.result, state: requests[i].stateAt(a.recordedAt) } : a.error));
      await writeJobDocuments(tx, written(results), this.agingSecondsPerLevel);
      return results;
    });
    this.events.announceAppend();
    const documents = written(outcomes);
    if (documents.length > 0) this.options.onCommitted?.(documents);
    // After the commit, coalesced with other announcements (a NOTIFY inside the transaction
    // would hold the cluster-wide notify lock through the commit of every appender).
    if (documents.some((doc) => doc.status === 'Queued')) this.options.signals?.announceJobQueued();
    return outcomes;
  }
}

function written(outcomes: readonly Outcome[]): JobState[] {
  return outcomes.flatMap((o) => ('state' in o ? [o.state] : []));
}

function settle(item: GroupedItem<JobAppend, JobAppended>, outcome: Outcome): void {
  if ('state' in outcome) item.resolve(outcome);
  else item.reject(outcome);
}
