/**
 * The feed hub on the embedded store (PGlite, in memory): catch-up in pages then live from
 * the one shared tail, nothing missed or repeated, a follower that cannot keep up is ended
 * without holding up the others, and the tail stops with the last follower and on close.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { START_POSITION, type NewEvent, type RecordedEvent } from '../../event-store/src/event-store.port.js';
import { createEventStoreOnClient, type PostgresEventStore } from '../../event-store/src/postgres/postgres-event-store.js';
import { type SqlClient } from '../../event-store/src/postgres/sql-client.js';
import { PostgresJobReadStore } from '../../read-store/src/postgres/postgres-job-read-store.js';
import { waitFor } from '../../../test/support/wait-for.js';
import { EventFeedHub, type FeedSink } from './event-feed-hub.js';
import type { FeedFilter } from './feed-filter.js';
import { PostgresFeedReads } from './postgres-feed-reads.js';
import { openMemoryPglite } from '../../../test/support/pglite-templates.js';

/** A follower's end in memory; `acceptUpTo` makes it refuse (a full socket) after so many events. */
class MemorySink implements FeedSink {
  readonly received: RecordedEvent[] = [];
  closed = false;
  private readonly listeners: (() => void)[] = [];
  constructor(private readonly acceptUpTo = Infinity) {}
  send(event: RecordedEvent): boolean {
    if (this.closed || this.received.length >= this.acceptUpTo) return false;
    this.received.push(event);
    return true;
  }
  writable(): Promise<void> {
    return Promise.resolve();
  }
  end(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of this.listeners.splice(0)) listener();
  }
  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.listeners.push(listener);
  }
}

function events(scope: { tenantId: string; projectId: string }, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: randomUUID(), type: 'JobProgressed', schemaVersion: 1, data: { i },
    metadata: {
      tenantId: scope.tenantId, projectId: scope.projectId, actor: 'hub-test', correlationId: randomUUID(),
      causationId: randomUUID(), occurredAt: new Date().toISOString(),
    },
  }));
}

describe('event feed hub on PGlite', () => {
  let sql: SqlClient;
  let store: PostgresEventStore;
  let hub: EventFeedHub;
  const scope = { tenantId: randomUUID(), projectId: randomUUID() };
  const other = { tenantId: randomUUID(), projectId: scope.projectId };
  const filter: FeedFilter = { ...scope, jobId: null, jobType: null, eventTypes: null };

  beforeEach(async () => {
    sql = await openMemoryPglite();
    store = await createEventStoreOnClient(sql, { pollIntervalMs: 60_000 });
    await new PostgresJobReadStore(sql, 600, null).migrate();
    hub = new EventFeedHub(store, new PostgresFeedReads(sql, store), { pageSize: 100 });
  });

  afterEach(async () => {
    await hub.close();
    await store.close();
    await sql.close();
  });

  async function expectedEvents(): Promise<string[]> {
    const all = await store.readAll({ maxCount: 100_000 });
    return all.filter((e) => e.metadata.tenantId === scope.tenantId && e.metadata.projectId === scope.projectId).map((e) => e.eventId);
  }

  it('catches up in pages, then follows live from one tail, missing and repeating nothing', async () => {
    for (let i = 0; i < 5; i++) {
      await store.append(`job-${randomUUID()}`, events(scope, 70), 'any');
      await store.append(`job-${randomUUID()}`, events(other, 30), 'any');
    }
    const sinks = [new MemorySink(), new MemorySink()];
    const following = sinks.map((sink) => hub.follow(sink, { filter, after: START_POSITION }));
    await waitFor(() => sinks.every((s) => s.received.length >= 350), 10_000, 10, 'the catch-up');
    for (let i = 0; i < 20; i++) {
      await store.append(`job-${randomUUID()}`, events(i % 3 ? scope : other, 7), 'any');
    }
    const expected = await expectedEvents();
    await waitFor(() => sinks.every((s) => s.received.length >= expected.length), 10_000, 10, 'the live events');
    for (const sink of sinks) expect(sink.received.map((e) => e.eventId)).toEqual(expected);
    expect(hub.followerCount).toBe(2);
    expect(hub.tailRunning).toBe(true);

    sinks[0].end();
    await following[0];
    expect(hub.followerCount).toBe(1);
    sinks[1].end();
    await following[1];
    await waitFor(() => !hub.tailRunning, 5_000, 10, 'the tail to stop with the last follower');
    expect(hub.followerCount).toBe(0);
  }, 30_000);

  it('ends a follower that cannot keep up without holding up the others', async () => {
    const slow = new MemorySink(25);
    const steady = new MemorySink();
    const following = [hub.follow(slow, { filter, after: START_POSITION }), hub.follow(steady, { filter, after: START_POSITION })];
    await waitFor(() => hub.followerCount === 2, 5_000, 10, 'both followers live');
    for (let i = 0; i < 10; i++) await store.append(`job-${randomUUID()}`, events(scope, 10), 'any');
    await following[0];
    expect(slow.closed).toBe(true);
    expect(slow.received).toHaveLength(25);
    await waitFor(() => steady.received.length >= 100, 10_000, 10, 'the steady follower');
    expect(steady.received.map((e) => e.eventId)).toEqual(await expectedEvents());
    // It resumes after the last event it got and receives the rest.
    const resumed = new MemorySink();
    void hub.follow(resumed, { filter, after: slow.received.at(-1)!.position });
    await waitFor(() => resumed.received.length >= 75, 10_000, 10, 'the resumed follower');
    expect([...slow.received, ...resumed.received].map((e) => e.eventId)).toEqual(await expectedEvents());
  }, 30_000);

  it('ends its last event\'s follower and every follower on close', async () => {
    await store.append(`job-${randomUUID()}`, events(scope, 3), 'any');
    const untilSecond = new MemorySink();
    await hub.follow(untilSecond, { filter, after: START_POSITION, isLast: (e) => (e.data as { i: number }).i === 1 });
    expect(untilSecond.received.map((e) => (e.data as { i: number }).i)).toEqual([0, 1]);

    const open = new MemorySink();
    const following = hub.follow(open, { filter, after: START_POSITION });
    await waitFor(() => hub.tailRunning && open.received.length === 3, 5_000, 10, 'a live follower');
    await hub.close();
    await following;
    expect(open.closed).toBe(true);
    expect(hub.tailRunning).toBe(false);
  }, 30_000);
});
