/**
 * The event feed of one process: every follower (an SSE client) first catches up from the
 * database in pages, then takes live events from one shared tail of the store, fanned out
 * in memory. The tail is the store's own catch-up subscription, woken by its append
 * notification (NOTIFY on PostgreSQL, in-process on PGlite), and runs only while someone
 * follows: however many clients, one reader of the store.
 *
 * Ordering: a follower keeps a cursor (the last position it has passed) and takes only
 * events after it, so an event read both by its catch-up and by the tail is sent once;
 * since the global order never puts a late event below a passed position (ADR 0001),
 * nothing is skipped either. A follower that cannot keep up (its socket full, or more
 * live events waiting than `maxPendingEvents` while it catches up) is ended: it resumes
 * from its last id, and no follower ever holds up another or the tail.
 */
import {
  comparePositions, type EventStore, type GlobalPosition, type RecordedEvent, type SubscriptionHandle,
} from '../../event-store/src/event-store.port.js';
import { jobIdOfStream, matchesFilter, type FeedFilter } from './feed-filter.js';
import type { FeedReads } from './feed-reads.js';

/** Where a follower's events go (an SSE response). */
export interface FeedSink {
  /** Delivers one event; false when the reader is gone or too slow (the follower then ends). */
  send(event: RecordedEvent): boolean;
  /** Resolves when the reader can take more; catch-up pages wait for it. */
  writable(): Promise<void>;
  readonly closed: boolean;
  end(): void;
  onClose(listener: () => void): void;
}

export interface FollowRequest {
  readonly filter: FeedFilter;
  /** Exclusive: the first event sent is the first after it. */
  readonly after: GlobalPosition;
  /** The feed ends right after an event this returns true for (a job's terminal event). */
  readonly isLast?: (event: RecordedEvent) => boolean;
  /** Asked once before going live: true when nothing more will come (the job has ended). */
  readonly hasEnded?: () => Promise<boolean>;
}

export interface EventFeedOptions {
  /** Events per catch-up read. Default 1000. */
  readonly pageSize?: number;
  /** Live events one follower may have waiting while it still catches up. Default 10,000. */
  readonly maxPendingEvents?: number;
}

interface Follower {
  readonly request: FollowRequest;
  readonly sink: FeedSink;
  cursor: GlobalPosition;
  /** Live events that arrived while catching up; null once live. */
  pending: RecordedEvent[] | null;
}

const MAX_REMEMBERED_JOB_TYPES = 100_000;

export class EventFeedHub {
  private readonly followers = new Set<Follower>();
  private readonly pageSize: number;
  private readonly maxPendingEvents: number;
  private tail: SubscriptionHandle | undefined;
  /** Starts and stops of the tail, one at a time. */
  private lifecycle: Promise<void> = Promise.resolve();
  /** Every event up to here was read by the tail (or was in the store before it started). */
  private position: GlobalPosition | undefined;
  private readonly jobTypes = new Map<string, string>();
  private closed = false;

  constructor(private readonly events: EventStore, private readonly reads: FeedReads, options: EventFeedOptions = {}) {
    this.pageSize = options.pageSize ?? 1000;
    this.maxPendingEvents = options.maxPendingEvents ?? 10_000;
  }

  /** Followers connected now (for tests and status). */
  get followerCount(): number {
    return this.followers.size;
  }

  get tailRunning(): boolean {
    return this.tail !== undefined;
  }

  /** Streams to `sink` until it closes, the request's last event was sent, or the hub closes. */
  async follow(sink: FeedSink, request: FollowRequest): Promise<void> {
    if (this.closed) return sink.end();
    const follower: Follower = { request, sink, cursor: request.after, pending: null };
    try {
      if (!(await this.catchUp(follower, null))) return;
      follower.pending = [];
      this.followers.add(follower);
      sink.onClose(() => this.leave(follower));
      await this.startTail();
      if (sink.closed) return;
      const upTo = this.position!;
      const ended = request.hasEnded ? await request.hasEnded() : false;
      // An ended job's last events may not have reached the tail yet: read on to the end.
      if (!(await this.catchUp(follower, ended ? null : upTo))) return;
      if (ended) return sink.end();
      const pending = follower.pending;
      follower.pending = null;
      this.deliver(follower, pending);
      await new Promise<void>((resolve) => sink.onClose(resolve));
    } catch (error) {
      sink.end();
      throw error;
    } finally {
      this.leave(follower);
    }
  }

