/**
 * EventStore on KurrentDB (EventStoreDB) through the official gRPC client.
 *
 * - A global position is $all's own {commit, prepare} pair; START_POSITION maps to START.
 * - Expected revisions map one to one to the client's stream state (bigint, NO_STREAM);
 *   'any' is turned into an exact revision after a duplicate check, because the server's
 *   own idempotency for ANY is best effort only (an in-memory cache of recent event ids).
 * - A repeated append of the same event ids is answered with the first append's result,
 *   whatever its expected revision says (the server dedupes only a retry with the same
 *   expected revision; on a conflict the adapter looks the ids up in the stream).
 * - After each append the batch's last event is read back, so the returned position is
 *   exactly the one readStream/readAll report for it (read-your-writes waits on it).
 * - $all holds system records too ($-prefixed event types and streams): they are skipped.
 * - subscribe = readAll in batches; when caught up it waits for a live subscribeToAll to
 *   signal new events (or a poll interval, should the live subscription drop).
 *
 * Requires KurrentDB / EventStoreDB 22.6 or later (stream reads carry event positions).
 */
import {
  ANY,
  BACKWARDS,
  END,
  KurrentDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamSubscription,
  type AppendStreamState,
  type EventData,
  type JSONType,
  type Position,
  type ReadPosition,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import {
  START_POSITION,
  WrongExpectedRevisionError,
  comparePositions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type SubscriptionHandle,
  inScope,
} from '../event-store.port.js';
import { NO_UPCASTERS, type EventUpcasters } from '../event-upcasters.js';

// ---------------------------------------------------------------------------------------
// Mapping between the port and the driver (pure; unit-tested without a server).
// ---------------------------------------------------------------------------------------

/** Metadata keys the adapter adds next to the caller's metadata and strips on read. */
const SCHEMA_VERSION_KEY = '$schemaVersion';
// KurrentDB's system projections ($by_correlation_id) read these two keys.
const CORRELATION_KEY = '$correlationId';
const CAUSATION_KEY = '$causationId';
const ADAPTER_KEYS = [SCHEMA_VERSION_KEY, CORRELATION_KEY, CAUSATION_KEY];

/** Exclusive lower bound of the port → the driver's (inclusive) read start. */
export function toReadPosition(after: GlobalPosition | undefined): ReadPosition {
  if (!after || after.commit < 0n || after.prepare < 0n) return START;
  return { commit: after.commit, prepare: after.prepare };
}

export function fromKurrentPosition(position: Position): GlobalPosition {
  return { commit: BigInt(position.commit), prepare: BigInt(position.prepare) };
}

export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'any') return ANY;
  if (expected < 0n) throw new RangeError(`expected revision must be >= 0, got ${expected}`);
  return expected;
}

/** The driver's conflict → the port's, keeping the caller's expected revision and the actual one. */
export function toWrongExpectedRevisionError(
  streamId: string,
  expected: ExpectedRevision,
  error: WrongExpectedVersionError,
): WrongExpectedRevisionError {
  const actual = error.actualState;
  return new WrongExpectedRevisionError(streamId, expected, actual === NO_STREAM || actual === undefined ? 'no_stream' : BigInt(actual));
}

export function toEventData(event: NewEvent): EventData {
  const metadata: Record<string, unknown> = {
    ...event.metadata,
    [SCHEMA_VERSION_KEY]: event.schemaVersion,
    [CORRELATION_KEY]: event.metadata.correlationId,
    [CAUSATION_KEY]: event.metadata.causationId,
  };
  // The id is the caller's: a retried append carries the same ids and the server dedupes it.
  return jsonEvent({ id: event.eventId, type: event.type, data: event.data as JSONType, metadata });
}

/** System records of $all: link events ($>), metadata ($$...), stats, scavenges, projections. */
export function isSystemEvent(event: { readonly type: string; readonly streamId: string }): boolean {
  return event.type.startsWith('$') || event.streamId.startsWith('$');
}

/** A driver event → the port's RecordedEvent; null for system events and non-JSON records. */
export function toRecordedEvent(event: KurrentRecordedEvent): RecordedEvent | null {
  if (isSystemEvent(event) || !event.isJson) return null;
  if (!event.position) {
    throw new Error('KurrentDB returned an event without its position: the server must be 22.6 or later');
  }
  const raw = (event.metadata && !(event.metadata instanceof Uint8Array) && typeof event.metadata === 'object' && !Array.isArray(event.metadata)
    ? event.metadata
    : {}) as Record<string, unknown>;
  const metadata: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!ADAPTER_KEYS.includes(key)) metadata[key] = value;
  const schemaVersion = raw[SCHEMA_VERSION_KEY];
  return {
    eventId: event.id,
    type: event.type,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : 1,
    data: event.data,
    metadata: metadata as EventMetadata,
    streamId: event.streamId,
    revision: BigInt(event.revision),
    position: fromKurrentPosition(event.position),
    recordedAt: event.created.toISOString(),
  };
}

