import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from '@jest/globals';
import { EventLogTooLargeError, ingestEventLog } from './index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ingest-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: Buffer | string): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

const csvRows = (n: number) => `case,activity,timestamp\n${Array.from({ length: n }, (_, i) => `${i % 5},A,${new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString()}`).join('\n')}\n`;

describe('ingest limits', () => {
  it('a CSV with more records than maxRecords stops with EventLogTooLargeError; at the limit it reads', async () => {
    const over = file('over.csv', csvRows(101));
    await expect(ingestEventLog({ path: over, format: 'csv' }, { limits: { maxRecords: 100 } }))
      .rejects.toEqual(new EventLogTooLargeError('records', 100));
    const at = file('at.csv', csvRows(100));
    expect((await ingestEventLog({ path: at, format: 'csv' }, { limits: { maxRecords: 100 } })).log.eventCount).toBe(100);
  });

  it('a gzipped XES that inflates past maxDecompressedBytes stops early, whatever its full size', async () => {
    const traces = Buffer.from('<trace><string key="concept:name" value="c"/></trace>\n'.repeat(20_000));
    const member = gzipSync(traces);
    // About 2 GB inflated; reading it all would take far longer than this test may.
    const bomb = file('bomb.xes.gz', Buffer.concat([gzipSync('<log>'), ...Array(2000).fill(member)]));
    const started = Date.now();
    await expect(ingestEventLog({ path: bomb, format: 'xes.gz' }, { limits: { maxDecompressedBytes: 8 * 1024 * 1024 } }))
      .rejects.toBeInstanceOf(EventLogTooLargeError);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('XES events count against maxRecords', async () => {
    const events = '<event><string key="concept:name" value="A"/><date key="time:timestamp" value="2024-01-01T00:00:00Z"/></event>'.repeat(30);
    const xes = file('many.xes', `<log><trace><string key="concept:name" value="1"/>${events}</trace></log>`);
    await expect(ingestEventLog({ path: xes, format: 'xes' }, { limits: { maxRecords: 10 } }))
      .rejects.toEqual(new EventLogTooLargeError('records', 10));
  });
});
