import { describe, it, expect } from '@jest/globals';
import { ColumnMappingError, detectColumns } from './columns.js';
import { gzipSync } from 'node:zlib';
import { detectFormat } from './detect-format.js';

describe('detectColumns', () => {
  it('maps the running example header, preferring XES names over look-alikes', () => {
    const header = ['', 'concept:name', 'org:resource', 'time:timestamp', 'Activity', 'Resource', 'Costs', 'case:concept:name', 'case:creator'];
    expect(detectColumns(header)).toEqual({
      caseId: 'case:concept:name',
      activity: 'concept:name',
      timestamp: 'time:timestamp',
      resource: 'org:resource',
    });
  });

  it('matches common names ignoring case, spaces and underscores', () => {
    expect(detectColumns(['Case ID', 'ACTIVITY', 'Complete Timestamp', 'Resource', 'Start_Timestamp'])).toEqual({
      caseId: 'Case ID',
      activity: 'ACTIVITY',
      timestamp: 'Complete Timestamp',
      resource: 'Resource',
      startTimestamp: 'Start_Timestamp',
    });
    expect(detectColumns(['caseid', 'activity', 'end_timestamp'])).toEqual({
      caseId: 'caseid',
      activity: 'activity',
      timestamp: 'end_timestamp',
    });
    expect(detectColumns(['case', 'activity', 'timestamp', 'time:start'])).toMatchObject({ startTimestamp: 'time:start' });
  });

  it('finds an optional lifecycle column, or takes the one named', () => {
    expect(detectColumns(['case', 'activity', 'Lifecycle Transition', 'timestamp'])).toMatchObject({ lifecycle: 'Lifecycle Transition' });
    expect(detectColumns(['case:concept:name', 'concept:name', 'lifecycle:transition', 'time:timestamp'])).toMatchObject({ lifecycle: 'lifecycle:transition' });
    expect(detectColumns(['case', 'activity', 'phase', 'timestamp'], { lifecycle: 'phase' })).toMatchObject({ lifecycle: 'phase' });
    expect(detectColumns(['case', 'activity', 'timestamp'])).not.toHaveProperty('lifecycle');
  });

  it('lets explicit columns win and auto-detects the rest', () => {
    const header = ['ticket', 'step', 'when', 'timestamp', 'who'];
    expect(detectColumns(header, { caseId: 'ticket', activity: 'STEP', resource: 'who' })).toEqual({
      caseId: 'ticket',
      activity: 'step',
      timestamp: 'timestamp',
      resource: 'who',
    });
  });

  it('never maps one column to two fields', () => {
    expect(() => detectColumns(['timestamp', 'activity'], { caseId: 'timestamp' })).toThrow(ColumnMappingError);
  });

  it('lists every missing required field', () => {
    let error: unknown;
    try {
      detectColumns(['case_id', 'step', 'when']);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ColumnMappingError);
    const mappingError = error as ColumnMappingError;
    expect(mappingError.missing).toEqual(['activity', 'timestamp']);
    expect(mappingError.sourceColumns).toEqual(['case_id', 'step', 'when']);
    expect(mappingError.message).toContain('activity');
    expect(mappingError.message).toContain('"when"');
  });

  it('reports an explicit column that the header lacks', () => {
    try {
      detectColumns(['case', 'activity', 'timestamp'], { caseId: 'ticket' });
      throw new Error('expected a ColumnMappingError');
    } catch (error) {
      expect(error).toBeInstanceOf(ColumnMappingError);
      expect((error as ColumnMappingError).missing).toEqual(['caseId']);
      expect((error as ColumnMappingError).message).toContain('column "ticket" not found');
    }
  });
});

describe('detectFormat', () => {
  it('recognises gzip by its magic bytes, whatever the name, and tells XES from CSV by what it inflates to', () => {
    const xes = gzipSync('\ufeff\n<?xml version="1.0"?><log xes.version="1.0">' + '<trace></trace>'.repeat(200));
    const csv = gzipSync('case,activity,timestamp\n' + 'c1,a,2024-01-01T00:00:00Z\n'.repeat(200));
    // Only the file's first bytes are read: a partial gzip stream.
    expect(detectFormat('upload.bin', xes.subarray(0, 64))).toBe('xes.gz');
    expect(detectFormat('upload.xes.gz', csv.subarray(0, 64))).toBe('csv.gz');
    expect(detectFormat('upload.bin', csv)).toBe('csv.gz');
    // Not inflatable: the name decides (XES unless it says .csv.gz), and the ingest reports the corruption.
    expect(detectFormat('upload.bin', Buffer.from([0x1f, 0x8b, 0x08, 0x00]))).toBe('xes.gz');
    expect(detectFormat('upload.csv.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00]))).toBe('csv.gz');
  });

  it('recognises XML content', () => {
    expect(detectFormat('log.txt', Buffer.from("<?xml version='1.0'?><log>"))).toBe('xes');
    expect(detectFormat('log', Buffer.from('\ufeff\n  <log xes.version="1.0">'))).toBe('xes');
  });

  it('falls back to the extension, then CSV', () => {
    expect(detectFormat('events.XES', Buffer.alloc(0))).toBe('xes');
    expect(detectFormat('events.xes.gz', Buffer.alloc(0))).toBe('xes.gz');
    expect(detectFormat('events.CSV.GZ', Buffer.alloc(0))).toBe('csv.gz');
    expect(detectFormat('events.csv', Buffer.from('case,activity,timestamp\n'))).toBe('csv');
    expect(detectFormat('events.xes', Buffer.from('case,activity,timestamp\n'))).toBe('xes');
  });
});
