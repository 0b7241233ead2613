import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { eventLogFromRows, type EventRow } from '../testing/event-log-from-rows.js';
import { computeDfgCore } from './dfg.js';
import { bucketSorted, mergeSortedRuns } from './numeric.js';
import { secondsSincePrevious, waitingTime } from './performance.js';

describe('mergeSortedRuns', () => {
  it('gives what bucketSorted gives for the runs regrouped (random runs)', () => {
    const runs = fc.array(
      fc.record({ group: fc.nat({ max: 5 }), values: fc.array(fc.integer({ min: -5_000, max: 5_000 }).map((ms) => ms / 1000), { maxLength: 12 }) }),
      { maxLength: 16 },
    );
    fc.assert(
      fc.property(runs, (given) => {
        const groupCount = 6;
        const runOffsets = new Uint32Array(given.length + 1);
        given.forEach((run, r) => (runOffsets[r + 1] = runOffsets[r]! + run.values.length));
        const sorted = Float64Array.from(given.flatMap((run) => [...run.values].sort((a, b) => a - b)));
        const merged = mergeSortedRuns(runOffsets, sorted, Uint32Array.from(given.map((run) => run.group)), groupCount);
        const keys = Int32Array.from(given.flatMap((run) => run.values.map(() => run.group)));
        const expected = bucketSorted(keys, Float64Array.from(given.flatMap((run) => run.values)), groupCount);
        expect(Array.from(merged.offsets)).toEqual(Array.from(expected.offsets));
        expect(Array.from(merged.sorted)).toEqual(Array.from(expected.sorted));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('waiting time from the DFG core', () => {
  it('equals the waiting time sorted from the events on logs without start timestamps (random logs)', () => {
    const row = fc.record({ case: fc.constantFrom('1', '2', '3', '4'), activity: fc.constantFrom('a', 'b', 'c', 'd', 'e'), minute: fc.nat({ max: 600 }), second: fc.nat({ max: 59 }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 60 }), (rows) => {
        const log = eventLogFromRows(
          rows.map((r): EventRow => ({ case: r.case, activity: r.activity, timestamp: new Date(Date.UTC(2024, 0, 1) + r.minute * 60_000 + r.second * 1000 + r.second).toISOString() })),
        );
        const sincePrevious = secondsSincePrevious(log);
        expect(waitingTime(log, sincePrevious, computeDfgCore(log))).toEqual(waitingTime(log, sincePrevious));
      }),
      { numRuns: 1_000 },
    );
  });
});