/**
 * When the batch's first event id is already in the stream, the batch was appended before:
 * answer with that append's last event (highest revision among the batch's ids).
 */
export function findEarlierAppend(stream: readonly RecordedEvent[], events: readonly NewEvent[]): AppendResult | null {
  const ids = new Set(events.map((e) => e.eventId.toLowerCase()));
  const first = events[0].eventId.toLowerCase();
  if (!stream.some((e) => e.eventId.toLowerCase() === first)) return null;
  let last: RecordedEvent | null = null;
  for (const e of stream) if (ids.has(e.eventId.toLowerCase()) && (!last || e.revision > last.revision)) last = e;
  return last && { nextRevision: last.revision, position: last.position };
}

// ---------------------------------------------------------------------------------------

export interface KurrentDbEventStoreOptions {
  /** Events per subscription batch when the caller gives none. */
  readonly batchSize?: number;
  /** Fallback poll when caught up, should the live subscription miss or drop. */
  readonly pollIntervalMs?: number;
  /** Pause before a failed batch (or read) is tried again. */
  readonly retryDelayMs?: number;
  /** Turn older stored schema versions into the current shapes on every read. */
  readonly upcasters?: EventUpcasters;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Bound on the read-check-append rounds of one 'any' append under contention. */
const MAX_ANY_ATTEMPTS = 50;

type TryAppend = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly actual: bigint | 'no_stream' };

export class KurrentDbEventStore implements EventStore {
  private readonly subscriptions = new Set<SubscriptionHandle>();
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly retryDelayMs: number;
  private readonly upcasters: EventUpcasters;
  private closed = false;

