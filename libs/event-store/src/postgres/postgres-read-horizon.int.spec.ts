/**
 * The reader horizon on a PostgreSQL server (ADR 0002): subscribers wait only for open
 * transactions that may still append events, never for unrelated open transactions of
 * the cluster (another database, or a non-appending one in this database).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { RecordedEvent } from '../event-store.port.js';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { newTestEvent } from '../event-store.contract.js';
import { type PostgresEventStore, createPostgresEventStore } from './postgres-event-store.js';

const server = await resolveTestPostgres('PostgreSQL reader horizon suite');

/** Polls `condition` until it holds or `timeoutMs` passes; returns whether it held. */
async function eventually(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/** A connection holding a transaction that has an xid, left open until `release()`. */
async function openTransactionWithXid(connectionString: string, firstStatement: string): Promise<{ xid: string; release(): Promise<void> }> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query('BEGIN');
  await client.query(firstStatement);
  const { rows } = await client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid');
  return {
    xid: rows[0].xid,
    async release() {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    },
  };
}

function otherDatabaseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = parsed.pathname === '/postgres' ? '/template1' : '/postgres';
  return parsed.toString();
}

if (server) {
  describe('PostgreSQL reader horizon', () => {
    const schema = randomSchemaName('es_horizon');
    let store: PostgresEventStore;

    beforeAll(async () => {
      store = await createPostgresEventStore({ connectionString: server.url, schema });
      await store.client.query('CREATE TABLE IF NOT EXISTS unrelated (id int)');
    });

    afterAll(async () => {
      await store?.close();
      await dropSchema(server.url, schema);
    });

    async function deliveredPromptlyDespite(holder: { xid: string }, stream: string): Promise<void> {
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribe(async (batch) => {
        seen.push(...batch.filter((e) => e.streamId === stream));
      });
      try {
        // The open transaction is older than the append, so the cluster-wide xmin is below it.
        const [{ xmin }] = await store.client.query<{ xmin: string }>('SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin');
        expect(BigInt(xmin)).toBeLessThanOrEqual(BigInt(holder.xid));
        const appended = await store.append(stream, [newTestEvent()], 'no_stream');
        expect(appended.position.commit).toBeGreaterThan(BigInt(holder.xid));
        expect(await eventually(() => seen.length === 1, 5000)).toBe(true);
      } finally {
        await subscription.stop();
      }
    }

    it('keeps delivering while a transaction with an xid stays open in another database', async () => {
      const holder = await openTransactionWithXid(otherDatabaseUrl(server.url), 'CREATE TEMP TABLE held (id int)');
      try {
        await deliveredPromptlyDespite(holder, 'job-horizon-other-db');
      } finally {
        await holder.release();
      }
    });

    it('keeps delivering while a non-appending transaction of this database stays open', async () => {
      const holder = await openTransactionWithXid(
        `${server.url}${server.url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
        'INSERT INTO unrelated VALUES (1)',
      );
      try {
        await deliveredPromptlyDespite(holder, 'job-horizon-same-db');
      } finally {
        await holder.release();
      }
    });

    it('still holds back later events behind an open appending transaction', async () => {
      const seen: RecordedEvent[] = [];
      const subscription = store.subscribe(async (batch) => {
        seen.push(...batch.filter((e) => e.streamId.startsWith('job-horizon-held-')));
      });
      let release!: () => void;
      const mayCommit = new Promise<void>((resolve) => (release = resolve));
      let appended!: () => void;
      const hasAppended = new Promise<void>((resolve) => (appended = resolve));
      const slow = store.client.transaction(async (tx) => {
        const result = await store.appendWith(tx, 'job-horizon-held-1', [newTestEvent()], 'no_stream');
        appended();
        await mayCommit;
        return result;
      });
      try {
        await hasAppended;
        await store.append('job-horizon-held-2', [newTestEvent()], 'no_stream');
        // The later event stays invisible for as long as the older appender is open: a
        // subscriber that saw it first would skip the older one.
        expect(await eventually(() => seen.length > 0, 600)).toBe(false);
        release();
        await slow;
        store.announceAppend();
        expect(await eventually(() => seen.length === 2, 5000)).toBe(true);
        expect(seen.map((e) => e.streamId)).toEqual(['job-horizon-held-1', 'job-horizon-held-2']);
      } finally {
        release();
        await slow.catch(() => undefined);
        await subscription.stop();
      }
    });

    it('refuses an append in a transaction that wrote something else first', async () => {
      await expect(
        store.client.transaction(async (tx) => {
          await tx.query('INSERT INTO unrelated VALUES (2)');
          await store.appendWith(tx, 'job-horizon-late-lock', [newTestEvent()], 'no_stream');
        }),
      ).rejects.toThrow(/append before any other write/);
      expect(await store.readStream('job-horizon-late-lock')).toEqual([]);
    });

    it('lets one transaction append to several streams', async () => {
      await store.client.transaction(async (tx) => {
        await store.appendWith(tx, 'job-horizon-many-1', [newTestEvent()], 'no_stream');
        await store.appendWith(tx, 'job-horizon-many-2', [newTestEvent()], 'no_stream');
      });
      expect(await store.readStream('job-horizon-many-2')).toHaveLength(1);
    });
  });
} else {
  describe.skip('PostgreSQL reader horizon', () => {
    it('needs a PostgreSQL server (see the SKIPPED warning above)', () => undefined);
  });
}
