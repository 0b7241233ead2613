/**
 * The pg SQL client when the server goes away: which errors count as "database
 * unavailable", and a connection killed inside a transaction fails that transaction
 * instead of crashing the process. Runs on the shared test server; it only terminates
 * its own connection.
 */
import net from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { openThrowawaySchema, resolveTestPostgres } from '../../../../test/support/postgres.js';
import { isDatabaseUnavailable, openSqlClient } from './sql-client.js';

const server = await resolveTestPostgres('SQL client connection-failure suite');

/** A port on 127.0.0.1 that nobody listens on (bound by the OS, then released). */
async function closedPort(): Promise<number> {
  const listener = net.createServer();
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const { port } = listener.address() as net.AddressInfo;
  await new Promise((resolve) => listener.close(resolve));
  return port;
}

(server ? describe : describe.skip)('pg SQL client when connections fail', () => {
  it('tells an unreachable server from a bad statement', async () => {
    const refused = await openSqlClient({ kind: 'pg', connectionString: `postgres://postgres@127.0.0.1:${await closedPort()}/test` })
      .then(() => null, (error: unknown) => error);
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(refused)).toBe(true);

    const { sql, cleanup } = await openThrowawaySchema(server!.url, 'sql_client');
    try {
      const syntax = await sql.query('SELEC 1').catch((error: unknown) => error);
      expect((syntax as { code?: string }).code).toBe('42601');
      expect(isDatabaseUnavailable(syntax)).toBe(false);
    } finally {
      await cleanup();
    }
  });

  it('a connection terminated while a transaction holds it fails that transaction, and the pool goes on', async () => {
    const { sql, cleanup } = await openThrowawaySchema(server!.url, 'sql_client');
    try {
      const failure = await sql.transaction(async (tx) => {
        const [{ pid }] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await sql.query('SELECT pg_terminate_backend($1)', [pid]);
        // The connection is idle inside the transaction when the server drops it: the
        // client learns it from an 'error' event, not from a statement.
        const deadline = Date.now() + 10_000;
        while ((await sql.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid])).length > 0) {
          if (Date.now() > deadline) throw new Error('the backend was not terminated');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        await sql.query('SELECT pg_sleep(0.05)'); // a round trip, so the dropped socket's close has been read
        await tx.query('SELECT 1');
        return null;
      }).catch((error: unknown) => error);
      expect(failure).toMatchObject({ message: expect.any(String) });
      expect(isDatabaseUnavailable(failure)).toBe(true);
      expect(await sql.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await cleanup();
    }
  });
});
