/**
 * Named statements on PGlite run as PREPARE once, then EXECUTE with the values written as
 * literals: every kind of value the stores pass must arrive exactly as the same statement
 * without a name (bound parameters) receives it.
 */
import { describe, expect, it } from '@jest/globals';
import { PGlite } from '@electric-sql/pglite';
import { sqlClientFromPglite } from './sql-client.js';
import { openMemoryPglite } from '../../../../test/support/pglite-templates.js';

const STATEMENT = `SELECT $1::text AS text, $2::text[] AS texts, $3::jsonb AS doc, $4::int AS n, $5::bigint::text AS big,
  $6::timestamptz AS at, $7::text AS missing, $8::text[]::jsonb[] AS docs, $9::boolean AS flag, $10::float8 AS x`;

const VALUES: unknown[] = [
  `it's a "quote", a back\\slash, a tab\t, a newline\n, ünïcödé and an emoji 🧭`,
  ['plain', 'with "quotes"', 'with,comma', 'with {braces}', 'back\\slash', '', 'NULL', null],
  JSON.stringify({ name: `O'Brien`, path: 'C:\\data\\log.csv', nested: { list: [1, 'two', null], quote: '"' } }),
  -42,
  9007199254740993n,
  new Date('2026-12-01T15:04:05.678Z'),
  null,
  [JSON.stringify({ a: `'x'` }), JSON.stringify({ b: '\\"y\\"' })],
  true,
  0.1 + 0.2,
];

describe('PGlite named statements', () => {
  it('pass every kind of value exactly as bound parameters do, on every run', async () => {
    const sql = await openMemoryPglite();
    try {
      const [bound] = await sql.query(STATEMENT, VALUES);
      for (let run = 0; run < 3; run++) {
        const [named] = await sql.query(STATEMENT, VALUES, 'value_round_trip');
        expect(named).toEqual(bound);
      }
      expect(bound).toMatchObject({ text: VALUES[0], texts: VALUES[1], n: -42, big: '9007199254740993', missing: null, flag: true });
      expect((bound as { at: Date }).at.toISOString()).toBe('2026-12-01T15:04:05.678Z');
    } finally {
      await sql.close();
    }
  });

  it('share one instance\'s prepared statements between the clients that wrap it', async () => {
    const db = new PGlite();
    try {
      const first = sqlClientFromPglite(db);
      const second = sqlClientFromPglite(db);
      expect(await first.query('SELECT $1::int * 2 AS n', [21], 'shared')).toEqual([{ n: 42 }]);
      expect(await second.query('SELECT $1::int * 2 AS n', [4], 'shared')).toEqual([{ n: 8 }]);
    } finally {
      await db.close();
    }
  });

  it('refuses one name for two texts, and a failed PREPARE can be retried', async () => {
    const sql = await openMemoryPglite();
    try {
      await sql.query('SELECT $1::int + 1 AS n', [1], 'twice');
      await expect(sql.query('SELECT $1::int + 2 AS n', [1], 'twice')).rejects.toThrow(/two texts/);
      await expect(sql.query('SELECT * FROM not_there_yet', [], 'later')).rejects.toThrow(/not_there_yet/);
      await sql.query('CREATE TABLE not_there_yet (n int)');
      expect(await sql.query('SELECT * FROM not_there_yet', [], 'later')).toEqual([]);
    } finally {
      await sql.close();
    }
  });
});
