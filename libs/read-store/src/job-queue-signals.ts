/**
 * "A job became claimable": said by whoever writes the queue (the job projection, once a
 * batch that leaves jobs Queued is committed) and heard by every execution node, so a free
 * node claims at once instead of waiting for its poll. A hint, never the truth: a lost
 * signal only delays a claim until the node's fallback poll, and a spurious one costs one
 * empty claim round.
 */
import type { SqlClient } from '../../event-store/src/postgres/sql-client.js';
import type { JobState } from '../../job-domain/src/index.js';
import type { JobReadStore } from './read-store.port.js';

export interface JobQueueSignals {
  /** Calls `listener` whenever a job may have become claimable; returns the function that stops it. */
  onJobQueued(listener: () => void): Promise<() => Promise<void>>;
  /** Tells every listener, in this process and (on a server) in every other, that a job may be claimable. */
  announceJobQueued(): void;
  close(): Promise<void>;
}

export const JOB_QUEUED_CHANNEL = 'jobs_queued';

/** Channels are per database, not per schema: each schema (a deployment of its own) gets its own, so they never wake each other. */
export function jobQueuedChannel(schema: string | undefined): string {
  return schema === undefined ? JOB_QUEUED_CHANNEL : `${JOB_QUEUED_CHANNEL}__${schema}`.slice(0, 63);
}

/** One process owns the store (PGlite): listeners are called directly, nothing goes through SQL. */
export function inProcessJobQueueSignals(): JobQueueSignals {
  const listeners = new Set<() => void>();
  return {
    async onJobQueued(listener) {
      const own = () => listener(); // a listener added twice is two subscriptions
      listeners.add(own);
      return async () => void listeners.delete(own);
    },
    announceJobQueued() {
      // After the announcer's own work, never inside it.
      queueMicrotask(() => {
        for (const listener of listeners) listener();
      });
    },
    async close() {
      listeners.clear();
    },
  };
}

/**
 * A PostgreSQL server shared by many processes: NOTIFY on `jobs_queued` (per schema), heard on the
 * client's LISTEN connection (which reconnects and then wakes every listener, since a
 * notification may have been missed meanwhile). Bursts are coalesced: one NOTIFY in flight,
 * and at most one more for everything announced while it was.
 */
export function postgresJobQueueSignals(sql: SqlClient, onError: (error: unknown) => void = () => undefined): JobQueueSignals {
  const channel = jobQueuedChannel(sql.schema);
  let notifying: Promise<void> | undefined;
  let again = false;
  const notifyLoop = async () => {
    do {
      again = false;
      await sql.query(`SELECT pg_notify($1, '')`, [channel]).catch(onError); // lost: the fallback poll finds the job
    } while (again);
  };
  return {
    onJobQueued: (listener) => sql.listen(channel, listener),
    announceJobQueued() {
      if (notifying) {
        again = true;
        return;
      }
      notifying = notifyLoop().finally(() => (notifying = undefined));
    },
    async close() {
      await notifying;
    },
  };
}

/**
 * The read store, announcing after each committed batch of job documents that leaves a job
 * Queued (submitted, requeued, a retry's new job, a scheduled one, a released one) or
 * resumes a project's queue: wherever a projection
 * runs, nodes hear of the jobs it makes claimable, and only once they can be claimed.
 */
export function withJobQueuedAnnouncements<T extends JobReadStore>(store: T, signals: JobQueueSignals): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'applyJobDocuments') {
        return async (...args: Parameters<JobReadStore['applyJobDocuments']>) => {
          await target.applyJobDocuments(...args);
          // A resumed project queue makes its waiting jobs claimable again, like a new job.
          if (args[3].some((doc: JobState) => doc.status === 'Queued') || args[4]?.some((queue) => queue.status === 'Active')) {
            signals.announceJobQueued();
          }
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
