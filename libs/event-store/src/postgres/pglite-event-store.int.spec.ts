import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { describeEventStoreContract, newTestEvent } from '../event-store.contract.js';
import { createPgliteEventStore } from './postgres-event-store.js';
import { openSqlClient } from './sql-client.js';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'pglite-event-store-'));
}

describeEventStoreContract('PGlite (data folder)', async () => {
  const dir = await tempDir();
  const store = await createPgliteEventStore({ dataDir: dir });
  return {
    store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('PGlite event store on disk', () => {
  it('keeps events and positions across close and reopen of the same folder', async () => {
    const dir = await tempDir();
    try {
      const first = await createPgliteEventStore({ dataDir: dir });
      const events = [newTestEvent({ i: 0 }), newTestEvent({ i: 1, text: 'ünïcödé' })];
      const appended = await first.append('job-reopen', events, 'no_stream');
      await first.close();

      const reopened = await createPgliteEventStore({ dataDir: dir });
      try {
        const recorded = await reopened.readStream('job-reopen');
        expect(recorded.map((e) => e.data)).toEqual([{ i: 0 }, { i: 1, text: 'ünïcödé' }]);
        expect(recorded[1].position).toEqual(appended.position);
        // The stream revision survived too: the next append continues at 2.
        expect((await reopened.append('job-reopen', [newTestEvent()], 1n)).nextRevision).toBe(2n);
        const all = await reopened.readAll();
        expect(all.map((e) => e.eventId)).toEqual([...events.map((e) => e.eventId), all[2].eventId]);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs in memory when no folder is given', async () => {
    const store = await createPgliteEventStore({ dataDir: undefined });
    try {
      await store.append('job-memory', [newTestEvent()], 'no_stream');
      expect(await store.readStream('job-memory')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('shares one PGlite instance between clients opened on the same folder', async () => {
    const dir = await tempDir();
    try {
      const readStoreClient = await openSqlClient({ kind: 'pglite', dataDir: dir });
      const store = await createPgliteEventStore({ dataDir: dir });
      await store.append('job-shared', [newTestEvent()], 'no_stream');
      // The other sharer sees the write and stays usable after the store closes its handle.
      await store.close();
      const rows = await readStoreClient.query<{ n: number }>('SELECT count(*)::int AS n FROM events');
      expect(rows[0].n).toBe(1);
      await readStoreClient.close();

      const onClient = await openSqlClient({ kind: 'pglite', dataDir: dir });
      const shared = await createPgliteEventStore({ dataDir: undefined, client: onClient });
      await shared.close(); // does not close a client it was handed
      expect(await onClient.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      await onClient.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
