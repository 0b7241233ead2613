/**
 * The contract every EventStore adapter satisfies. Each adapter's `*.int.spec.ts` calls
 * `describeEventStoreContract` with a factory that opens a real store.
 *
 * One store serves the whole suite, so tests use fresh stream ids and read $all relative
 * to the head they observed before appending.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { quietPeriod, waitFor } from '../../../test/support/wait-for.js';
import {
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type RecordedEvent,
  START_POSITION,
  WrongExpectedRevisionError,
  comparePositions,
  formatPosition,
} from './event-store.port.js';

export interface EventStoreContractSubject {
  readonly store: EventStore;
  cleanup(): Promise<void>;
  /**
   * Optional: appends inside a transaction that stays open for `delayMs` before committing,
   * so the concurrency test gets transactions committing out of position order. Adapters
   * with a single connection (PGlite) leave it out and race plain promises.
   */
  appendWithCommitDelay?(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
    delayMs: number,
  ): Promise<AppendResult>;
}

export type EventStoreContractFactory = () => Promise<EventStoreContractSubject>;

export function newTestEvent(data: unknown = { n: 1 }, type = 'TestEventHappened'): NewEvent {
  return {
    eventId: randomUUID(),
    type,
    schemaVersion: 1,
    data,
    metadata: {
      tenantId: 'tenant-a',
      projectId: 'project-1',
      actor: 'user:contract',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      occurredAt: new Date().toISOString(),
    },
  };
}


