/** A gzipped CSV is read as the CSV it inflates to, with the same limits as a gzipped XES. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { RUNNING_EXAMPLE_CSV } from '../../../../test/support/fixtures.js';
import { EventLogTooLargeError, MalformedEventLogError, ingestEventLog } from './index.js';

const NOW = new Date('2024-06-01T00:00:00Z');
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'gzipped-csv-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('ingestEventLog on a gzipped CSV', () => {
  it('gives exactly the log and quality report of the plain file', async () => {
    const gzipped = path.join(folder, 'running-example.csv.gz');
    writeFileSync(gzipped, gzipSync(readFileSync(RUNNING_EXAMPLE_CSV)));
    const plain = await ingestEventLog({ path: RUNNING_EXAMPLE_CSV, format: 'csv' }, { now: NOW });
    const inflated = await ingestEventLog({ path: gzipped, format: 'csv.gz' }, { now: NOW });
    expect(inflated.log).toEqual(plain.log);
    expect(inflated.quality).toEqual(plain.quality);
    expect(inflated.columns).toEqual(plain.columns);
  });

  it('stops once the inflated text passes maxDecompressedBytes', async () => {
    const big = path.join(folder, 'big.csv.gz');
    const rows = 'c1,a,2024-01-01T00:00:00Z\n'.repeat(100_000); // 2.6 MB inflated
    writeFileSync(big, gzipSync(`case,activity,timestamp\n${rows}`));
    await expect(ingestEventLog({ path: big, format: 'csv.gz' }, { limits: { maxDecompressedBytes: 1_000_000 } }))
      .rejects.toThrow(EventLogTooLargeError);
  });

  it('names a corrupt gzip stream as a malformed gzipped CSV', async () => {
    const corrupt = path.join(folder, 'corrupt.csv.gz');
    writeFileSync(corrupt, Buffer.concat([gzipSync('case,activity,timestamp\nc1,a,2024-01-01\n').subarray(0, 20), Buffer.from('garbage')]));
    const error = await ingestEventLog({ path: corrupt, format: 'csv.gz' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MalformedEventLogError);
    expect((error as Error).message).toMatch(/^not a readable gzipped CSV event log: /);
  });
});