  constructor(
    private readonly client: KurrentDBClient,
    options: KurrentDbEventStoreOptions = {},
  ) {
    this.upcasters = options.upcasters ?? NO_UPCASTERS;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.retryDelayMs = options.retryDelayMs ?? 500;
  }

  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) throw new Error('append: at least one event is required');
    if (expected === 'any') return this.appendAny(streamId, events);
    const attempt = await this.tryAppend(streamId, events, toStreamState(expected));
    if (attempt.ok) return attempt.result;
    // A conflict may be a retry of an append that already happened: then it is a no-op.
    const earlier = findEarlierAppend(await this.readStream(streamId), events);
    if (earlier) return earlier;
    throw new WrongExpectedRevisionError(streamId, expected, attempt.actual);
  }

  /** 'any' as check-then-append with the exact revision seen, so a repeat never duplicates. */
  private async appendAny(streamId: string, events: readonly NewEvent[]): Promise<AppendResult> {
    let hint: bigint = -1n;
    for (let attempt = 1; ; attempt++) {
      const stream = await this.readStream(streamId);
      const earlier = findEarlierAppend(stream, events);
      if (earlier) return earlier;
      const seen = stream.length ? stream[stream.length - 1].revision : -1n;
      const current = seen > hint ? seen : hint;
      const result = await this.tryAppend(streamId, events, current < 0n ? NO_STREAM : current);
      if (result.ok) return result.result;
      if (attempt >= MAX_ANY_ATTEMPTS) throw new WrongExpectedRevisionError(streamId, 'any', result.actual);
      // The actual revision from the conflict also covers a truncated or deleted stream.
      hint = result.actual === 'no_stream' ? -1n : result.actual;
      await sleep(Math.random() * 5);
    }
  }

  private async tryAppend(streamId: string, events: readonly NewEvent[], streamState: AppendStreamState): Promise<TryAppend> {
    let written;
    try {
      written = await this.client.appendToStream(streamId, events.map(toEventData), { streamState });
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        return { ok: false, actual: toWrongExpectedRevisionError(streamId, 'any', error).actual };
      }
      throw error;
    }
    if (!written.success) {
      return { ok: false, actual: written.nextExpectedRevision < 0n ? 'no_stream' : written.nextExpectedRevision };
    }
    // Read the last event back: its $all position is the one readers will report (the
    // append's own answer has no position when the server deduplicated the batch).
    const [last] = await this.readStream(streamId, { fromRevision: written.nextExpectedRevision, maxCount: 1 });
    const lastId = events[events.length - 1].eventId.toLowerCase();
    if (last && last.eventId.toLowerCase() === lastId) {
      return { ok: true, result: { nextRevision: last.revision, position: last.position } };
    }
    // A deduplicated append may answer with the stream's current revision rather than the
    // first append's: look the batch up where it really is.
    const earlier = findEarlierAppend(await this.readStream(streamId), events);
    if (earlier) return { ok: true, result: earlier };
    throw new Error(`append to ${streamId}: revision ${written.nextExpectedRevision} does not hold event ${lastId}`);
  }

  async readStream(streamId: string, options: { fromRevision?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        fromRevision: options.fromRevision ?? START,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read) {
        const recorded = resolved.event && toRecordedEvent(resolved.event);
        if (recorded) out.push(this.upcasters.upcast(recorded));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const maxCount = options.maxCount ?? 1000;
    if (maxCount <= 0) return [];
    const out: RecordedEvent[] = [];
    let cursor = options.after ?? START_POSITION;
    let from = toReadPosition(options.after);
    // The driver's start is inclusive and the server filter is best effort, so read one
    // more than needed, drop what is not after the cursor, and page on until full or at the end.
    while (out.length < maxCount) {
      const want = maxCount - out.length + 1;
      let read = 0;
      let lastPosition: GlobalPosition | null = null;
      for await (const resolved of this.client.readAll({ fromPosition: from, maxCount: want, filter: excludeSystemEvents() })) {
        read += 1;
        const event = resolved.event;
        if (!event) continue;
        const position = fromKurrentPosition(event.position);
        lastPosition = position;
        if (comparePositions(position, cursor) <= 0) continue;
        const recorded = toRecordedEvent(event);
        if (recorded && inScope(recorded, options.scope)) out.push(this.upcasters.upcast(recorded));
        if (out.length >= maxCount) break;
      }
      if (read < want || out.length >= maxCount || !lastPosition || comparePositions(lastPosition, cursor) <= 0) break;
      cursor = lastPosition;
      from = { commit: lastPosition.commit, prepare: lastPosition.prepare };
    }
    return out;
  }

  async readHead(): Promise<GlobalPosition> {
    // $all backwards from its end; the filter skips the server's own events.
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, filter: excludeSystemEvents() })) {
      if (resolved.event?.position) return fromKurrentPosition(resolved.event.position);
    }
    return START_POSITION;
  }

  subscribe(handler: (events: RecordedEvent[]) => Promise<void>, options: SubscribeOptions = {}): SubscriptionHandle {
    if (this.closed) throw new Error('event store is closed');
    const batchSize = options.batchSize ?? this.batchSize;
    let position: GlobalPosition = options.after ?? START_POSITION;
    let stopped = false;
    let signalled = false;
    let wake: (() => void) | undefined;

    const pause = (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = undefined;
          resolve();
        }
        wake = done;
      });

    // Only a doorbell: events are always read through readAll from our own position, so a
    // dropped or late live subscription costs at most one poll interval, never an event.
    let live: AllStreamSubscription | undefined;
    try {
      live = this.client.subscribeToAll({ fromPosition: END, filter: excludeSystemEvents() });
      live.on('data', () => {
        signalled = true;
        wake?.();
      });
      live.on('error', () => undefined);
    } catch {
      live = undefined;
    }

    const loop = (async () => {
      let pending: RecordedEvent[] | null = null; // a failed batch, delivered again as it was
      while (!stopped) {
        if (!pending) {
          signalled = false;
          try {
            const batch = await this.readAll({ after: position, maxCount: batchSize });
            if (batch.length === 0) {
              if (!signalled && !stopped) await pause(this.pollIntervalMs);
              continue;
            }
            pending = batch;
          } catch (error) {
            if (stopped) break;
            options.onError?.(error);
            await pause(this.retryDelayMs);
            continue;
          }
        }
        if (stopped) break;
        try {
          await handler(pending);
          position = pending[pending.length - 1].position;
          pending = null;
        } catch (error) {
          options.onError?.(error);
          if (!stopped) await pause(this.retryDelayMs);
        }
      }
    })();

    const handle: SubscriptionHandle = {
      stop: async () => {
        if (stopped) return loop;
        stopped = true;
        wake?.();
        this.subscriptions.delete(handle);
        await live?.unsubscribe().catch(() => undefined);
        await loop;
      },
    };
    this.subscriptions.add(handle);
    return handle;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }
}

export interface CreateKurrentDbEventStoreOptions extends KurrentDbEventStoreOptions {
  /** e.g. `kurrentdb://127.0.0.1:2113?tls=false` (also `esdb://...`). */
  readonly connectionString: string;
}

/** Opens a KurrentDB event store; the gRPC connection is made on first use. */
export async function createKurrentDbEventStore(options: CreateKurrentDbEventStoreOptions): Promise<KurrentDbEventStore> {
  const { connectionString, ...rest } = options;
  return new KurrentDbEventStore(KurrentDBClient.connectionString(connectionString), rest);
}
