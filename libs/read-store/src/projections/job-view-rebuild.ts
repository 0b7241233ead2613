/**
 * One blue/green rebuild of the job read model: folds every event from position 0 into a
 * fresh copy beside the live read model (the same fold as the live projection), in large
 * batches, while queries keep reading the live one; once a batch comes back short (near the
 * head) it switches: writers held off, the last events folded, the copy in place of the live
 * read model and the projection's checkpoint set to the copy's, at once (JobViewRebuilds).
 */
import { START_POSITION, type GlobalPosition, type RecordedEvent } from '../../../event-store/src/event-store.port.js';
import type { JobViewRebuilds, ReadModelCopy } from '../job-view-rebuilds.port.js';
import { LRUCache } from 'lru-cache';
import type { JobState } from '../../../job-domain/src/index.js';
import { foldJobBatch, type FoldSource } from './fold-job-batch.js';

/** Events per batch of a rebuild: larger than the live projection's, a rebuild reads from 0. */
export const REBUILD_BATCH_SIZE = 10_000;

/** Documents of the copy kept at hand between batches. */
const RECENT_DOCUMENTS = 50_000;
/** Job ids remembered as written, at most (about 100 bytes each). */
const MAX_TRACKED_JOBS = 5_000_000;

export type RebuildPhase = 'copying' | 'switching' | 'switched' | 'failed';

export interface RebuildState {
  readonly projection: string;
  readonly phase: RebuildPhase;
  readonly startedAt: string;
  /** When it switched or failed; null while it runs. */
  readonly finishedAt: string | null;
  /** Events read into the copy so far (every stream's). */
  readonly eventsFolded: number;
  /** Job events that changed a document of the copy. */
  readonly jobEventsFolded: number;
  readonly error: string | null;
}

export class JobViewRebuild {
  private current: RebuildState;
  private checkpoint: GlobalPosition = START_POSITION;
  /** The jobs written into the copy so far; null once too many to track (then the copy is asked). */
  private written: Set<string> | null = new Set();
  /** The documents written last: a job's events often span neighbouring batches. */
  private readonly recent = new LRUCache<string, JobState>({ max: RECENT_DOCUMENTS });

  constructor(
    private readonly rebuilds: JobViewRebuilds,
    readonly projection: string,
    private readonly batchSize = REBUILD_BATCH_SIZE,
  ) {
    this.current = {
      projection, phase: 'copying', startedAt: new Date().toISOString(), finishedAt: null, eventsFolded: 0, jobEventsFolded: 0, error: null,
    };
  }

  get state(): RebuildState {
    return this.current;
  }

  /** Runs to the switch; resolves with the final state (throws, with the copy dropped, when it failed). */
  async run(): Promise<RebuildState> {
    try {
      await this.rebuilds.createCopy();
      let batch = await this.rebuilds.readEvents(this.checkpoint, this.batchSize);
      for (;;) {
        // The next batch is read while this one is folded and written (a short one: near the head).
        const next = batch.length === this.batchSize ? this.rebuilds.readEvents(batch[batch.length - 1].position, this.batchSize) : null;
        next?.catch(() => undefined); // awaited below; a failed write must not leave it unhandled
        const current = batch;
        if (current.length > 0) this.advance(await this.rebuilds.inCopy((copy) => this.foldInto(copy, current)));
        if (!next) break;
        batch = await next;
        // PGlite answers within the microtask queue: without a turn of the event loop between
        // batches, the embedded API would serve nothing until the rebuild ends.
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.update({ phase: 'switching' });
      await this.rebuilds.switchToCopy(this.projection, async (copy) => {
        let position = this.checkpoint;
        let total = { events: 0, jobEvents: 0 };
        for (;;) {
          const read = await this.foldNext(copy, position);
          if (read.events === 0) break;
          position = read.last!;
          total = { events: total.events + read.events, jobEvents: total.jobEvents + read.jobEvents };
        }
        this.advance({ ...total, last: position });
        return position;
      });
      this.update({ phase: 'switched', finishedAt: new Date().toISOString() });
      return this.current;
    } catch (error) {
      this.update({ phase: 'failed', finishedAt: new Date().toISOString(), error: error instanceof Error ? error.message : String(error) });
      await this.rebuilds.dropCopy().catch(() => undefined);
      throw error;
    }
  }

  /** Folds the batch after `after` into the copy; `last` is its last position (null: nothing there). */
  private async foldNext(copy: ReadModelCopy, after: GlobalPosition): Promise<{ events: number; jobEvents: number; last: GlobalPosition | null }> {
    return this.foldInto(copy, await copy.readEvents(after, this.batchSize));
  }

  /** Folds `batch` into the copy. */
  private async foldInto(copy: ReadModelCopy, batch: readonly RecordedEvent[]): Promise<{ events: number; jobEvents: number; last: GlobalPosition | null }> {
    if (batch.length === 0) return { events: 0, jobEvents: 0, last: null };
    const folded = await foldJobBatch(batch, this.sourceOver(copy));
    const last = batch[batch.length - 1].position;
    await copy.write(last, folded.documents, folded.queues);
    this.remember(folded.documents);
    return { events: batch.length, jobEvents: folded.foldedJobEvents, last };
  }

  /**
   * The copy as the fold reads it: only the rebuild writes the copy, so a job it never wrote
   * has no document there (no read), and the documents it wrote last are at hand.
   */
  private sourceOver(copy: ReadModelCopy): FoldSource {
    return {
      getProjectQueue: (tenantId, projectId) => copy.getProjectQueue(tenantId, projectId),
      getJobsByIds: async (jobIds) => {
        const known: JobState[] = [];
        const stored: string[] = [];
        for (const id of jobIds) {
          const doc = this.recent.get(id);
          if (doc) known.push(doc);
          else if (this.written === null || this.written.has(id)) stored.push(id);
        }
        return stored.length === 0 ? known : [...known, ...await copy.getJobsByIds(stored)];
      },
    };
  }

  private remember(documents: readonly JobState[]): void {
    for (const doc of documents) {
      this.recent.set(doc.jobId, doc);
      if (this.written) {
        this.written.add(doc.jobId);
        if (this.written.size > MAX_TRACKED_JOBS) this.written = null; // from here on, ask the copy
      }
    }
  }

  private advance(read: { events: number; jobEvents: number; last: GlobalPosition | null }): void {
    if (read.last) this.checkpoint = read.last;
    this.update({ eventsFolded: this.current.eventsFolded + read.events, jobEventsFolded: this.current.jobEventsFolded + read.jobEvents });
  }

  private update(change: Partial<RebuildState>): void {
    this.current = { ...this.current, ...change };
  }
}
