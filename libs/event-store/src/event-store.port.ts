/**
 * The event store port: the only source of truth. Every adapter (PostgreSQL server,
 * PGlite in-process, KurrentDB) satisfies the same contract suite
 * (`event-store.contract.ts`).
 */

/**
 * A place in the global order ($all). Modelled on EventStoreDB's commit/prepare pair:
 * for PostgreSQL `commit` is the appending transaction's xid8 and `prepare` the event's
 * bigserial; the order is (commit, prepare) lexicographically. Subscribers never see a
 * position below one they already saw, even when transactions commit out of order.
 */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

export const START_POSITION: GlobalPosition = Object.freeze({ commit: -1n, prepare: -1n });

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** JSON-safe text form ("commit/prepare") for checkpoints and API responses. */
export function formatPosition(p: GlobalPosition): string {
  return `${p.commit}/${p.prepare}`;
}

export function parsePosition(text: string): GlobalPosition {
  const match = /^(-?\d+)\/(-?\d+)$/.exec(text);
  if (!match) throw new Error(`not a global position: ${text}`);
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}

export interface EventMetadata {
  readonly tenantId: string;
  readonly projectId: string;
  readonly actor: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly occurredAt: string; // ISO 8601 UTC
  readonly [extra: string]: unknown;
}

/** An event as the writer hands it to append. `eventId` makes appends idempotent. */
export interface NewEvent<Data = unknown> {
  readonly eventId: string; // UUID
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: Data;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent<Data = unknown> extends NewEvent<Data> {
  readonly streamId: string;
  /** 0-based index of this event in its stream. */
  readonly revision: bigint;
  readonly position: GlobalPosition;
  readonly recordedAt: string; // ISO 8601 UTC
}

/**
 * Expected revision of the stream before the append:
 * - a bigint: the revision of the stream's last event (exact match required);
 * - 'no_stream': the stream must not exist yet;
 * - 'any': no check.
 */
export type ExpectedRevision = bigint | 'no_stream' | 'any';

export interface AppendResult {
  /** Revision of the last event appended (the stream's new revision). */
  readonly nextRevision: bigint;
  /** Global position of the last event appended. */
  readonly position: GlobalPosition;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual revision, or 'no_stream'. */
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

export interface ReadAllOptions {
  /** Exclusive lower bound. */
  readonly after?: GlobalPosition;
  readonly maxCount?: number;
  /** Only events whose metadata names this tenant and project (a project's export). */
  readonly scope?: EventScope;
}

export interface EventScope {
  readonly tenantId: string;
  readonly projectId: string;
}

export function inScope(event: { readonly metadata: EventMetadata }, scope: EventScope | undefined): boolean {
  return !scope || (event.metadata.tenantId === scope.tenantId && event.metadata.projectId === scope.projectId);
}

export interface SubscriptionHandle {
  /** Stops the subscription and resolves once the handler is no longer running. */
  stop(): Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive lower bound: delivery starts with the first event after it. */
  readonly after?: GlobalPosition;
  readonly batchSize?: number;
  /** Called when the handler throws; the subscription retries the same batch after a pause. */
  readonly onError?: (error: unknown) => void;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** All events of one stream, in revision order; [] when the stream does not exist. */
  readStream(streamId: string, options?: { fromRevision?: bigint }): Promise<RecordedEvent[]>;
  /** Committed events after `options.after`, in global order, never skipping one committed late. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /**
   * The position of the newest event a reader can reach now (START_POSITION on an empty
   * store): readAll and subscribe after it deliver only what comes later.
   */
  readHead(): Promise<GlobalPosition>;
  /**
   * Catch-up subscription: delivers every event after `after` in batches, in global order,
   * then keeps delivering new ones. At least once: a batch whose handler throws is
   * delivered again.
   */
  subscribe(
    handler: (events: RecordedEvent[]) => Promise<void>,
    options?: SubscribeOptions,
  ): SubscriptionHandle;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EventStore');
