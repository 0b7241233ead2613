/**
 * Upcasting on read, on both SQL adapters: rows stored in an older schema version (written
 * into the events table directly, as an older release would have left them) come out of
 * readStream, readAll (and a rebuild's readAllToFold) and subscriptions in the current shape; the rows themselves stay as stored.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { dropSchema, randomSchemaName, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { START_POSITION, type RecordedEvent } from '../event-store.port.js';
import { EventUpcasters } from '../event-upcasters.js';
import { createEventStoreOnClient } from './postgres-event-store.js';
import { openSqlClient, type SqlClient } from './sql-client.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

const upcasters = new EventUpcasters([
  { eventType: 'ThingRenamed', fromVersion: 1, upcast: (data) => ({ fullName: (data as { name: string }).name }) },
]);

const AT = '2026-01-01T00:00:00.000Z';

async function storeOldRow(sql: SqlClient, streamId: string): Promise<void> {
  const metadata = { tenantId: 't', projectId: 'p', actor: 'a', correlationId: 'c', causationId: 'c', occurredAt: AT };
  await sql.query('INSERT INTO streams (stream_id, revision) VALUES ($1, 0)', [streamId]);
  await sql.query(
    `INSERT INTO events (stream_id, stream_revision, event_id, event_type, schema_version, data, metadata)
     VALUES ($1, 0, $2::uuid, 'ThingRenamed', 1, $3::jsonb, $4::jsonb)`,
    [streamId, randomUUID(), JSON.stringify({ name: 'old shape' }), JSON.stringify(metadata)],
  );
}

async function expectUpcastOnEveryRead(sql: SqlClient): Promise<void> {
  const store = await createEventStoreOnClient(sql, { pollIntervalMs: 20, upcasters });
  const streamId = `thing-${randomUUID()}`;
  try {
    await storeOldRow(sql, streamId);
    const expectCurrent = (events: RecordedEvent[]) => {
      const event = events.find((e) => e.streamId === streamId);
      expect(event).toMatchObject({ type: 'ThingRenamed', schemaVersion: 2, data: { fullName: 'old shape' } });
    };
    expectCurrent(await store.readStream(streamId));
    expectCurrent(await store.readAll({ maxCount: 10_000 }));
    // A rebuild's read: the metadata only of types an upcaster may need it for, all the same upcast.
    const other = `other-${randomUUID()}`;
    await store.append(other, [{ eventId: randomUUID(), type: 'OtherThing', schemaVersion: 1, data: { n: 1 }, metadata: { tenantId: 't', projectId: 'p', actor: 'a', correlationId: 'c', causationId: 'c', occurredAt: AT } }], 'no_stream');
    const folded = await store.readAllToFold(START_POSITION, 10_000);
    expectCurrent(folded);
    expect(folded.find((e) => e.streamId === streamId)?.metadata).toMatchObject({ tenantId: 't', occurredAt: AT });
    expect(folded.find((e) => e.streamId === other)).toMatchObject({ data: { n: 1 }, metadata: {} });
    const second = folded[folded.length - 2].position;
    expect((await store.readAllToFold(second, 10)).map((e) => e.streamId)).toEqual([other]);
    const delivered: RecordedEvent[] = [];
    const subscription = store.subscribe(async (batch) => void delivered.push(...batch));
    try {
      await waitFor(() => delivered.some((e) => e.streamId === streamId), 10_000, 20, 'the subscription to deliver the old row');
      expectCurrent(delivered);
    } finally {
      await subscription.stop();
    }
    // The next append continues the stream; the stored row keeps its version.
    await store.append(streamId, [{
      eventId: randomUUID(), type: 'ThingRenamed', schemaVersion: 2, data: { fullName: 'new' },
      metadata: { tenantId: 't', projectId: 'p', actor: 'a', correlationId: 'c', causationId: 'c', occurredAt: AT },
    }], 0n);
    expect((await store.readStream(streamId)).map((e) => e.data)).toEqual([{ fullName: 'old shape' }, { fullName: 'new' }]);
    const [row] = await sql.query<{ schema_version: number; data: unknown }>(
      'SELECT schema_version, data FROM events WHERE stream_id = $1 AND stream_revision = 0', [streamId],
    );
    expect(row).toEqual({ schema_version: 1, data: { name: 'old shape' } });
  } finally {
    await store.close();
  }
}

describe('upcasting on read: PGlite', () => {
  it('reads rows of an older schema version in the current shape on every read path', async () => {
    const sql = await openMemoryPglite();
    try {
      await expectUpcastOnEveryRead(sql);
    } finally {
      await sql.close();
    }
  });
});

const server = await resolveTestPostgres('PostgreSQL upcasting suite');

(server ? describe : describe.skip)('upcasting on read: PostgreSQL server', () => {
  it('reads rows of an older schema version in the current shape on every read path', async () => {
    const schema = randomSchemaName('es_upcast');
    const sql = await openSqlClient({ kind: 'pg', connectionString: server!.url, schema });
    try {
      await expectUpcastOnEveryRead(sql);
    } finally {
      await sql.close();
      await dropSchema(server!.url, schema);
    }
  });
});