function uniqueStream(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** Polls `condition` every 10 ms until it holds; throws after `timeoutMs`. */
async function waitUntil(condition: () => boolean, timeoutMs = 15000): Promise<void> {
  await waitFor(condition, timeoutMs, 10);
}

export function describeEventStoreContract(name: string, factory: EventStoreContractFactory): void {
  describe(`EventStore contract: ${name}`, () => {
    let subject: EventStoreContractSubject;
    let store: EventStore;

    beforeAll(async () => {
      subject = await factory();
      store = subject.store;
    });

    afterAll(async () => {
      await subject?.cleanup();
    });

    /** The position of the last event currently readable in $all. */
    async function head(): Promise<GlobalPosition> {
      let position = START_POSITION;
      for (;;) {
        const page = await store.readAll({ after: position, maxCount: 1000 });
        if (page.length === 0) return position;
        position = page[page.length - 1].position;
      }
    }

    describe('append', () => {
      it('creates a stream with no_stream and returns revision 0 and a position', async () => {
        const stream = uniqueStream('job');
        const event = newTestEvent();
        const result = await store.append(stream, [event], 'no_stream');
        expect(result.nextRevision).toBe(0n);
        expect(comparePositions(result.position, START_POSITION)).toBeGreaterThan(0);

        const recorded = await store.readStream(stream);
        expect(recorded).toHaveLength(1);
        expect(recorded[0]).toMatchObject({ streamId: stream, revision: 0n, eventId: event.eventId });
        expect(recorded[0].position).toEqual(result.position);
      });

      it('appends with the exact expected revision', async () => {
        const stream = uniqueStream('job');
        const first = await store.append(stream, [newTestEvent(), newTestEvent()], 'no_stream');
        expect(first.nextRevision).toBe(1n);
        const second = await store.append(stream, [newTestEvent()], 1n);
        expect(second.nextRevision).toBe(2n);
        expect(comparePositions(second.position, first.position)).toBeGreaterThan(0);

        const recorded = await store.readStream(stream);
        expect(recorded.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('rejects a wrong expected revision with the actual one and writes nothing', async () => {
        const stream = uniqueStream('job');
        await store.append(stream, [newTestEvent(), newTestEvent(), newTestEvent()], 'no_stream');

        const stale = store.append(stream, [newTestEvent()], 1n);
        await expect(stale).rejects.toBeInstanceOf(WrongExpectedRevisionError);
        await expect(stale).rejects.toMatchObject({ streamId: stream, expected: 1n, actual: 2n });

        await expect(store.append(stream, [newTestEvent()], 'no_stream')).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          expected: 'no_stream',
          actual: 2n,
        });
        await expect(store.append(uniqueStream('missing'), [newTestEvent()], 0n)).rejects.toMatchObject({
          name: 'WrongExpectedRevisionError',
          expected: 0n,
          actual: 'no_stream',
        });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it("appends with 'any' whether or not the stream exists", async () => {
        const stream = uniqueStream('job');
        expect((await store.append(stream, [newTestEvent()], 'any')).nextRevision).toBe(0n);
        expect((await store.append(stream, [newTestEvent(), newTestEvent()], 'any')).nextRevision).toBe(2n);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      });

      it('treats a repeated append of the same event ids as a no-op returning the first result', async () => {
        const stream = uniqueStream('job');
        const before = await head();
        const batch = [newTestEvent({ i: 0 }), newTestEvent({ i: 1 })];
        const first = await store.append(stream, batch, 'no_stream');
        const again = await store.append(stream, batch, 'no_stream');
        expect(again).toEqual(first);

        await store.append(stream, [newTestEvent({ i: 2 })], 1n);
        // Still recognised after the stream moved on, whatever the expected revision says.
        expect(await store.append(stream, batch, 'no_stream')).toEqual(first);
        expect(await store.append(stream, batch, 'any')).toEqual(first);
        expect(await store.append(stream, batch, 0n)).toEqual(first);

        const recorded = await store.readStream(stream);
        expect(recorded.map((e) => e.data)).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
        const all = await store.readAll({ after: before, maxCount: 1000 });
        expect(all.filter((e) => e.streamId === stream)).toHaveLength(3);
      });

      it('treats concurrent retries of the same append as one append', async () => {
        const stream = uniqueStream('job');
        await store.append(stream, [newTestEvent()], 'no_stream');
        const batch = [newTestEvent({ retry: true })];
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.append(stream, batch, i % 2 === 0 ? 0n : 'any')),
        );
        for (const result of results) expect(result).toEqual(results[0]);
        expect(results[0].nextRevision).toBe(1n);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('round-trips data and metadata (nested JSON, unicode, numbers, nulls)', async () => {
        const stream = uniqueStream('job');
        const data = {
          name: 'Prozess-Analyse — ünïcödé ✓ 日本語 🚀',
          nested: { deep: { list: [1, 2.5, -3, { x: null }], flag: true, empty: {} }, text: 'line1\nline2 "quoted" \\ back' },
          big: Number.MAX_SAFE_INTEGER,
          nothing: null,
        };
        const event: NewEvent = {
          ...newTestEvent(data, 'JobSubmitted'),
          schemaVersion: 3,
          metadata: { ...newTestEvent().metadata, actor: 'user:jörg', extra: { retryOf: 'job-1', attempt: 2 } },
        };
        await store.append(stream, [event], 'no_stream');
        const [recorded] = await store.readStream(stream);
        expect(recorded.type).toBe('JobSubmitted');
        expect(recorded.schemaVersion).toBe(3);
        expect(recorded.eventId).toBe(event.eventId);
        expect(recorded.data).toEqual(data);
        expect(recorded.metadata).toEqual(event.metadata);
        expect(recorded.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
        expect(Math.abs(Date.parse(recorded.recordedAt) - Date.now())).toBeLessThan(60_000);
      });

      it('lets exactly one of several concurrent appends with the same expected revision win', async () => {
        const stream = uniqueStream('job');
        await store.append(stream, [newTestEvent()], 'no_stream');
        const attempts = await Promise.allSettled(
          Array.from({ length: 10 }, (_, i) => store.append(stream, [newTestEvent({ writer: i })], 0n)),
        );
        const won = attempts.filter((a) => a.status === 'fulfilled');
        const lost = attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(9);
        for (const loss of lost) {
          expect(loss.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect((loss.reason as WrongExpectedRevisionError).actual).toBe(1n);
        }
        expect(await store.readStream(stream)).toHaveLength(2);

        const fresh = uniqueStream('job');
        const creators = await Promise.allSettled(
          Array.from({ length: 6 }, () => store.append(fresh, [newTestEvent()], 'no_stream')),
        );
        expect(creators.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream(fresh)).toHaveLength(1);
      });
    });

    describe('append under load', () => {
      it('gives each of many concurrent appends its own outcome (mixed successes and conflicts)', async () => {
        const streams = Array.from({ length: 40 }, () => uniqueStream('mixed'));
        await Promise.all(streams.map((s) => store.append(s, [newTestEvent()], 'no_stream')));
        const outcomes = await Promise.allSettled(
          streams.map((s, i) =>
            store.append(s, [newTestEvent({ i }), newTestEvent({ i, second: true })], i % 2 === 0 ? 0n : 5n),
          ),
        );
        outcomes.forEach((outcome, i) => {
          if (i % 2 === 0) {
            expect(outcome.status).toBe('fulfilled');
            expect((outcome as PromiseFulfilledResult<AppendResult>).value.nextRevision).toBe(2n);
          } else {
            expect(outcome.status).toBe('rejected');
            expect((outcome as PromiseRejectedResult).reason).toMatchObject({
              name: 'WrongExpectedRevisionError',
              streamId: streams[i],
              expected: 5n,
              actual: 0n,
            });
          }
        });
        const lengths = await Promise.all(streams.map(async (s) => (await store.readStream(s)).length));
        expect(lengths).toEqual(streams.map((_, i) => (i % 2 === 0 ? 3 : 1)));
      });
    });

    describe('readStream', () => {
      it('returns events in revision order from a given revision, [] for an unknown stream', async () => {
        const stream = uniqueStream('job');
        const events = Array.from({ length: 5 }, (_, i) => newTestEvent({ i }));
        await store.append(stream, events.slice(0, 2), 'no_stream');
        await store.append(stream, events.slice(2), 1n);

        const all = await store.readStream(stream);
        expect(all.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
        expect(all.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
        const tail = await store.readStream(stream, { fromRevision: 2n });
        expect(tail.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        expect(await store.readStream(stream, { fromRevision: 5n })).toEqual([]);
        expect(await store.readStream(uniqueStream('missing'))).toEqual([]);
      });
    });

    describe('readAll', () => {
      it('returns events in global order, `after` exclusive, limited by maxCount', async () => {
        const before = await head();
        const streams = [uniqueStream('a'), uniqueStream('b'), uniqueStream('c')];
        const appended: NewEvent[] = [];
        for (let round = 0; round < 3; round++) {
          for (const stream of streams) {
            const batch = [newTestEvent({ round, stream })];
            if (round === 1) batch.push(newTestEvent({ round, stream, second: true }));
            await store.append(stream, batch, 'any');
            appended.push(...batch);
          }
        }
        const all = await store.readAll({ after: before, maxCount: 1000 });
        expect(all.map((e) => e.eventId)).toEqual(appended.map((e) => e.eventId));
        for (let i = 1; i < all.length; i++) {
          expect(comparePositions(all[i - 1].position, all[i].position)).toBeLessThan(0);
        }

        const afterThird = await store.readAll({ after: all[2].position, maxCount: 1000 });
        expect(afterThird.map((e) => e.eventId)).toEqual(appended.slice(3).map((e) => e.eventId));

        const page = await store.readAll({ after: all[4].position, maxCount: 2 });
        expect(page.map((e) => e.eventId)).toEqual(appended.slice(5, 7).map((e) => e.eventId));

        expect(await store.readAll({ after: all[all.length - 1].position })).toEqual([]);
        const fromStart = await store.readAll({ maxCount: 1 });
        expect(fromStart).toHaveLength(1);
        expect(comparePositions(fromStart[0].position, all[0].position)).toBeLessThanOrEqual(0);
      });

      it('with a scope returns only the events of that tenant and project, in global order, paged by the same cursor', async () => {
        const before = await head();
        const projectId = `project-${randomUUID()}`;
        const scoped = (data: unknown): NewEvent => {
          const event = newTestEvent(data);
          return { ...event, metadata: { ...event.metadata, projectId } };
        };
        const mine = [scoped({ i: 0 }), scoped({ i: 1 }), scoped({ i: 2 })];
        await store.append(uniqueStream('scope'), [mine[0], newTestEvent({ other: true })], 'any');
        await store.append(uniqueStream('scope'), [newTestEvent({ other: true }), mine[1]], 'any');
        await store.append(uniqueStream('scope'), [mine[2]], 'any');
        const scope = { tenantId: 'tenant-a', projectId };
        const all = await store.readAll({ after: before, scope, maxCount: 1000 });
        expect(all.map((e) => e.eventId)).toEqual(mine.map((e) => e.eventId));
        const fromStart = await store.readAll({ scope, maxCount: 1000 });
        expect(fromStart.map((e) => e.eventId)).toEqual(mine.map((e) => e.eventId));
        const page = await store.readAll({ after: all[0].position, scope, maxCount: 1 });
        expect(page.map((e) => e.eventId)).toEqual([mine[1].eventId]);
        expect(await store.readAll({ scope: { tenantId: 'tenant-b', projectId }, maxCount: 1000 })).toEqual([]);
      });
    });

    describe('readHead', () => {
      it('is the last readable event: after it readAll and a subscription see only later appends', async () => {
        const before = await head();
        const first = await store.append(uniqueStream('head'), [newTestEvent({ i: 0 }), newTestEvent({ i: 1 })], 'no_stream');
        const reached = await store.readHead();
        expect(comparePositions(reached, before)).toBeGreaterThan(0);
        expect(comparePositions(reached, first.position)).toBeGreaterThanOrEqual(0);
        expect(formatPosition(reached)).toBe(formatPosition(await head()));
        expect(await store.readAll({ after: reached, maxCount: 10 })).toEqual([]);
        const later = newTestEvent({ i: 2 });
        await store.append(uniqueStream('head'), [later], 'no_stream');
        const delivered: RecordedEvent[] = [];
        const subscription = store.subscribe(async (batch) => {
          delivered.push(...batch);
        }, { after: reached });
        try {
          await waitUntil(() => delivered.some((e) => e.eventId === later.eventId));
          expect(delivered.map((e) => e.eventId)).toEqual([later.eventId]);
        } finally {
          await subscription.stop();
        }
        expect(comparePositions(await store.readHead(), reached)).toBeGreaterThan(0);
      });
    });

    describe('subscribe', () => {
      it('catches up from a middle position, then delivers new events', async () => {
        const stream = uniqueStream('sub');
        const first = Array.from({ length: 6 }, (_, i) => newTestEvent({ i }));
        await store.append(stream, first, 'no_stream');
        const [, , third] = await store.readStream(stream);

        const seen: RecordedEvent[] = [];
        const subscription = store.subscribe(
          async (batch) => {
            seen.push(...batch.filter((e) => e.streamId === stream));
          },
          { after: third.position, batchSize: 2 },
        );
        try {
          await waitUntil(() => seen.length >= 3);
          expect(seen.map((e) => e.revision)).toEqual([3n, 4n, 5n]);
          await store.append(stream, [newTestEvent({ i: 6 })], 5n);
          await waitUntil(() => seen.length >= 4);
          expect(seen.map((e) => e.revision)).toEqual([3n, 4n, 5n, 6n]);
        } finally {
          await subscription.stop();
        }
      });

      it('delivers batches no larger than batchSize', async () => {
        const before = await head();
        const stream = uniqueStream('sub');
        await store.append(stream, Array.from({ length: 7 }, (_, i) => newTestEvent({ i })), 'no_stream');
        const sizes: number[] = [];
        let count = 0;
        const subscription = store.subscribe(
          async (batch) => {
            sizes.push(batch.length);
            count += batch.length;
          },
          { after: before, batchSize: 3 },
        );
        try {
          await waitUntil(() => count >= 7);
          expect(count).toBe(7);
          expect(Math.max(...sizes)).toBeLessThanOrEqual(3);
        } finally {
          await subscription.stop();
        }
      });

      it('reports a handler error and redelivers the same batch', async () => {
        const before = await head();
        const stream = uniqueStream('sub');
        await store.append(stream, [newTestEvent({ i: 0 }), newTestEvent({ i: 1 })], 'no_stream');

        const deliveries: string[][] = [];
        const errors: unknown[] = [];
        const failure = new Error('projection failed once');
        const subscription = store.subscribe(
          async (batch) => {
            deliveries.push(batch.map((e) => e.eventId));
            if (deliveries.length === 1) throw failure;
          },
          { after: before, onError: (error) => errors.push(error) },
        );
        try {
          await waitUntil(() => deliveries.length >= 2);
          expect(errors).toEqual([failure]);
          expect(deliveries[1]).toEqual(deliveries[0]);
          expect(deliveries[0]).toHaveLength(2);
        } finally {
          await subscription.stop();
        }
      });

      it('stop() waits for the in-flight handler and ends delivery', async () => {
        const before = await head();
        const stream = uniqueStream('sub');
        await store.append(stream, [newTestEvent()], 'no_stream');

        let calls = 0;
        let inFlight = false;
        let started!: () => void;
        const handlerStarted = new Promise<void>((resolve) => (started = resolve));
        let finishHandler!: () => void;
        const handlerMayFinish = new Promise<void>((resolve) => (finishHandler = resolve));
        const subscription = store.subscribe(
          async () => {
            calls += 1;
            inFlight = true;
            started();
            await handlerMayFinish;
            inFlight = false;
          },
          { after: before },
        );
        await handlerStarted;
        let stopped = false;
        const stopping = subscription.stop().then(() => (stopped = true));
        // stop() must not return while the handler is still running.
        await Promise.resolve();
        expect(stopped).toBe(false);
        finishHandler();
        await stopping;
        expect(inFlight).toBe(false);
        const callsAtStop = calls;
        await store.append(stream, [newTestEvent()], 0n);
        await quietPeriod(500); // the subject: nothing is delivered after stop, over many poll intervals
        expect(calls).toBe(callsAtStop);
      });
    });

    describe('global order under concurrency', () => {
      it(
        'a running subscriber sees every event committed by concurrent writers exactly once, in order',
        async () => {
          const writers = 20;
          const appendsPerWriter = 50;
          const streams = Array.from({ length: 30 }, () => uniqueStream('race'));
          const start = await head();

          const delivered: RecordedEvent[] = [];
          const subscription = store.subscribe(
            async (batch) => {
              delivered.push(...batch);
            },
            { after: start, batchSize: 100 },
          );

          const appendedIds = new Set<string>();
          let appendedCount = 0;
          const writer = async (w: number) => {
            for (let i = 0; i < appendsPerWriter; i++) {
              const stream = streams[(w * 7 + i) % streams.length];
              const size = i % 5 === 0 ? 3 : 1; // some multi-event batches
              const batch = Array.from({ length: size }, (_, k) => newTestEvent({ w, i, k }));
              const delay = Math.floor(Math.random() * 21);
              // On adapters that can, half the writers hold their transaction open a while.
              if (subject.appendWithCommitDelay && w % 2 === 0) {
                await subject.appendWithCommitDelay(stream, batch, 'any', delay);
              } else {
                await store.append(stream, batch, 'any');
                if (i % 10 === 0) await quietPeriod(delay % 3); // jitter, so writers interleave
              }
              for (const e of batch) appendedIds.add(e.eventId);
              appendedCount += size;
            }
          };

          try {
            await Promise.all(Array.from({ length: writers }, (_, w) => writer(w)));
            await waitUntil(() => delivered.length >= appendedCount, 30_000);
            await quietPeriod(300); // the subject: nothing is delivered twice, so give a duplicate time to show
          } finally {
            await subscription.stop();
          }

          expect(appendedCount).toBe(writers * appendsPerWriter * (1 + 2 / 5));
          expect(delivered.length).toBe(appendedCount); // fewer: one was skipped; more: duplicates
          const deliveredIds = delivered.map((e) => e.eventId);
          expect(new Set(deliveredIds).size).toBe(deliveredIds.length);
          expect(deliveredIds.every((id) => appendedIds.has(id))).toBe(true);
          for (let i = 1; i < delivered.length; i++) {
            if (comparePositions(delivered[i - 1].position, delivered[i].position) >= 0) {
              throw new Error(`out of order at ${i}: ${formatPosition(delivered[i - 1].position)} then ${formatPosition(delivered[i].position)}`);
            }
          }
          // Each stream's events arrive in revision order without gaps.
          const byStream = new Map<string, bigint[]>();
          for (const e of delivered) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.revision]);
          for (const revisions of byStream.values()) {
            expect(revisions).toEqual(revisions.map((_, i) => BigInt(i)));
          }
        },
        120_000,
      );
    });
  });
}
