/**
 * wholeDayRanges: the month and day ranges it reads add up to exactly the days asked for,
 * every day once, and never read more than half a month of day rows per edge.
 */
import { describe, expect, it } from '@jest/globals';
import { wholeDayRanges } from './job-counts.js';

const DAY_MS = 86_400_000;
const FIRST = Date.UTC(2023, 11, 1);
const DAYS = 160; // December 2023 to early May 2024: a leap February, months of 29, 30 and 31 days
const day = (i: number) => new Date(FIRST + i * DAY_MS);

/** How often each day of the calendar is counted by the ranges (open bounds reach the calendar's ends). */
function coverage(first: number | null, last: number | null): number[] {
  const counted = new Array<number>(DAYS).fill(0);
  let dayRows = 0;
  for (const range of wholeDayRanges(first === null ? null : day(first), last === null ? null : day(last))) {
    for (let i = 0; i < DAYS; i++) {
      const d = day(i);
      const key = range.column === 'month' ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)) : d;
      if ((range.from === null || key >= range.from) && (range.to === null || key <= range.to)) {
        counted[i] += range.sign;
        if (range.column === 'day') dayRows += 1;
      }
    }
  }
  expect(dayRows).toBeLessThanOrEqual(30); // at most about half a month on each side
  return counted;
}

describe('wholeDayRanges', () => {
  it('covers exactly the days from first to last, each once, for every pair of days and open ends', () => {
    const bounds: (number | null)[] = [null, ...Array.from({ length: DAYS - 40 }, (_, i) => i + 20)];
    for (const first of bounds) {
      for (const last of bounds) {
        const expected = Array.from({ length: DAYS }, (_, i) =>
          ((first === null || i >= first) && (last === null || i <= last) ? 1 : 0));
        const counted = coverage(first, last);
        if (counted.join() !== expected.join()) throw new Error(`days ${first}..${last}: counted ${counted.join('')}`);
      }
    }
  });

  it('reads a whole month from the month counts alone', () => {
    const ranges = wholeDayRanges(new Date('2024-02-01T00:00:00Z'), new Date('2024-02-29T00:00:00Z'));
    expect(ranges).toEqual([{ table: 'job_count_months', column: 'month', sign: 1, from: new Date('2024-02-01T00:00:00Z'), to: new Date('2024-02-01T00:00:00Z') }]);
  });
});
