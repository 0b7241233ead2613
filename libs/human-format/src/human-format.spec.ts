import { describe, expect, it } from '@jest/globals';
import { formatBytes, formatDuration, formatDurationRange, formatElapsed, formatPercent, formatRate } from './human-format.js';

describe('the reference API\'s prose formats', () => {
  it('sizes like "2.1 GB" and "890 MB"', () => {
    expect(formatBytes(2.1 * 1024 ** 3)).toBe('2.1 GB');
    expect(formatBytes(890 * 1024 ** 2)).toBe('890 MB');
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });

  it('elapsed time like "8 minutes 32 seconds"', () => {
    expect(formatElapsed(512)).toBe('8 minutes 32 seconds');
    expect(formatElapsed(1)).toBe('1 second');
    expect(formatElapsed(7500)).toBe('2 hours 5 minutes');
    expect(formatElapsed(90000)).toBe('1 day 1 hour');
  });

  it('durations like "23 minutes" and "18.5 minutes", ranges like "45-60 minutes"', () => {
    expect(formatDuration(23 * 60)).toBe('23 minutes');
    expect(formatDuration(18.5 * 60)).toBe('18.5 minutes');
    expect(formatDuration(42)).toBe('42 seconds');
    expect(formatDurationRange(45 * 60, 60 * 60)).toBe('45-60 minutes');
    expect(formatDurationRange(30, 30)).toBe('30 seconds');
  });

  it('rates and percentages like "1250 records/second" and "45%"', () => {
    expect(formatRate(1250.4)).toBe('1250 records/second');
    expect(formatPercent(44.6)).toBe('45%');
  });
});
