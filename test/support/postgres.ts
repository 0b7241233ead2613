/**
 * Locates the PostgreSQL server for integration suites. Suites that need it call
 * `resolveTestPostgres()` at module load and either run or `describe.skip`:
 * on CI a missing server is a failure, locally a loud warning.
 */
import pg from 'pg';
import { openSqlClient, type SqlClient } from '../../libs/event-store/src/postgres/sql-client.js';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function testDatabaseUrl(): string {
  return process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_DATABASE_URL;
}

/** Connection URL with any password masked, for log lines. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/**
 * Returns `{ url }` when the server answers `SELECT 1` within a few seconds, else `null`
 * (after a console.warn naming `suite`). With CI=true an unreachable server throws instead,
 * so a CI run cannot pass by skipping.
 */
export async function resolveTestPostgres(suite = 'PostgreSQL integration suite'): Promise<{ url: string } | null> {
  const url = testDatabaseUrl();
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') {
      throw new Error(`${suite}: no PostgreSQL server at ${redactUrl(url)} (${reason}); required when CI=true`);
    }
    console.warn(`SKIPPED: ${suite} — no server at ${redactUrl(url)} (${reason}); set TEST_DATABASE_URL to run it`);
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name for one test run, e.g. `es_test_k3j9x2`. */
export function randomSchemaName(prefix: string): string {
  return `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
}

/** Drops a schema created by a test run (and everything in it). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A client on a fresh schema of the test server; `cleanup` closes it and drops the schema. */
export async function openThrowawaySchema(url: string, prefix: string): Promise<{ sql: SqlClient; cleanup(): Promise<void> }> {
  const schema = randomSchemaName(prefix);
  const sql = await openSqlClient({ kind: 'pg', connectionString: url, schema });
  return {
    sql,
    async cleanup() {
      await sql.close();
      await dropSchema(url, schema);
    },
  };
}
