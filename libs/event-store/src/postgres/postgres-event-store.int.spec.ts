import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store.port.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { quietPeriod, waitFor } from '../../../../test/support/wait-for.js';
import { describeEventStoreContract, newTestEvent } from '../event-store.contract.js';
import { type PostgresEventStore, createPostgresEventStore } from './postgres-event-store.js';

const server = await resolveTestPostgres('PostgreSQL event store contract suite');

if (server) {
  describeEventStoreContract('PostgreSQL server (pg)', async () => {
    const schema = randomSchemaName('es_test');
    // Room for 20 writers holding a connection through their delayed commit plus the reader.
    const store = await createPostgresEventStore({ connectionString: server.url, schema, poolSize: 32 });
    return {
      store,
      appendWithCommitDelay: async (streamId, events, expected, delayMs) => {
        const result = await store.client.transaction(async (tx) => {
          const appended = await store.appendWith(tx, streamId, events, expected);
          await quietPeriod(delayMs); // a deliberately held transaction (the contract's late commits)
          return appended;
        });
        store.announceAppend();
        return result;
      },
      async cleanup() {
        await store.close();
        await dropSchema(server.url, schema);
      },
    };
  });

  describe('PostgreSQL event store across processes', () => {
    const schema = randomSchemaName('es_test');
    let writer: PostgresEventStore;
    let reader: PostgresEventStore;

    beforeAll(async () => {
      // Two stores, two pools: stand-ins for two processes sharing one database.
      writer = await createPostgresEventStore({ connectionString: server.url, schema });
      reader = await createPostgresEventStore({ connectionString: server.url, schema, pollIntervalMs: 10_000 });
    });

    afterAll(async () => {
      await reader?.close();
      await writer?.close();
      await dropSchema(server.url, schema);
    });

    it('wakes a caught-up subscriber in another process through NOTIFY, long before its poll', async () => {
      const seen: RecordedEvent[] = [];
      const subscription = reader.subscribe(async (batch) => {
        seen.push(...batch);
      });
      const measured = () => seen.filter((e) => e.streamId === 'job-notify');
      try {
        // Caught up and listening, by signal: a first probe has arrived (the catch-up read is
        // done), then a probe appended while it waits arrives within 1 s (its poll is 10 s).
        let caughtUp = false;
        await waitFor(async () => {
          const before = seen.length;
          await writer.append(`probe-${randomUUID()}`, [newTestEvent()], 'no_stream');
          const arrived = await waitFor(() => seen.length > before, 1000, 5).then(() => true, () => false);
          if (arrived && caughtUp) return true;
          caughtUp ||= arrived;
          return false;
        }, 20_000, 0, 'the subscriber to be caught up and listening');
        const appendedAt = Date.now();
        await writer.append('job-notify', [newTestEvent()], 'no_stream');
        await waitFor(() => measured().length > 0, 3000, 5, 'the event through NOTIFY');
        expect(measured()).toHaveLength(1);
        expect(Date.now() - appendedAt).toBeLessThan(3000); // the poll alone would take 10 s
      } finally {
        await subscription.stop();
      }
    });

    it('holds back later commits while an older transaction is open, then delivers both in order', async () => {
      const seen: RecordedEvent[] = [];
      const subscription = reader.subscribe(async (batch) => {
        seen.push(...batch.filter((e) => e.streamId.startsWith('job-late-')));
      });
      try {
        let releaseSlow!: () => void;
        const slowMayCommit = new Promise<void>((resolve) => (releaseSlow = resolve));
        let slowAppended!: () => void;
        const slowHasAppended = new Promise<void>((resolve) => (slowAppended = resolve));
        const slow = writer.client.transaction(async (tx) => {
          const result = await writer.appendWith(tx, 'job-late-1', [newTestEvent({ slow: true })], 'no_stream');
          slowAppended();
          await slowMayCommit;
          return result;
        });
        await slowHasAppended;
        const fast = await writer.append('job-late-2', [newTestEvent({ fast: true })], 'no_stream');
        await quietPeriod(400); // the subject: nothing is delivered while the older transaction is open
        // The fast event has a higher xid, so it waits behind the open older transaction.
        expect(seen).toHaveLength(0);
        releaseSlow();
        const slowResult = await slow;
        writer.announceAppend();
        await waitFor(() => seen.length >= 2, 5000, 5, 'both events');
        expect(seen.map((e) => e.streamId)).toEqual(['job-late-1', 'job-late-2']);
        expect(seen.map((e) => e.position)).toEqual([slowResult.position, fast.position]);
      } finally {
        await subscription.stop();
      }
    });
  });
} else {
  describe.skip('EventStore contract: PostgreSQL server (pg)', () => {
    it('needs a PostgreSQL server (see the SKIPPED warning above)', () => undefined);
  });
}
