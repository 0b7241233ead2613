/**
 * How long a job will run, from how long the tenant's recent jobs of its type ran on logs of
 * known size (their DurationSamples) and the size of this job's dataset:
 * - jobs on comparable logs (half to twice this job's records) were measured: the interquartile
 *   range of their run times;
 * - otherwise run time = fixed cost + cost per record, fitted by least squares over every
 *   sample, and the range is that prediction times the quartiles of measured/fitted over the
 *   samples (how far real runs strayed from the fit);
 * - with no sample, no spread of sizes to fit a cost per record from, or a fit that does not
 *   grow with size: null, never a made-up range.
 */
import type { DurationSample } from '../../../../../libs/read-store/src/read-store.port.js';

export interface RunDurationEstimate {
  readonly low: number;
  readonly high: number;
  readonly basis: 'comparableJobs' | 'sizeModel';
  /** Samples the estimate rests on. */
  readonly basedOnJobs: number;
}

/** Logs within this factor of the job's size count as comparable. */
const COMPARABLE_FACTOR = 2;

/** percentile_cont: linear interpolation between the two closest ranks of the sorted values. */
function quantile(sorted: readonly number[], p: number): number {
  const rank = p * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (rank - lower);
}

function quartiles(values: readonly number[]): { p25: number; p75: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p25: quantile(sorted, 0.25), p75: quantile(sorted, 0.75) };
}

/**
 * Estimates already made from one array of samples, by record count. The samples come from
 * a cache that hands out the same array for a few seconds, and sorting them anew for every
 * submit was the largest item of a submit's own CPU.
 */
const estimatesBySamples = new WeakMap<readonly DurationSample[], Map<number, RunDurationEstimate | null>>();
const MAX_MEMOISED_SIZES = 256;

export function estimateRunSeconds(samples: readonly DurationSample[], records: number): RunDurationEstimate | null {
  let bySize = estimatesBySamples.get(samples);
  if (!bySize) estimatesBySamples.set(samples, (bySize = new Map()));
  if (bySize.has(records)) return bySize.get(records)!;
  const estimate = estimateFrom(samples, records);
  if (bySize.size < MAX_MEMOISED_SIZES) bySize.set(records, estimate);
  return estimate;
}

function estimateFrom(samples: readonly DurationSample[], records: number): RunDurationEstimate | null {
  const usable = samples.filter((s) => Number.isFinite(s.records) && s.records >= 0 && Number.isFinite(s.seconds) && s.seconds >= 0);
  if (usable.length === 0 || !Number.isFinite(records) || records < 0) return null;

  const comparable = usable.filter((s) => s.records * COMPARABLE_FACTOR >= records && s.records <= records * COMPARABLE_FACTOR);
  if (comparable.length > 0) {
    const { p25, p75 } = quartiles(comparable.map((s) => s.seconds));
    return { low: p25, high: p75, basis: 'comparableJobs', basedOnJobs: comparable.length };
  }

  const n = usable.length;
  const meanX = usable.reduce((sum, s) => sum + s.records, 0) / n;
  const meanY = usable.reduce((sum, s) => sum + s.seconds, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const s of usable) {
    sxx += (s.records - meanX) ** 2;
    sxy += (s.records - meanX) * (s.seconds - meanY);
  }
  if (sxx === 0) return null; // every sample had the same size: nothing says how time grows with it
  const perRecord = sxy / sxx;
  if (!(perRecord > 0)) return null;
  const fixed = Math.max(0, meanY - perRecord * meanX);
  const fitted = (x: number): number => fixed + perRecord * x;
  const ratios = usable.filter((s) => fitted(s.records) > 0).map((s) => s.seconds / fitted(s.records));
  if (ratios.length === 0) return null;
  const spread = quartiles(ratios);
  const predicted = fitted(records);
  return { low: predicted * spread.p25, high: predicted * spread.p75, basis: 'sizeModel', basedOnJobs: n };
}
