import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '../event-store.port.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../../test/support/postgres.js';
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
          await new Promise((resolve) => setTimeout(resolve, delayMs));
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
      try {
        await new Promise((resolve) => setTimeout(resolve, 500)); // caught up, LISTEN in place
        const appendedAt = Date.now();
        await writer.append('job-notify', [newTestEvent()], 'no_stream');
        const deadline = appendedAt + 3000;
        while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
        expect(seen).toHaveLength(1);
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
        await new Promise((resolve) => setTimeout(resolve, 400));
        // The fast event has a higher xid, so it waits behind the open older transaction.
        expect(seen).toHaveLength(0);
        releaseSlow();
        const slowResult = await slow;
        writer.announceAppend();
        const deadline = Date.now() + 5000;
        while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
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
