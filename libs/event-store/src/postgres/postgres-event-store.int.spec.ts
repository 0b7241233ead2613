import { describe } from '@jest/globals';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { describeEventStoreContract } from '../event-store.contract.js';
import { createPostgresEventStore } from './postgres-event-store.js';

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
} else {
  describe.skip('EventStore contract: PostgreSQL server (pg)', () => undefined);
}
