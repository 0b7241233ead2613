/**
 * Blue/green rebuilds of the job read model (job views, project queues, their counts): a
 * fresh copy is built beside the live one while queries keep reading the live one, then
 * replaces it at once. A port of its own, beside JobReadStore: only a rebuild uses it.
 */
import type { GlobalPosition, RecordedEvent } from '../../event-store/src/event-store.port.js';
import type { JobState, ProjectQueueState } from '../../job-domain/src/index.js';

/** The copy being built, as one step (a transaction where the store has them) sees it. */
export interface ReadModelCopy {
  getJobsByIds(jobIds: readonly string[]): Promise<JobState[]>;
  getProjectQueue(tenantId: string, projectId: string): Promise<ProjectQueueState | null>;
  /** Committed events after `after`, read where the copy is written (the step's own transaction); the fold reads no metadata, so it may be left out. */
  readEvents(after: GlobalPosition, maxCount: number): Promise<RecordedEvent[]>;
  /** Writes documents into the copy (never replacing a newer revision) and moves the copy's own checkpoint to `checkpoint`. */
  write(checkpoint: GlobalPosition, documents: readonly JobState[], queues: readonly ProjectQueueState[]): Promise<void>;
}

export interface JobViewRebuilds {
  /** Drops a copy left by an earlier attempt and creates a fresh, empty one beside the live read model. */
  createCopy(): Promise<void>;
  /** Committed events after `after`, read outside any step (the next batch, read while one is written); metadata as in ReadModelCopy. */
  readEvents(after: GlobalPosition, maxCount: number): Promise<RecordedEvent[]>;
  /** Runs one step of the fold on the copy (in one transaction where the store has them). */
  inCopy<T>(step: (copy: ReadModelCopy) => Promise<T>): Promise<T>;
  /**
   * Holds the live read model's writers off (readers keep reading it), lets `finish` fold
   * the last events into the copy, then replaces the live read model by the copy and sets
   * `projection`'s checkpoint to the position `finish` returns, all at once; then drops the
   * old read model.
   */
  switchToCopy(projection: string, finish: (copy: ReadModelCopy) => Promise<GlobalPosition>): Promise<void>;
  /** Drops the copy (a rebuild that failed). */
  dropCopy(): Promise<void>;
}
