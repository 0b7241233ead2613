import { describe, expect, it } from '@jest/globals';
import { formatSeconds, IsoTimestampFormatter } from './enriched-csv.js';

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
