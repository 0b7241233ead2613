/**
 * What the queue benchmark needs of each system it compares: start its processes, submit
 * one job, learn when jobs ended (with their start and end times), name its processes by
 * kind for the CPU readings, stop.
 */

/** Wall-clock times (Date.now() in ms, taken on this machine) of one job. */
export interface JobTimes {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly failed: boolean;
}

export interface RunningSystem {
  /** Submits the job numbered `key` (unique in the run); resolves once the system acknowledged it. */
  submit(key: number): Promise<void>;
  /** Resolves once every job in `keys` has ended (learnt without asking the store, so the counts stay the jobs' own). */
  waitForEnd(keys: readonly number[], timeoutMs: number): Promise<void>;
  /** Root pids of the system's processes by kind (each root's children are counted with it). */
  processes(): { readonly api: readonly number[]; readonly worker: readonly number[] };
  stop(): Promise<void>;
}

export interface SystemUnderTest {
  readonly label: string;
  /** Its database on the bench PostgreSQL cluster (statements and commits are counted there), or null. */
  readonly database: string | null;
  readonly usesRedis: boolean;
  /** Creates what the system needs once (database, schema, queue). */
  prepare(): Promise<void>;
  start(): Promise<RunningSystem>;
  /** The times of ended jobs (of this or an earlier start); needs a started system. */
  timesOf(keys: readonly number[]): Promise<Map<number, JobTimes>>;
  /** Removes what `prepare` created outside the cluster (Redis keys). */
  cleanup(): Promise<void>;
}
