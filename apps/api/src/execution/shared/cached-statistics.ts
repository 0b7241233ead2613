/**
 * Statistics the submit response and the system status read, computed at most once per
 * refresh interval per process (and once for concurrent callers), so their cost does not
 * grow with the request rate: node capacity from heartbeats, and the duration and wait
 * figures of a tenant's recent jobs. Each is a measured figure, at most a few seconds old.
 */
import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { JobType } from '../../../../../libs/job-domain/src/index.js';
import type {
  CompletionStatistics, DurationSample, ExecutionNodeRecord, QueueStatistics,
} from '../../../../../libs/read-store/src/read-store.port.js';
import type { Stores } from '../../../../../libs/storage/src/open-stores.js';
import { STORES } from './execution.tokens.js';
import { nodeCapacity, type NodeCapacity } from './node-capacity.js';

/** Heartbeats arrive every few seconds: capacity read more often would not be fresher. */
export const NODE_CAPACITY_REFRESH_MS = 1000;
/** Durations and waits of recent jobs move slowly; a few seconds of age do not change an estimate. */
export const JOB_STATISTICS_REFRESH_MS = 5000;
/** A polled job's place in the queue: read once per second for all who poll it, not once per request. */
export const QUEUE_POSITION_REFRESH_MS = 1000;
/** Recent completions a duration estimate fits its cost per record to. */
export const DURATION_SAMPLES = 500;

type Loader<V> = () => Promise<V>;

/**
 * A cache whose entries load through the caller's loader, once for concurrent callers, kept `ttlMs`;
 * a value `keep` refuses is answered but not kept.
 */
function refreshingCache<V extends object>(ttlMs: number, max = 10_000, keep: (value: V) => boolean = () => true) {
  const cache = new LRUCache<string, V, Loader<V>>({
    max, ttl: ttlMs, fetchMethod: (_key, _stale, { context }) => context(),
  });
  return async (key: string, load: Loader<V>): Promise<V> => {
    const value = (await cache.fetch(key, { context: load }))!;
    if (!keep(value)) cache.delete(key);
    return value;
  };
}

/**
 * Like refreshingCache, but a value past REREAD_AHEAD of its age limit is answered while one
 * caller reads the next one in the background, so polls of a hot key never wait for its
 * reread; a value at its age limit (or none) is waited for. Answers are never older than
 * `maxAgeMs`. A key polled all the time is read every REREAD_AHEAD × maxAgeMs.
 */
const REREAD_AHEAD = 0.8;

export function refreshAheadCache<V>(maxAgeMs: number, max = 10_000, clock: () => number = Date.now) {
  interface Entry { value?: { readonly value: V; readonly readAt: number }; reading?: Promise<V> }
  const cache = new LRUCache<string, Entry>({ max, ttl: maxAgeMs * 2 });
  const reread = (entry: Entry, load: Loader<V>): Promise<V> => {
    if (!entry.reading) {
      const readAt = clock(); // its age counts from before the read, so it is never understated
      entry.reading = load()
        .then((value) => {
          entry.value = { value, readAt };
          return value;
        })
        .finally(() => (entry.reading = undefined));
    }
    return entry.reading;
  };
  return async (key: string, load: Loader<V>): Promise<V> => {
    let entry = cache.get(key);
    if (!entry) cache.set(key, (entry = {}));
    const age = entry.value ? clock() - entry.value.readAt : Infinity;
    if (age < maxAgeMs * REREAD_AHEAD) return entry.value!.value;
    if (age < maxAgeMs) {
      reread(entry, load).catch(() => undefined); // a failed background read: the next caller past the limit reads again
      return entry.value!.value;
    }
    return reread(entry, load);
  };
}

@Injectable()
export class CachedStatistics {
  private readonly nodes = refreshingCache<ExecutionNodeRecord[]>(NODE_CAPACITY_REFRESH_MS, 1);
  // "Nothing completed yet" is not kept: the first completions must show in the next estimate, and
  // the query over an empty history is an index probe.
  private readonly completions = refreshingCache<CompletionStatistics>(
    JOB_STATISTICS_REFRESH_MS, 10_000, (statistics) => statistics.completed > 0 || statistics.failed > 0,
  );
  private readonly queues = refreshingCache<QueueStatistics>(JOB_STATISTICS_REFRESH_MS);
  private readonly samples = refreshingCache<DurationSample[]>(JOB_STATISTICS_REFRESH_MS, 10_000, (samples) => samples.length > 0);
  // Read ahead: when 200 polled jobs' positions expired each second, the polls that waited for the
  // reread were the slowest hundredth of all status requests.
  private readonly positions = refreshAheadCache<number | null>(QUEUE_POSITION_REFRESH_MS);

  constructor(@Inject(STORES) private readonly stores: Stores) {}

  /** The node heartbeats, read at most once per NODE_CAPACITY_REFRESH_MS. */
  listNodes(): Promise<ExecutionNodeRecord[]> {
    return this.nodes('all', () => this.stores.jobs.listNodes());
  }

  /** Capacity and load of the nodes heard from within `leaseSeconds` of `now`. */
  async liveCapacity(now: Date, leaseSeconds: number): Promise<NodeCapacity> {
    return nodeCapacity(await this.listNodes(), now, leaseSeconds);
  }

  /** completionStatistics over the window starting at `since`; `windowKey` names the window (since moves with the clock). */
  completionStatistics(scope: { tenantId: string; jobType?: JobType }, since: Date, windowKey: string): Promise<CompletionStatistics> {
    return this.completions(`${scope.tenantId}|${scope.jobType ?? '*'}|${windowKey}`,
      () => this.stores.jobs.completionStatistics(scope, since));
  }

  /** durationSamples (newest DURATION_SAMPLES) over the window starting at `since`, named by `windowKey`. */
  durationSamples(scope: { tenantId: string; jobType: JobType }, since: Date, windowKey: string): Promise<DurationSample[]> {
    return this.samples(`${scope.tenantId}|${scope.jobType}|${windowKey}`,
      () => this.stores.jobs.durationSamples(scope, since, DURATION_SAMPLES));
  }

  /**
   * The job's queuePosition as read at most QUEUE_POSITION_REFRESH_MS ago (job status polling);
   * keyed by the job's revision too, so a change of the job itself (hold, priority) is never answered stale.
   */
  async queuePosition(job: { jobId: string; revision: number }, now: Date): Promise<number | null> {
    // The read's own clock: a background reread answers later polls too.
    return this.positions(`${job.jobId}@${job.revision}`, () => this.stores.jobs.queuePosition(job.jobId, new Date(Math.max(Date.now(), now.getTime()))));
  }

  queueStatistics(tenantId: string, since: Date, windowKey: string): Promise<QueueStatistics> {
    return this.queues(`${tenantId}|${windowKey}`, () => this.stores.jobs.queueStatistics(tenantId, since));
  }
}