  /** Ends every follower and stops the tail (service shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const follower of [...this.followers]) follower.sink.end();
    await this.stopTailIfIdle();
  }

  /** Nest's hook, run before the HTTP server closes: open streams would otherwise hold the shutdown. */
  beforeApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /**
   * Reads pages from the follower's cursor (up to `upTo` when given) and sends them.
   * False when the follower ended meanwhile (gone, too slow, or its last event sent).
   */
  private async catchUp(follower: Follower, upTo: GlobalPosition | null): Promise<boolean> {
    for (;;) {
      const page = await this.reads.readPage(follower.request.filter, { after: follower.cursor, upTo, limit: this.pageSize });
      if (follower.sink.closed) return false;
      for (const event of page) {
        if (!this.sendOne(follower, event)) return false;
        // Catch-up can wait for the reader (live delivery cannot): a page of large events never overflows it.
        await follower.sink.writable();
        if (follower.sink.closed) return false;
      }
      if (page.length < this.pageSize) return true;
    }
  }

  /** Sends one event past the cursor; false once the follower has ended. */
  private sendOne(follower: Follower, event: RecordedEvent): boolean {
    if (comparePositions(event.position, follower.cursor) <= 0) return true;
    follower.cursor = event.position;
    if (!follower.sink.send(event) || follower.request.isLast?.(event)) {
      follower.sink.end();
      return false;
    }
    return true;
  }

  private deliver(follower: Follower, events: readonly RecordedEvent[]): void {
    const jobTypeOf = (jobId: string) => this.jobTypes.get(jobId);
    for (const event of events) {
      if (follower.sink.closed) return;
      if (!matchesFilter(event, follower.request.filter, jobTypeOf)) continue;
      if (follower.pending) {
        follower.pending.push(event);
        if (follower.pending.length > this.maxPendingEvents) follower.sink.end();
      } else if (!this.sendOne(follower, event)) {
        return;
      }
    }
  }

  private leave(follower: Follower): void {
    if (!this.followers.delete(follower)) return;
    if (this.followers.size === 0) void this.stopTailIfIdle();
  }

  private startTail(): Promise<void> {
    const started = this.lifecycle.then(async () => {
      if (this.tail || this.followers.size === 0 || this.closed) return;
      const head = await this.reads.readHead();
      this.position = head;
      this.tail = this.events.subscribe((batch) => this.fanOut(batch), { after: head, batchSize: this.pageSize });
    });
    // A failed start (the database away) fails this follower only; the next one tries again.
    this.lifecycle = started.catch(() => undefined);
    return started;
  }

  private stopTailIfIdle(): Promise<void> {
    this.lifecycle = this.lifecycle.then(async () => {
      if (!this.tail || (this.followers.size > 0 && !this.closed)) return;
      const tail = this.tail;
      this.tail = undefined;
      this.position = undefined;
      await tail.stop();
    }).catch(() => undefined);
    return this.lifecycle;
  }

  private async fanOut(batch: RecordedEvent[]): Promise<void> {
    if ([...this.followers].some((f) => f.request.filter.jobType !== null)) await this.learnJobTypes(batch);
    for (const follower of [...this.followers]) {
      try {
        this.deliver(follower, batch);
      } catch {
        follower.sink.end(); // one broken connection must not stop the others' feed
      }
    }
    this.position = batch[batch.length - 1].position;
  }

  /** Job types of the batch's jobs: from their JobSubmitted when in the batch, else from the job views. */
  private async learnJobTypes(batch: readonly RecordedEvent[]): Promise<void> {
    if (this.jobTypes.size > MAX_REMEMBERED_JOB_TYPES) this.jobTypes.clear();
    const unknown = new Set<string>();
    for (const event of batch) {
      const jobId = jobIdOfStream(event.streamId);
      if (jobId === null || this.jobTypes.has(jobId)) continue;
      const jobType = event.type === 'JobSubmitted' ? (event.data as { jobType?: unknown }).jobType : undefined;
      if (typeof jobType === 'string') this.jobTypes.set(jobId, jobType);
      else unknown.add(jobId);
    }
    if (unknown.size === 0) return;
    for (const [jobId, jobType] of await this.reads.readJobTypes([...unknown])) this.jobTypes.set(jobId, jobType);
  }
}
