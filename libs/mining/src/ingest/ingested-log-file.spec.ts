/**
 * The log as read at import, written as an Arrow file and read back: exactly the ingest's
 * result (log, quality report, column mapping) on every kind of log the suite has, and a file
 * that is not such a log is named as unreadable rather than misread.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import {
  BPIC_2012_XES_GZ, DIRTY_FIXTURES_DIR, INTERVAL_EVENT_LOG_CSV, LIFECYCLE_TRANSITIONS_CSV, LIFECYCLE_TRANSITIONS_XES,
  RUNNING_EXAMPLE_CSV, RUNNING_EXAMPLE_XES,
} from '../../../../test/support/fixtures.js';
import type { DatasetFormat } from '../job-execution.contract.js';
import { ingestEventLog } from './index.js';
import { readIngestedLog, repeatsFileOf, UnreadableIngestedLogError, writeIngestedLog } from './ingested-log-file.js';

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'ingested-log-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const NOW = new Date('2024-06-01T00:00:00Z');

describe('writeIngestedLog / readIngestedLog', () => {
  it.each([
    ['running example (CSV)', RUNNING_EXAMPLE_CSV, 'csv'],
    ['running example (XES)', RUNNING_EXAMPLE_XES, 'xes'],
    ['dirty XES: invalid records, a repeat, nested attributes', path.join(DIRTY_FIXTURES_DIR, 'dirty.xes'), 'xes'],
    ['dirty CSV: semicolons, missing values', path.join(DIRTY_FIXTURES_DIR, 'semicolon-dirty.csv'), 'csv'],
    ['lifecycle transitions (CSV)', LIFECYCLE_TRANSITIONS_CSV, 'csv'],
    ['lifecycle transitions (XES)', LIFECYCLE_TRANSITIONS_XES, 'xes'],
    ['start and completion times', INTERVAL_EVENT_LOG_CSV, 'csv'],
    ['BPI Challenge 2012', BPIC_2012_XES_GZ, 'xes.gz'],
  ] as const)('gives back exactly what the ingest read: %s', async (_name, source, format: DatasetFormat) => {
    const ingested = await ingestEventLog({ path: source, format }, { now: NOW });
    const file = path.join(folder, `${path.basename(source)}.arrow`);
    writeIngestedLog(file, ingested);
    const back = readIngestedLog(file);
    expect(back.quality).toEqual(ingested.quality);
    expect(back.columns).toEqual(ingested.columns);
    expect(back.log).toEqual(ingested.log);
  }, 60_000);

  it('keeps text that is not ASCII, value by value, in names, case ids and extra columns', async () => {
    const source = path.join(folder, 'unicode.csv');
    writeFileSync(source, [
      'case,activity,timestamp,note',
      'Fall-ü1,Prüfung 審査,2024-01-01T10:00:00Z,😀',
      'Fall-ü1,Ablehnen 🙅,2024-01-01T11:00:00Z,naïve',
      'c2,Prüfung 審査,2024-01-02T10:00:00Z,',
      'c2,plain,2024-01-02T11:00:00Z,😀x',
    ].join('\n'));
    const ingested = await ingestEventLog({ path: source, format: 'csv' }, { now: NOW });
    const file = path.join(folder, 'unicode.arrow');
    writeIngestedLog(file, ingested);
    expect(readIngestedLog(file).log).toEqual(ingested.log);
    expect(ingested.log.activities).toEqual(['Prüfung 審査', 'Ablehnen 🙅', 'plain']);

    // Halves of a surrogate pair in neighbouring values stay two values (each unpaired, so U+FFFD in UTF-8).
    const unpaired = { ...ingested, log: { ...ingested.log, activities: ['\uD83D', '\uDE00', 'plain'] } };
    writeIngestedLog(file, unpaired);
    expect(readIngestedLog(file).log.activities).toEqual(['\uFFFD', '\uFFFD', 'plain']);
  });

  it('is a plain Arrow table for other tools: one row per event, named columns, real timestamps', async () => {
    const ingested = await ingestEventLog({ path: RUNNING_EXAMPLE_CSV, format: 'csv' }, { now: NOW });
    const file = path.join(folder, 'plain.arrow');
    writeIngestedLog(file, ingested);
    const table = tableFromIPC(readFileSync(file));
    expect(table.numRows).toBe(42);
    expect(table.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['case:concept:name', 'concept:name', 'time:timestamp', 'org:resource', 'source_row']));
    const first = table.get(0)!.toJSON() as Record<string, unknown>;
    expect(first['case:concept:name']).toBe(ingested.log.caseIds[ingested.log.eventCase[0]!]);
    expect(first['concept:name']).toBe('register request');
    expect(first['time:timestamp']).toBe(ingested.log.eventTimestamp[0]);
    expect(String(table.schema.fields.find((f) => f.name === 'time:timestamp')!.type)).toMatch(/Timestamp/);
  });

  it('keeps timestamps exact from year 1 to 9999, before 1970 too, and missing start times as nulls', async () => {
    const source = path.join(folder, 'extreme-times.csv');
    const times = ['0001-01-01T00:00:00.001Z', '1969-12-31T23:59:59.999Z', '1970-01-01T00:00:00Z', '2024-02-29T12:34:56.789Z', '9999-12-31T23:59:59.999Z'];
    writeFileSync(source, ['case,activity,timestamp,start', ...times.map((time, i) => `c${i},A,${time},${i % 2 === 0 ? '' : time}`)].join('\n'));
    const ingested = await ingestEventLog({ path: source, format: 'csv', columns: { startTimestamp: 'start' } }, { now: NOW });
    const file = path.join(folder, 'extreme-times.arrow');
    writeIngestedLog(file, ingested);
    const back = readIngestedLog(file).log;
    expect(Array.from(back.eventTimestamp)).toEqual(times.map((time) => Date.parse(time)));
    expect(Array.from(back.eventStart!)).toEqual(times.map((time, i) => (i % 2 === 0 ? Number.NaN : Date.parse(time))));
    // Other tools read the same instants from the file.
    const table = tableFromIPC(readFileSync(file));
    expect(Array.from({ length: times.length }, (_, i) => table.get(i)!.toJSON()['time:timestamp'])).toEqual(times.map((time) => Date.parse(time)));
    expect(table.get(0)!.toJSON()['start_timestamp']).toBeNull();
  });

  it('keeps the exact repeats beside the log, and reads them back with it', async () => {
    const ingested = await ingestEventLog({ path: path.join(DIRTY_FIXTURES_DIR, 'dirty.xes'), format: 'xes' }, { now: NOW });
    expect(ingested.log.exactRepeats?.count).toBeGreaterThan(0);
    const file = path.join(folder, 'with-repeats.arrow');
    writeIngestedLog(file, ingested);
    expect(readIngestedLog(file).log.exactRepeats).toEqual(ingested.log.exactRepeats);
    rmSync(repeatsFileOf(file));
    expect(() => readIngestedLog(file)).toThrow(UnreadableIngestedLogError);
  });

  it('names a file that is not an ingested log of this version as unreadable', () => {
    const garbage = path.join(folder, 'garbage.arrow');
    writeFileSync(garbage, 'not arrow at all');
    expect(() => readIngestedLog(garbage)).toThrow(UnreadableIngestedLogError);
  });
});
