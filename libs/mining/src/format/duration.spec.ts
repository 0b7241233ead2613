import { describe, it, expect } from '@jest/globals';
import { formatDurationShort } from './duration.js';

describe('formatDurationShort', () => {
  it.each([
    [0, '0 s'],
    [0.44, '0.4 s'],
    [9.96, '10 s'],
    [35, '35 s'],
    [59.6, '1 m'],
    [725, '12 m 5 s'],
    [3599.6, '1 h 0 m'],
    [4 * 3600 + 12 * 60, '4 h 12 m'],
    [4 * 3600 + 12 * 60 + 31, '4 h 13 m'],
    [86_399, '1.0 d'],
    [2.3 * 86_400, '2.3 d'],
    [99.96 * 86_400, '100 d'],
    [412.4 * 86_400, '412 d'],
    [-90, '-1 m 30 s'],
    [Number.NaN, 'n/a'],
    [Number.POSITIVE_INFINITY, 'n/a'],
  ])('%p s reads %p', (seconds, expected) => {
    expect(formatDurationShort(seconds)).toBe(expected);
  });
});
