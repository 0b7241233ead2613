/**
 * A read-through cache of job documents for a store only this process writes (the
 * embedded PGlite database: its folder can be opened by one process only). The job
 * projection is the sole writer, and every write passes through here after its
 * commit, so a cached document is never older than the checkpoint a query waited for.
 * Never used with a shared PostgreSQL, where other processes write too.
 */
import type { GlobalPosition } from '../../event-store/src/event-store.port.js';
import type { JobState, ProjectQueueState } from '../../job-domain/src/index.js';
import type { JobReadStore } from './read-store.port.js';

const DEFAULT_CAPACITY = 50_000;

export function withSingleProcessJobCache<T extends JobReadStore>(store: T, capacity = DEFAULT_CAPACITY): T {
  const cache = new Map<string, JobState>();
  const remember = (doc: JobState) => {
    cache.delete(doc.jobId); // re-insert: Map order is the LRU order
    cache.set(doc.jobId, doc);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'getJob') {
        return async (tenantId: string, projectId: string, jobId: string): Promise<JobState | null> => {
          const cached = cache.get(jobId);
          if (cached) return cached.tenantId === tenantId && cached.projectId === projectId ? cached : null;
          const doc = await target.getJob(tenantId, projectId, jobId);
          if (doc) remember(doc);
          return doc;
        };
      }
      if (property === 'applyJobDocuments') {
        return async (
          projection: string, expected: GlobalPosition, next: GlobalPosition, documents: readonly JobState[],
          queues?: readonly ProjectQueueState[],
        ) => {
          await target.applyJobDocuments(projection, expected, next, documents, queues);
          for (const doc of documents) remember(doc);
        };
      }
      if (property === 'resetJobProjection') {
        return async (projection: string) => {
          cache.clear();
          await target.resetJobProjection(projection);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
