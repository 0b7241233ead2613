import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CsvBlockMerger, CsvBlockParser, type CsvLayout } from './csv-blocks.js';
import { CsvRecordParser } from './csv-reader.js';
import { ingestEventLog } from './ingest.js';
import { EventLogBuilder } from './log-builder.js';

const NOW = new Date('2024-06-01T00:00:00Z');
const folder = mkdtempSync(path.join(os.tmpdir(), 'csv-blocks-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Fields that stress the parse: quotes with delimiters and line breaks inside, padding, blanks, non-ASCII, odd timestamps. */
const text = (values: readonly string[]) => fc.constantFrom(...values);
const row = fc.record({
  caseId: text(['c1', 'c2', ' c2', 'c3', '"c,4"', '"c\n5"', '', 'é6']),
  activity: text(['A', 'B', '"B"', ' C', '"D\r\nE"', '', 'Prüfen']),
  timestamp: text(['2024-01-01T10:00:00Z', '2024-01-02 09:00', '2024-01-03', '"2024-01-04T08:00:00Z"', ' ', 'bad', '2024-01-05T01:02:03.456+02:00']),
  resource: text(['r1', 'r2', '', '"r,3"']),
  lifecycle: text(['start', 'complete', '', 'COMPLETE']),
  note: text(['x', '', '"a ""quoted"" note"', '"multi\nline"', 'ü']),
  shape: fc.constantFrom('full', 'short', 'long', 'blank-line-after'),
  lineEnd: fc.constantFrom('\n', '\r\n'),
});

type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

function csvOf(rows: Row[]): string {
  let csv = 'case,activity,timestamp,resource,lifecycle,note\n';
  for (const r of rows) {
    const fields = [r.caseId, r.activity, r.timestamp, r.resource, r.lifecycle, r.note];
    if (r.shape === 'short') fields.length = 3;
    if (r.shape === 'long') fields.push('extra');
    csv += fields.join(',') + r.lineEnd;
    if (r.shape === 'blank-line-after') csv += r.lineEnd;
  }
  return csv;
}

let files = 0;
async function ingestText(csv: string, options: { readThreads?: number; readBlockBytes?: number }, columns: { lifecycle?: string } = { lifecycle: 'lifecycle' }): Promise<unknown> {
  const file = path.join(folder, `log-${files++}.csv`);
  writeFileSync(file, csv);
  try {
    return await ingestEventLog({ path: file, format: 'csv', columns }, { now: NOW, ...options });
  } finally {
    rmSync(file);
  }
}

describe('the CSV read in blocks', () => {
  it('gives the log of the read on one thread wherever the blocks are cut, inside quoted line breaks too', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 80 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 3 }), async (rows, blockBytes, threads) => {
        const csv = csvOf(rows);
        const alone = await ingestText(csv, {});
        expect(await ingestText(csv, { readThreads: threads, readBlockBytes: blockBytes })).toEqual(alone);
      }),
      { numRuns: 150 },
    );
  });

  it('reads a file of many blocks with a BOM, a ;-delimiter and a multi-line field in every fifth row', async () => {
    let csv = '\uFEFFcase;activity;timestamp;comment\r\n';
    for (let i = 0; i < 3000; i++) {
      const comment = i % 5 === 0 ? `"line one\r\nline two; of ${i}"` : `plain ${i % 7}`;
      csv += `case-${i % 97};step ${i % 13};2024-02-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z;${comment}\r\n`;
    }
    const alone = (await ingestText(csv, {}, {})) as { log: { eventCount: number } };
    expect(alone.log.eventCount).toBe(3000);
    for (const readBlockBytes of [512, 4096, 65_536]) {
      expect(await ingestText(csv, { readThreads: 2, readBlockBytes }, {})).toEqual(alone);
    }
  });
});

describe('CsvBlockParser and CsvBlockMerger', () => {
  const layout: CsvLayout = {
    delimiter: ',', headerLength: 5, caseColumn: 0, activityColumn: 1, timestampColumn: 2, resourceColumn: 3, startColumn: -1,
    lifecycleColumn: -1, extraSourceColumns: [4], extraPoolBytes: 16, keyPoolBytes: 24,
  };

  it('hand over values past their interners\' limits as texts, keys of several parsers merged into one numbering', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `case-${i % 37},act-${i % 11},2024-03-01T00:00:${String(i % 60).padStart(2, '0')}Z,res-${i % 5},id-${i}\n`);
    // What the records say, by their texts: the builder's own reading of them.
    const expected = new EventLogBuilder({ hasStartTimestamps: false, now: NOW });
    expected.extraColumn('id');
    const byText = new CsvRecordParser((record) => void expected.addRecord(record.text(0), record.text(1), record.text(2), record.text(3), null, [record.text(4) ?? null], null), ',', true);
    byText.push(Buffer.from(lines.join('')));
    byText.end();

    const built = new EventLogBuilder({ hasStartTimestamps: false, now: NOW });
    built.extraColumn('id');
    const merger = new CsvBlockMerger(built, 1);
    const parsers = [new CsvBlockParser(layout), new CsvBlockParser(layout), new CsvBlockParser(layout)];
    for (let block = 0; block * 25 < lines.length; block++) {
      const parser = block % parsers.length;
      const bytes = Buffer.from(lines.slice(block * 25, block * 25 + 25).join(''));
      merger.merge(parser, parsers[parser]!.parse([bytes], (block + 1) * 25 >= lines.length));
      expect(parsers[parser]!.takeRest()).toBeNull();
    }
    expect(built.build()).toEqual(expected.build());
  });
});
