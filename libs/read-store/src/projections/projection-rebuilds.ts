/**
 * The rebuildable projections of a process: starts a blue/green rebuild (one at a time,
 * across processes: RebuildLock), tells the state of the one in progress, and reports each
 * projection's status (checkpoint, lag, leader). The admin endpoints, the CLI and SIGUSR2 use it.
 */
import { formatPosition, type EventStore, type GlobalPosition, type RecordedEvent } from '../../../event-store/src/event-store.port.js';
import type { JobViewRebuilds } from '../job-view-rebuilds.port.js';
import type { JobReadStore } from '../read-store.port.js';
import { JOB_PROJECTION, type JobProjection } from './job-projection.js';
import { JobViewRebuild, REBUILD_BATCH_SIZE, type RebuildState } from './job-view-rebuild.js';

/** The projections a rebuild can replace (their read model's name). */
export const REBUILDABLE_PROJECTIONS: readonly string[] = [JOB_PROJECTION];

/** Lag counts stop here, so a status read stays one short index range however far behind. */
export const LAG_EVENTS_CAP = 10_000;

export class UnknownProjectionError extends Error {
  constructor(readonly projection: string) {
    super(`unknown projection '${projection}'; known: ${REBUILDABLE_PROJECTIONS.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

export class RebuildAlreadyRunningError extends Error {
  constructor(readonly projection: string, readonly runningIn: string | null, readonly state: RebuildState | null) {
    super(`a rebuild of ${projection} is already running${runningIn ? ` in ${runningIn}` : ''}`);
    this.name = 'RebuildAlreadyRunningError';
  }
}

/** One rebuild at a time per projection across every process of the store. */
export interface RebuildLock {
  /** The release function once taken; null when another holds it. */
  tryAcquire(projection: string): Promise<(() => Promise<void>) | null>;
  /** The process holding it (its name), null when free. */
  holder(projection: string): Promise<string | null>;
}

/** A rebuild running in another process: what this one can know of it. */
export interface RemoteRebuild {
  readonly projection: string;
  readonly phase: 'running elsewhere';
  readonly runningIn: string;
}

export interface ProjectionStatus {
  readonly name: string;
  /** The position every event before which is in the read model ("commit/prepare", as the event feed shows positions). */
  readonly checkpoint: string;
  /** Events after the checkpoint, counted up to LAG_EVENTS_CAP; null when unknown. */
  readonly lagEvents: number | null;
  /** Age of the oldest event after the checkpoint in seconds, 0 when caught up; null when unknown. */
  readonly lagSeconds: number | null;
  /** The process leading the projection's role; null when none does right now. */
  readonly leader: string | null;
  readonly rebuilding: RebuildState | RemoteRebuild | null;
}

export interface ProjectionRebuildsOptions {
  readonly rebuilds: JobViewRebuilds;
  readonly events: EventStore & { countAfter?(after: GlobalPosition, cap: number): Promise<number> };
  readonly store: JobReadStore;
  readonly lock: RebuildLock;
  /** Who leads the job projection role (the leader election's view). */
  readonly leader: () => Promise<string | null>;
  /** The projection when it runs in this process: it follows the new checkpoint at once after a switch. */
  readonly projection?: JobProjection;
  readonly batchSize?: number;
  readonly logger?: { log(message: string): void; warn(message: string): void };
}

export class ProjectionRebuilds {
  private running: JobViewRebuild | null = null;
  private last: RebuildState | null = null;

  constructor(private readonly options: ProjectionRebuildsOptions) {}

  /** Starts a rebuild and resolves once it runs (its state), leaving it to finish in the background. */
  async start(name: string): Promise<{ state: RebuildState; done: Promise<RebuildState> }> {
    if (!REBUILDABLE_PROJECTIONS.includes(name)) throw new UnknownProjectionError(name);
    if (this.running) throw new RebuildAlreadyRunningError(name, null, this.running.state);
    const release = await this.options.lock.tryAcquire(name);
    if (!release) throw new RebuildAlreadyRunningError(name, await this.options.lock.holder(name).catch(() => null), null);
    if (this.running) {
      await release();
      throw new RebuildAlreadyRunningError(name, null, (this.running as JobViewRebuild).state);
    }
    const rebuild = new JobViewRebuild(this.options.rebuilds, name, this.options.batchSize ?? REBUILD_BATCH_SIZE);
    this.running = rebuild;
    const logger = this.options.logger ?? console;
    logger.log(`rebuilding ${name} from position 0 into a fresh copy`);
    const done = rebuild.run().then(async (state) => {
      await this.options.projection?.followStoredCheckpoint().catch((error: unknown) => logger.warn(`job projection did not resume: ${String(error)}`));
      logger.log(`${name} rebuilt from position 0 and switched: ${state.eventsFolded} events (${state.jobEventsFolded} job events) folded`);
      return state;
    }).catch((error: unknown) => {
      logger.warn(`rebuild of ${name} failed, the live read model is unchanged: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    }).finally(async () => {
      this.last = rebuild.state;
      this.running = null;
      await release().catch(() => undefined);
    });
    // A rebuild started in the background reports its failure in the log and its state.
    done.catch(() => undefined);
    return { state: rebuild.state, done };
  }

  /** The rebuild running in this process, else the last one it ran (null: none). */
  rebuildState(): RebuildState | null {
    return this.running?.state ?? this.last;
  }

  async status(): Promise<ProjectionStatus[]> {
    return [await this.jobViewsStatus()];
  }

  private async jobViewsStatus(): Promise<ProjectionStatus> {
    const { events, store } = this.options;
    const position = this.options.projection?.handledPosition ?? await store.loadCheckpoint(JOB_PROJECTION);
    const [lagEvents, oldest, leader, remoteHolder] = await Promise.all([
      events.countAfter ? events.countAfter(position, LAG_EVENTS_CAP).catch(() => null) : Promise.resolve(null),
      events.readAll({ after: position, maxCount: 1 }).then((batch): RecordedEvent | 'none' => batch[0] ?? 'none', () => null),
      this.options.leader().catch(() => null),
      this.running ? Promise.resolve(null) : this.options.lock.holder(JOB_PROJECTION).catch(() => null),
    ]);
    const lagSeconds = oldest === null ? null : oldest === 'none' ? 0 : Math.max(0, (Date.now() - Date.parse(oldest.recordedAt)) / 1000);
    const rebuilding: RebuildState | RemoteRebuild | null = this.running
      ? this.running.state
      : remoteHolder ? { projection: JOB_PROJECTION, phase: 'running elsewhere', runningIn: remoteHolder } : null;
    return { name: JOB_PROJECTION, checkpoint: formatPosition(position), lagEvents, lagSeconds, leader, rebuilding };
  }
}

/** The lock of a store one process owns (the embedded one): this process's own bookkeeping. */
export function inProcessRebuildLock(processName: string): RebuildLock {
  const held = new Set<string>();
  return {
    async tryAcquire(projection) {
      if (held.has(projection)) return null;
      held.add(projection);
      return async () => {
        held.delete(projection);
      };
    },
    async holder(projection) {
      return held.has(projection) ? processName : null;
    },
  };
}
