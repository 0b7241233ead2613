import { describe, it, expect } from '@jest/globals';
import { filterByTimeWindow, parseWindowBound, validateTimeWindow } from './time-window.js';
import { eventLogFromRows } from '../testing/event-log-from-rows.js';
import { analyzeLog } from './analyze-log.js';

// Case A entirely in January, B spans January/February, C only in February.
const log = eventLogFromRows([
  { case: 'A', activity: 'open', timestamp: '2024-01-01T00:00:00Z', resource: 'ann' },
  { case: 'A', activity: 'close', timestamp: '2024-01-31T23:30:00Z', resource: 'ann' },
  { case: 'B', activity: 'open', timestamp: '2024-01-20T08:00:00Z', resource: 'bob' },
  { case: 'B', activity: 'close', timestamp: '2024-02-02T08:00:00Z', resource: 'bob' },
  { case: 'C', activity: 'open', timestamp: '2024-02-03T08:00:00Z', resource: 'cid' },
  { case: 'C', activity: 'escalate', timestamp: '2024-02-04T08:00:00Z', resource: 'cid' },
]);
const january = { startDate: '2024-01-01', endDate: '2024-01-31' };

describe('time-window filter', () => {
  it('reads date-only bounds as whole UTC days', () => {
    expect(parseWindowBound('2024-01-31', 'start')).toBe(Date.parse('2024-01-31T00:00:00.000Z'));
    expect(parseWindowBound('2024-01-31', 'end')).toBe(Date.parse('2024-01-31T23:59:59.999Z'));
    expect(parseWindowBound('2024-01-31T12:00:00+02:00', 'end')).toBe(Date.parse('2024-01-31T10:00:00Z'));
  });

  it('events mode keeps the events inside, bounds inclusive', () => {
    const { log: filtered, applied } = filterByTimeWindow(log, { ...january, mode: 'events' });
    expect(filtered.caseIds).toEqual(['A', 'B']);
    expect(filtered.eventCount).toBe(3); // A open (at the start bound), A close (last day), B open
    expect(Array.from(filtered.caseOffsets)).toEqual([0, 2, 3]);
    expect(filtered.activities).toEqual(['open', 'close']);
    expect(filtered.resources).toEqual(['ann', 'bob']);
    expect(applied).toEqual({
      mode: 'events',
      from: '2024-01-01T00:00:00.000Z',
      to: '2024-01-31T23:59:59.999Z',
      casesBefore: 3,
      casesAfter: 2,
      eventsBefore: 6,
      eventsAfter: 3,
    });
  });

  it('contained mode keeps only cases entirely inside', () => {
    const { log: filtered } = filterByTimeWindow(log, { ...january, mode: 'contained' });
    expect(filtered.caseIds).toEqual(['A']);
    expect(filtered.eventCount).toBe(2);
  });

  it('intersecting mode keeps whole cases touching the window', () => {
    const { log: filtered } = filterByTimeWindow(log, { ...january, mode: 'intersecting' });
    expect(filtered.caseIds).toEqual(['A', 'B']);
    expect(filtered.eventCount).toBe(4);
    // The dictionaries are compacted: 'escalate' and 'cid' only occurred in C.
    expect(filtered.activities).toEqual(['open', 'close']);
    expect(filtered.resources).toEqual(['ann', 'bob']);
  });

  it('a one-sided window is open on the other side', () => {
    const { log: filtered } = filterByTimeWindow(log, { startDate: '2024-02-03T08:00:00Z', mode: 'contained' });
    expect(filtered.caseIds).toEqual(['C']);
  });

  it('analyzeLog applies the window before measuring', () => {
    const { figures } = analyzeLog(log, { timeWindow: { ...january, mode: 'contained' } });
    expect(figures.summary.caseCount).toBe(1);
    expect(figures.timeWindow?.casesAfter).toBe(1);
  });

  it('validates the raw parameter', () => {
    expect(validateTimeWindow(undefined)).toEqual({ window: null, problems: [] });
    expect(validateTimeWindow({ startDate: '2024-01-01', endDate: '2024-01-31' }).window).toEqual({ ...january, mode: 'events' });
    expect(validateTimeWindow({ startDate: 'yesterday', mode: 'sideways' }).problems.map((p) => p.field)).toEqual([
      'parameters.timeWindow.startDate',
      'parameters.timeWindow.mode',
    ]);
    expect(validateTimeWindow({ startDate: '2024-02-01', endDate: '2024-01-01' }).problems[0]!.field).toBe(
      'parameters.timeWindow.endDate',
    );
    expect(validateTimeWindow({ mode: 'events' }).problems[0]!.message).toContain('startDate');
  });
});
