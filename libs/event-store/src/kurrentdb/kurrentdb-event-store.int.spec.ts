/**
 * The event store contract against a KurrentDB / EventStoreDB server, enabled by
 * TEST_KURRENTDB_URL (e.g. `kurrentdb://127.0.0.1:2113?tls=false`). The suite uses fresh
 * stream ids and reads $all relative to the head it saw, so a shared server is fine.
 */
import { describe } from '@jest/globals';
import { describeEventStoreContract } from '../event-store.contract.js';
import { createKurrentDbEventStore } from './kurrentdb-event-store.js';

const url = process.env.TEST_KURRENTDB_URL;

if (url) {
  describeEventStoreContract('KurrentDB', async () => {
    const store = await createKurrentDbEventStore({ connectionString: url, pollIntervalMs: 200, retryDelayMs: 50 });
    return { store, cleanup: () => store.close() };
  });
} else {
  console.warn('SKIPPED: KurrentDB event store contract suite — set TEST_KURRENTDB_URL to run it');
  describe.skip('EventStore contract: KurrentDB', () => {
    describeEventStoreContract('KurrentDB', async () => {
      throw new Error('unreachable');
    });
  });
}
