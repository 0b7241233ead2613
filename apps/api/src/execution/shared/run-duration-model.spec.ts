import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { estimateRunSeconds } from './run-duration-model.js';

describe('estimateRunSeconds', () => {
  it('has no estimate without history, or for a size nothing says how time grows with', () => {
    expect(estimateRunSeconds([], 1_000)).toBeNull();
    // Only 42-record jobs ran: a 1.3M-record job is not comparable, and one size fits no cost per record.
    const small = [{ records: 42, seconds: 0.4 }, { records: 42, seconds: 0.6 }, { records: 42, seconds: 0.5 }];
    expect(estimateRunSeconds(small, 1_300_000)).toBeNull();
  });

  it('answers the interquartile range of jobs on comparable logs (half to twice the size)', () => {
    const samples = [
      { records: 40, seconds: 1 }, { records: 50, seconds: 2 }, { records: 80, seconds: 3 }, { records: 100, seconds: 7 },
      { records: 1_000_000, seconds: 30 }, // not comparable to 50 records
    ];
    // 1, 2, 3, 7: ranks 0.75 and 2.25 → 1.75 and 4.
    expect(estimateRunSeconds(samples, 50)).toEqual({ low: 1.75, high: 4, basis: 'comparableJobs', basedOnJobs: 4 });
  });

  it('scales to a log bigger than any measured one by fixed cost plus cost per record', () => {
    // The measured jobs follow 0.5 s + 20 µs per record exactly: a 1.3M-record job takes 26.5 s.
    const samples = [42, 1_000, 13_000, 262_200].map((records) => ({ records, seconds: 0.5 + records * 20e-6 }));
    const estimate = estimateRunSeconds(samples, 1_300_000)!;
    expect(estimate.basis).toBe('sizeModel');
    expect(estimate.basedOnJobs).toBe(4);
    expect(estimate.low).toBeCloseTo(26.5, 6);
    expect(estimate.high).toBeCloseTo(26.5, 6);
  });

  it('widens the range by how far measured runs strayed from the fit', () => {
    const samples = [
      { records: 1_000, seconds: 1 }, { records: 1_000, seconds: 3 },
      { records: 100_000, seconds: 90 }, { records: 100_000, seconds: 110 },
    ];
    const estimate = estimateRunSeconds(samples, 1_000_000)!;
    expect(estimate.basis).toBe('sizeModel');
    expect(estimate.low).toBeLessThan(estimate.high);
    expect(estimate.low).toBeGreaterThan(500);
    expect(estimate.high).toBeLessThan(1_500);
  });

  it('has no estimate when bigger logs did not take longer', () => {
    expect(estimateRunSeconds([{ records: 10, seconds: 5 }, { records: 10_000, seconds: 1 }], 1_000_000)).toBeNull();
  });

  it('recovers any exact linear law and never answers a negative or inverted range', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 1e-7, max: 1e-2, noNaN: true }),
        fc.uniqueArray(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 2, maxLength: 20 }),
        fc.integer({ min: 1, max: 50_000_000 }),
        (fixed, perRecord, sizes, records) => {
          const samples = sizes.map((size) => ({ records: size, seconds: fixed + perRecord * size }));
          const estimate = estimateRunSeconds(samples, records)!;
          expect(estimate).not.toBeNull();
          expect(estimate.low).toBeGreaterThanOrEqual(0);
          expect(estimate.low).toBeLessThanOrEqual(estimate.high);
          if (estimate.basis === 'sizeModel') {
            const truth = fixed + perRecord * records;
            expect(estimate.low).toBeCloseTo(truth, Math.max(0, 6 - Math.ceil(Math.log10(truth + 1))));
          }
        },
      ),
    );
  });
});
