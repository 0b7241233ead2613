/** Small numeric helpers shared by the analyses. All work on plain or typed number arrays. */

/** Name of the quantile method used everywhere (documented in the README). */
export const QUANTILE_METHOD =
  'linear interpolation between closest ranks (Hyndman-Fan type 7, the default of NumPy/pandas/R): position p*(n-1) in the sorted values';

/** Quantile of an ascending-sorted array (type 7). NaN for an empty array. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = p * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * fraction;
}

export function medianSorted(sorted: ArrayLike<number>): number {
  return quantileSorted(sorted, 0.5);
}

/** Sample standard deviation (n-1) from sum and sum of squared deviations; null for n < 2. */
export function sampleStdev(values: ArrayLike<number>, mean: number): number | null {
  const n = values.length;
  if (n < 2) return null;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    squares += d * d;
  }
  return Math.sqrt(squares / (n - 1));
}

export function meanOf(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  return sum / n;
}

/** Copies and sorts ascending (typed-array sort is numeric). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values);
  copy.sort();
  return copy;
}

export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** Rounds to a fixed number of decimals so JSON figures stay readable and comparable. */
export function round(value: number, decimals = 6): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : round((part / whole) * 100, 4);
}

/**
 * Groups values by an integer key without allocating per value: returns offsets (length
 * groupCount + 1) and the values laid out group after group, each group sorted ascending.
 * Values whose key is negative are skipped.
 */
export function bucketSorted(
  keys: Int32Array,
  values: Float64Array,
  groupCount: number,
): { offsets: Uint32Array; sorted: Float64Array } {
  const offsets = new Uint32Array(groupCount + 1);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key >= 0) offsets[key + 1]!++;
  }
  for (let g = 0; g < groupCount; g++) offsets[g + 1]! += offsets[g]!;
  const cursor = offsets.slice(0, groupCount);
  const sorted = new Float64Array(offsets[groupCount]!);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key >= 0) sorted[cursor[key]!++] = values[i]!;
  }
  for (let g = 0; g < groupCount; g++) sorted.subarray(offsets[g]!, offsets[g + 1]!).sort();
  return { offsets, sorted };
}

/** Human-readable duration for messages ("3.2 days", "45 min"). Figures stay in seconds. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  const abs = Math.abs(seconds);
  if (abs < 60) return `${round(seconds, 1)} s`;
  if (abs < 3600) return `${round(seconds / 60, 1)} min`;
  if (abs < 86400) return `${round(seconds / 3600, 1)} h`;
  return `${round(seconds / 86400, 1)} days`;
}
