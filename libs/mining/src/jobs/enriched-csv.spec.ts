import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { csvField, formatSeconds, IsoTimestampFormatter } from './enriched-csv.js';
import { executeJob } from './index.js';

describe('enriched CSV cell formatting', () => {
  it('formats timestamps exactly like Date#toISOString, across days and edge values', () => {
    const formatter = new IsoTimestampFormatter();
    const samples = [0, -1, 86_399_999, 86_400_000, Date.UTC(2010, 11, 30, 13, 32), Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2099, 1, 28, 23, 59, 59, 999)];
    let state = 7;
    for (let i = 0; i < 5_000; i++) {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      samples.push(Date.UTC(2000, 0, 1) + state * 400 + (i % 3) * 86_400_000);
    }
    for (const ms of samples) expect(formatter.format(ms)).toBe(new Date(ms).toISOString());
    expect(formatter.format(Number.NaN)).toBe('');
  });

  it('prints seconds with at most millisecond precision and no float noise', () => {
    expect(formatSeconds(0)).toBe('0');
    expect(formatSeconds(12)).toBe('12');
    expect(formatSeconds(0.1 + 0.2)).toBe('0.3');
    expect(formatSeconds(1.2345)).toBe('1.235');
    expect(formatSeconds(-90.5)).toBe('-90.5');
    expect(formatSeconds(3_600.05)).toBe('3600.05');
    expect(formatSeconds(Number.NaN)).toBe('');
  });
});

describe('enriched CSV against formula injection', () => {
  it('neutralises every OWASP trigger with a leading quote inside a quoted field', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvField('+cmd|calc')).toBe(`"'+cmd|calc"`);
    expect(csvField('-2+3+cmd|calc')).toBe(`"'-2+3+cmd|calc"`);
    expect(csvField('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(csvField('\t=1+1')).toBe(`"'\t=1+1"`);
    expect(csvField('\r=1+1')).toBe(`"'\r=1+1"`);
  });

  it('leaves plain numbers (negative too) and ordinary text as they were', () => {
    for (const value of ['-12.5', '+3', '-0.5e3', '-.5', '42', 'register request', 'a=b', 'x-1']) expect(csvField(value)).toBe(value);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
  });

  it('writes no injectable cell for a log whose ids, names, resources, extra columns and headers carry formulas', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'enriched-injection-'));
    try {
      const dataset = path.join(root, 'log.csv');
      await writeFile(dataset, [
        'case:concept:name,concept:name,time:timestamp,org:resource,Costs,=cmd',
        '=1+1,@SUM(A1),2024-01-01T10:00:00Z,+Pete,-50,-2+3',
        '=1+1,decide,2024-01-01T11:00:00Z,Sara,200,ok',
      ].join('\n'));
      const outputDir = await mkdtemp(path.join(root, 'out-'));
      const result = await executeJob({
        jobType: 'DataEnrichment',
        parameters: { datasetId: '880e8400-e29b-41d4-a716-446655440000', enrichments: ['caseDuration', 'timeSincePrevious'] },
        dataset: { path: dataset, format: 'csv' },
        outputDir,
        title: 'Injection',
      }, () => undefined);
      const lines = (await readFile(path.join(outputDir, result.artifacts[0]!.fileName), 'utf8')).trimEnd().split('\n');
      expect(lines[0]).toContain(`"'=cmd"`);
      expect(lines[1]).toMatch(/^"'=1\+1","'@SUM\(A1\)",2024-01-01T10:00:00\.000Z,"'\+Pete",-50,"'-2\+3",/);
      // No cell begins with a trigger unless it is a plain number.
      for (const line of lines) {
        for (const cell of line.match(/"(?:[^"]|"")*"|[^,]+/g)!) {
          const text = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
          if (/^[=+\-@\t\r]/.test(text)) expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        }
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
