import { describe, it, expect } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EventLog } from '../event-log.js';
import { RUNNING_EXAMPLE_FACTS } from '../testing/running-example-facts.js';
import {
  ColumnMappingError,
  FIELD_COUNT_MESSAGE,
  IMPLAUSIBLE_TIMESTAMPS_MESSAGE,
  INFERRED_TIMESTAMPS_MESSAGE,
  OUT_OF_ORDER_MESSAGE,
  START_TIMESTAMP_PROBLEM_MESSAGE,
  ingestEventLog,
  type IngestProgress,
} from './index.js';
import { BPIC_2012_XES_GZ, DIRTY_FIXTURES_DIR, FIXTURES_DIR } from '../../../../test/support/fixtures.js';

const DIRTY = DIRTY_FIXTURES_DIR;
/** Fixed reference time so "in the future" checks are reproducible. */
const NOW = new Date('2024-06-01T00:00:00Z');

function eventsPerActivity(log: EventLog): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let e = 0; e < log.eventCount; e++) {
    const name = log.activities[log.eventActivity[e]];
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

/** Per case: its id and its events as "activity|resource|ISO time". */
function traces(log: EventLog): [string, string[]][] {
  return log.caseIds.map((caseId, c) => {
    const events: string[] = [];
    for (let e = log.caseOffsets[c]; e < log.caseOffsets[c + 1]; e++) {
      const resource = log.eventResource[e] < 0 ? '' : log.resources[log.eventResource[e]];
      events.push(`${log.activities[log.eventActivity[e]]}|${resource}|${new Date(log.eventTimestamp[e]).toISOString()}`);
    }
    return [caseId, events];
  });
}

function expectWellFormed(log: EventLog): void {
  expect(log.caseOffsets.length).toBe(log.caseCount + 1);
  expect(log.caseOffsets[0]).toBe(0);
  expect(log.caseOffsets[log.caseCount]).toBe(log.eventCount);
  for (const array of [log.eventCase, log.eventActivity, log.eventResource, log.eventTimestamp, log.eventRow]) {
    expect(array.length).toBe(log.eventCount);
  }
  for (const column of log.extraColumns) expect(column.values.length).toBe(log.eventCount);
  for (let c = 0; c < log.caseCount; c++) {
    for (let e = log.caseOffsets[c]; e < log.caseOffsets[c + 1]; e++) {
      expect(log.eventCase[e]).toBe(c);
      if (e > log.caseOffsets[c]) {
        const previous = log.eventTimestamp[e - 1];
        const current = log.eventTimestamp[e];
        expect(previous < current || (previous === current && log.eventRow[e - 1] < log.eventRow[e])).toBe(true);
      }
    }
  }
}

describe('ingestEventLog on the running example', () => {
  it.each([
    ['running-example.csv', 'csv'],
    ['running-example.xes', 'xes'],
  ] as const)('%s has 6 cases, 42 events, 8 activities, 6 resources', async (file, format) => {
    const { log, quality } = await ingestEventLog({ path: path.join(FIXTURES_DIR, file), format }, { now: NOW });
    expectWellFormed(log);
    expect(log.caseCount).toBe(RUNNING_EXAMPLE_FACTS.caseCount);
    expect(log.eventCount).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    expect(log.activities).toHaveLength(RUNNING_EXAMPLE_FACTS.activityCount);
    expect(log.resources).toHaveLength(RUNNING_EXAMPLE_FACTS.resourceCount);
    expect(eventsPerActivity(log)).toEqual(RUNNING_EXAMPLE_FACTS.eventsPerActivity);
    expect(log.eventStart).toBeNull();
    expect(quality.validation).toEqual({
      totalRecords: RUNNING_EXAMPLE_FACTS.eventCount,
      validRecords: RUNNING_EXAMPLE_FACTS.eventCount,
      duplicatesRemoved: 0,
      invalidRecords: 0,
    });
    expect(quality.warnings).toEqual([]);
    expect(quality.dataQualityScore).toBe(100);
    // Every case starts with "register request" (a fact of the book's example).
    for (let c = 0; c < log.caseCount; c++) expect(log.activities[log.eventActivity[log.caseOffsets[c]]]).toBe('register request');
  });

  it('gives identical logs from CSV and XES', async () => {
    const fromCsv = await ingestEventLog({ path: path.join(FIXTURES_DIR, 'running-example.csv'), format: 'csv' }, { now: NOW });
    const fromXes = await ingestEventLog({ path: path.join(FIXTURES_DIR, 'running-example.xes'), format: 'xes' }, { now: NOW });
    const core = ({ log }: typeof fromCsv) => ({
      caseIds: log.caseIds,
      activities: log.activities,
      resources: log.resources,
      eventCase: Array.from(log.eventCase),
      eventActivity: Array.from(log.eventActivity),
      eventResource: Array.from(log.eventResource),
      eventTimestamp: Array.from(log.eventTimestamp),
      eventRow: Array.from(log.eventRow),
      caseOffsets: Array.from(log.caseOffsets),
    });
    expect(core(fromXes)).toEqual(core(fromCsv));
    expect(fromCsv.log.caseIds).toEqual(['3', '2', '1', '6', '5', '4']);
    expect(traces(fromCsv.log)[0]).toEqual([
      '3',
      [
        'register request|Pete|2010-12-30T13:32:00.000Z',
        'examine casually|Mike|2010-12-30T14:06:00.000Z',
        'check ticket|Ellen|2010-12-30T15:34:00.000Z',
        'decide|Sara|2011-01-06T08:18:00.000Z',
        'reinitiate request|Sara|2011-01-06T11:18:00.000Z',
        'examine thoroughly|Sean|2011-01-06T12:06:00.000Z',
        'check ticket|Pete|2011-01-08T10:43:00.000Z',
        'decide|Sara|2011-01-09T08:55:00.000Z',
        'pay compensation|Ellen|2011-01-15T09:45:00.000Z',
      ],
    ]);
  });

  it('keeps unmapped columns and attributes as extra columns', async () => {
    const fromCsv = await ingestEventLog({ path: path.join(FIXTURES_DIR, 'running-example.csv'), format: 'csv' });
    expect(fromCsv.log.extraColumns.map((column) => column.name)).toEqual(['column_1', 'Activity', 'Resource', 'Costs', 'case:creator']);
    expect(fromCsv.columns.sourceColumns[0]).toBe('');
    const fromXes = await ingestEventLog({ path: path.join(FIXTURES_DIR, 'running-example.xes'), format: 'xes' });
    expect(fromXes.log.extraColumns.map((column) => column.name)).toEqual(['case:creator', 'Activity', 'Resource', 'Costs']);
    const costs = (result: typeof fromCsv) => result.log.extraColumns.find((column) => column.name === 'Costs')!.values;
    expect(costs(fromXes)).toEqual(costs(fromCsv));
  });
});

describe('ingestEventLog on BPI Challenge 2012 (gzipped XES)', () => {
  it('keeps every lifecycle event: 262,200 events in 13,087 cases', async () => {
    const progress: IngestProgress[] = [];
    const { log, quality, columns } = await ingestEventLog(
      { path: BPIC_2012_XES_GZ, format: 'xes.gz' },
      { now: NOW, onProgress: (report) => progress.push(report) },
    );
    expect(log.eventCount).toBe(262_200);
    expect(log.caseCount).toBe(13_087);
    expect(quality.validation).toEqual({ totalRecords: 262_200, validRecords: 262_200, duplicatesRemoved: 0, invalidRecords: 0 });
    expect(log.activities).toHaveLength(24);
    const lifecycle = log.extraColumns.find((column) => column.name === 'lifecycle:transition');
    expect(new Set(lifecycle?.values)).toEqual(new Set(['COMPLETE', 'SCHEDULE', 'START']));
    expect(log.extraColumns.map((column) => column.name)).toEqual(['case:REG_DATE', 'case:AMOUNT_REQ', 'lifecycle:transition']);
    expect(columns.sourceColumns).toContain('case:AMOUNT_REQ');
    // Events without org:resource (e.g. START of W_ activities) have resource -1.
    expect(log.eventResource.some((resource) => resource === -1)).toBe(true);
    expect(log.caseIds[0]).toBe('173688');

    // Progress: every 10,000 records plus a final report, monotonic, ending at the whole file.
    expect(progress.length).toBe(27);
    expect(progress.slice(0, 26).map((report) => report.recordsRead)).toEqual(Array.from({ length: 26 }, (_, i) => (i + 1) * 10_000));
    const last = progress[progress.length - 1];
    expect(last.recordsRead).toBe(262_200);
    expect(last.bytesRead).toBe(last.totalBytes);
    for (let i = 1; i < progress.length; i++) expect(progress[i].bytesRead).toBeGreaterThanOrEqual(progress[i - 1].bytesRead);
  });
});

describe('ingestEventLog on dirty data', () => {
  it('reconciles a ;-delimited CSV with missing values, duplicates and odd timestamps', async () => {
    const { log, quality, columns } = await ingestEventLog(
      { path: path.join(DIRTY, 'semicolon-dirty.csv'), format: 'csv' },
      { now: NOW },
    );
    expect(columns.mapping).toEqual({ caseId: 'Case ID', activity: 'Activity', timestamp: 'Timestamp', resource: 'Resource' });
    // 16 data rows: 5 invalid, 2 exact repeats, 9 kept.
    expect(quality.validation).toEqual({ totalRecords: 16, validRecords: 9, duplicatesRemoved: 2, invalidRecords: 5 });
    const { totalRecords, validRecords, invalidRecords, duplicatesRemoved } = quality.validation;
    expect(validRecords + invalidRecords + duplicatesRemoved).toBe(totalRecords);
    expect(quality.invalidReasons).toEqual({
      missingCaseId: 1,
      missingActivity: 1,
      missingTimestamp: 1,
      unparseableTimestamp: 2,
    });
    expect(quality.warnings).toEqual([
      { type: 'DataQuality', message: 'Some timestamps had to be inferred', count: 2 },
      { type: 'DataQuality', message: IMPLAUSIBLE_TIMESTAMPS_MESSAGE, count: 1 },
      { type: 'DataQuality', message: OUT_OF_ORDER_MESSAGE, count: 3 },
      { type: 'DataQuality', message: FIELD_COUNT_MESSAGE, count: 1 },
    ]);
    expect(INFERRED_TIMESTAMPS_MESSAGE).toBe('Some timestamps had to be inferred');
    // 100 × (9 − 0.25×2 − 0.5×1 − 0.1×3 − 0.25×1) / 16 = 46.5625
    expect(quality.dataQualityScore).toBe(46.6);

    expectWellFormed(log);
    expect(log.caseIds).toEqual(['C1', 'C2', 'C3']);
    expect(log.activities).toEqual(['register', 'check', 'decide', 'check "fast"', 'archive', 'close']);
    expect(log.resources).toEqual(['Ann', 'Bob', 'Cid']);
    expect(traces(log)).toEqual([
      ['C1', ['decide|Ann|2024-01-04T08:00:00.000Z', 'register|Ann|2024-01-05T09:00:00.000Z', 'check|Bob|2024-01-05T10:30:00.000Z']],
      ['C2', ['register|Bob|2024-01-06T00:00:00.000Z', 'check|Bob|2024-01-06T00:00:00.000Z', 'check "fast"||2024-01-06T12:00:00.000Z']],
      ['C3', ['archive|Cid|1960-01-01T00:00:00.000Z', 'register|Cid|2024-01-07T08:15:00.000Z', 'close|Cid|2024-01-08T17:00:00.000Z']],
    ]);
    expect(Array.from(log.eventRow)).toEqual([3, 0, 1, 8, 14, 9, 12, 10, 15]);
    expect(log.extraColumns).toEqual([
      {
        name: 'Note',
        values: [
          'out of order',
          'first; with semicolon',
          'multi\nline note',
          'date only',
          'second date only',
          'no resource',
          'implausible past',
          'slash date',
          null,
        ],
      },
    ]);
  });

  it('reads a tab-delimited CRLF file with a BOM, an index column and start timestamps', async () => {
    const { log, quality, columns } = await ingestEventLog(
      { path: path.join(DIRTY, 'tab-crlf-bom.csv'), format: 'csv' },
      { now: NOW },
    );
    expect(columns.sourceColumns).toEqual(['', 'caseid', 'Activity', 'complete_timestamp', 'resource', 'start_timestamp', 'comment']);
    expect(columns.mapping).toEqual({
      caseId: 'caseid',
      activity: 'Activity',
      timestamp: 'complete_timestamp',
      resource: 'resource',
      startTimestamp: 'start_timestamp',
    });
    expect(quality.validation).toEqual({ totalRecords: 4, validRecords: 4, duplicatesRemoved: 0, invalidRecords: 0 });
    expect(quality.warnings).toEqual([{ type: 'DataQuality', message: START_TIMESTAMP_PROBLEM_MESSAGE, count: 2 }]);
    expect(quality.dataQualityScore).toBe(87.5);
    expect(Array.from(log.eventTimestamp)).toEqual([
      Date.UTC(2024, 2, 1, 8),
      Date.UTC(2024, 2, 1, 10, 0, 0, 250),
      Date.UTC(2024, 2, 2, 8),
      Date.UTC(2024, 2, 2, 10),
    ]);
    expect(Array.from(log.eventStart!)).toEqual([Date.UTC(2024, 2, 1, 7, 30), Number.NaN, Date.UTC(2024, 2, 2, 9), Number.NaN]);
    expect(log.extraColumns).toEqual([
      { name: 'column_1', values: ['0', '1', '2', '3'] },
      { name: 'comment', values: ['hello, world', 'line one\r\nline two', 'start after end', 'say "hi"'] },
    ]);
  });

  it('reconciles a dirty XES: orphan events, missing fields, duplicates, lifecycle pairs, nested attributes', async () => {
    const { log, quality, columns } = await ingestEventLog({ path: path.join(DIRTY, 'dirty.xes'), format: 'xes' }, { now: NOW });
    expect(quality.validation).toEqual({ totalRecords: 7, validRecords: 3, duplicatesRemoved: 1, invalidRecords: 3 });
    expect(quality.invalidReasons).toEqual({ missingCaseId: 1, missingActivity: 1, missingTimestamp: 1 });
    expect(quality.warnings).toEqual([
      { type: 'DataQuality', message: 'Some timestamps had to be inferred', count: 1 },
      { type: 'DataQuality', message: OUT_OF_ORDER_MESSAGE, count: 1 },
    ]);
    // 100 × (3 − 0.25 − 0.1) / 7 = 37.857…
    expect(quality.dataQualityScore).toBe(37.9);
    expect(log.caseIds).toEqual(['T1']);
    // The start and complete at the same instant are two events; the repeated complete
    // (same instant written in another zone) is the duplicate.
    expect(traces(log)).toEqual([
      ['T1', ['Approve||2024-02-01T00:00:00.000Z', 'Fill & sign|Ann|2024-02-01T08:00:00.000Z', 'Fill & sign|Ann|2024-02-01T08:00:00.000Z']],
    ]);
    expect(log.extraColumns).toEqual([
      { name: 'case:priority', values: ['2', '2', '2'] },
      { name: 'lifecycle:transition', values: [null, 'start', 'complete'] },
      { name: 'cost', values: [null, null, '12.5'] },
    ]);
    expect(columns.sourceColumns).toEqual([
      'case:concept:name',
      'concept:name',
      'time:timestamp',
      'org:resource',
      'case:priority',
      'lifecycle:transition',
      'cost',
    ]);
  });

  it('flags timestamps more than a day after the reference time as implausible', async () => {
    // A day after this is 2024-01-07T08:00Z, so C3's events at 08:15 that day and on the 8th are too late.
    const early = new Date('2024-01-06T08:00:00Z');
    const { quality } = await ingestEventLog({ path: path.join(DIRTY, 'semicolon-dirty.csv'), format: 'csv' }, { now: early });
    expect(quality.warnings.find((warning) => warning.message === IMPLAUSIBLE_TIMESTAMPS_MESSAGE)?.count).toBe(3);
  });

  it('rejects a CSV whose columns cannot be mapped, naming what is missing', async () => {
    const attempt = ingestEventLog({ path: path.join(DIRTY, 'missing-columns.csv'), format: 'csv' });
    await expect(attempt).rejects.toBeInstanceOf(ColumnMappingError);
    await expect(attempt).rejects.toMatchObject({ missing: ['activity', 'timestamp'] });
  });

  it('reads a CSV lifecycle column: part of the duplicate key, kept as an extra column, repeats set aside', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ingest-lifecycle-'));
    try {
      const file = path.join(folder, 'log.csv');
      await writeFile(file, 'case,activity,lifecycle,timestamp\n1,A,start,2024-01-01T10:00:00Z\n1,A,complete,2024-01-01T10:00:00Z\n1,A,complete,2024-01-01T10:00:00Z\n');
      const { log, quality, columns } = await ingestEventLog({ path: file, format: 'csv' }, { now: NOW });
      expect(columns.mapping.lifecycle).toBe('lifecycle');
      // A start and a complete at the same instant are two events; the repeated complete is a duplicate.
      expect(quality.validation).toEqual({ totalRecords: 3, validRecords: 2, duplicatesRemoved: 1, invalidRecords: 0 });
      expect(log.lifecycles).toEqual(['start', 'complete']);
      expect(Array.from(log.eventLifecycle!)).toEqual([0, 1]);
      expect(log.extraColumns.find((c) => c.name === 'lifecycle')!.values).toEqual(['start', 'complete']);
      expect(log.exactRepeats).toMatchObject({ count: 1, original: Uint32Array.from([1]), row: Uint32Array.from([2]) });
      expectWellFormed(log);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reads fields from their bytes as their text reads: quoted, padded, blank, non-ASCII and interned values', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'ingest-bytes-'));
    try {
      const file = path.join(folder, 'log.csv');
      const rows = [
        'case,activity,timestamp,resource,note',
        'c1,Prüfen,"2024-01-01T10:00:00Z",Zoë,"a ""quoted"" note"',
        ' c1 , Prüfen ,  2024-01-01T11:00:00Z  , Zoë ,x',
        'c1,Décider,   ,Zoë,blank timestamp: missing',
        'c1,Décider,\u00a0,Zoë,no-break space: trimmed away, missing',
        'c1,Décider,\u0001,Zoë,a control character: unparseable',
        'c1,Décider,2024-01-01T12:00:00\u00a0,Zoë,trailing no-break space: trimmed',
        '"c2",Prüfen,2024-01-02 09:00,"Zoë",x',
      ];
      await writeFile(file, `${rows.join('\n')}\n`);
      const { log, quality } = await ingestEventLog({ path: file, format: 'csv' }, { now: NOW });
      expect(quality.invalidReasons).toEqual({ missingTimestamp: 2, unparseableTimestamp: 1 });
      expect(log.caseIds).toEqual(['c1', 'c2']);
      expect(log.activities).toEqual(['Prüfen', 'Décider']);
      expect(log.resources).toEqual(['Zoë']);
      expect(traces(log)).toEqual([
        ['c1', ['Prüfen|Zoë|2024-01-01T10:00:00.000Z', 'Prüfen|Zoë|2024-01-01T11:00:00.000Z', 'Décider|Zoë|2024-01-01T12:00:00.000Z']],
        ['c2', ['Prüfen|Zoë|2024-01-02T09:00:00.000Z']],
      ]);
      expect(log.extraColumns.find((c) => c.name === 'note')!.values).toEqual(['a "quoted" note', 'x', 'trailing no-break space: trimmed', 'x']);
      expectWellFormed(log);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('accepts an explicit mapping for the same file', async () => {
    const { log, quality } = await ingestEventLog({
      path: path.join(DIRTY, 'missing-columns.csv'),
      format: 'csv',
      columns: { activity: 'step', timestamp: 'when' },
    });
    expect(log.eventCount).toBe(1);
    expect(quality.warnings).toEqual([{ type: 'DataQuality', message: 'Some timestamps had to be inferred', count: 1 }]);
  });
});
