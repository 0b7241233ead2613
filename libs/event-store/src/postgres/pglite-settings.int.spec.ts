/** The embedded store's memory setting reaches PostgreSQL inside PGlite. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PGLITE_SHARED_BUFFERS_MB } from './pglite-settings.js';
import { openSqlClient } from './sql-client.js';

async function sharedBuffersMb(config: { dataDir?: string; sharedBuffersMb?: number }): Promise<number> {
  const sql = await openSqlClient({ kind: 'pglite', ...config });
  try {
    // pg_settings counts shared_buffers in 8 kB blocks.
    const [row] = await sql.query<{ blocks: string }>(`SELECT setting AS blocks FROM pg_settings WHERE name = 'shared_buffers'`);
    return (Number(row!.blocks) * 8) / 1024;
  } finally {
    await sql.close();
  }
}

describe('PGlite shared buffers', () => {
  it('uses the default in memory and the configured size on a data folder', async () => {
    expect(await sharedBuffersMb({})).toBe(DEFAULT_PGLITE_SHARED_BUFFERS_MB);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pglite-settings-'));
    try {
      expect(await sharedBuffersMb({ dataDir: dir, sharedBuffersMb: 24 })).toBe(24);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
