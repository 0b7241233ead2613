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

/**
 * The values added in order. A loop on its own, returning what it added: V8 optimises a long
 * loop while it runs, and code after it in the same function (seen only once the loop ends) was
 * first run in that optimised code, which then deoptimised there on every later call.
 */
export function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum;
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
  // The loops over every value are functions of their own (see sumOf).
  const offsets = new Uint32Array(groupCount + 1);
  countKeys(keys, offsets);
  for (let g = 0; g < groupCount; g++) offsets[g + 1]! += offsets[g]!;
  const sorted = new Float64Array(offsets[groupCount]!);
  placeByKey(keys, values, offsets.slice(0, groupCount), sorted);
  for (let g = 0; g < groupCount; g++) sorted.subarray(offsets[g]!, offsets[g + 1]!).sort();
  return { offsets, sorted };
}

/** Counts each non-negative key's values at counts[key + 1]. */
function countKeys(keys: Int32Array, counts: Uint32Array): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key >= 0) counts[key + 1]!++;
  }
}

/** Puts each value whose key is non-negative at its key's cursor, which moves on. */
function placeByKey(keys: Int32Array, values: Float64Array, cursor: Uint32Array, target: Float64Array): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    if (key >= 0) target[cursor[key]!++] = values[i]!;
  }
}

/**
 * Regroups sorted runs into sorted groups, as `bucketSorted` lays them out: run r holds
 * sorted[runOffsets[r] .. runOffsets[r+1]) in ascending order and belongs to group
 * runGroup[r]; each group is the merge of its runs. Gives the same arrays as bucketSorted
 * of the runs' values keyed by their group, in linear time per merge pass instead of a sort
 * (a group's values are the same numbers whatever their order, so the sorted result is too).
 */
export function mergeSortedRuns(
  runOffsets: Uint32Array,
  sorted: Float64Array,
  runGroup: Uint32Array,
  groupCount: number,
): { offsets: Uint32Array; sorted: Float64Array } {
  const runCount = runGroup.length;
  const offsets = new Uint32Array(groupCount + 1);
  for (let r = 0; r < runCount; r++) offsets[runGroup[r]! + 1]! += runOffsets[r + 1]! - runOffsets[r]!;
  for (let g = 0; g < groupCount; g++) offsets[g + 1]! += offsets[g]!;
  // Each group's runs copied next to each other into `result`, then merged pairwise,
  // back and forth between `result` and `scratch`, until one run is left.
  const result = new Float64Array(offsets[groupCount]!);
  const scratch = new Float64Array(offsets[groupCount]!);
  const cursor = offsets.slice(0, groupCount);
  const runBounds: number[][] = Array.from({ length: groupCount }, (_, g) => [offsets[g]!]);
  for (let r = 0; r < runCount; r++) {
    const length = runOffsets[r + 1]! - runOffsets[r]!;
    if (length === 0) continue;
    const g = runGroup[r]!;
    result.set(sorted.subarray(runOffsets[r]!, runOffsets[r + 1]!), cursor[g]!);
    cursor[g]! += length;
    runBounds[g]!.push(cursor[g]!);
  }
  for (let g = 0; g < groupCount; g++) {
    let bounds = runBounds[g]!;
    let source = result;
    let target = scratch;
    while (bounds.length > 2) {
      const next = [bounds[0]!];
      for (let k = 0; k + 1 < bounds.length; k += 2) {
        const from = bounds[k]!;
        const middle = bounds[k + 1]!;
        const to = k + 2 < bounds.length ? bounds[k + 2]! : middle;
        mergeTwo(source, from, middle, to, target);
        next.push(to);
      }
      bounds = next;
      [source, target] = [target, source];
    }
    if (source !== result) result.set(source.subarray(offsets[g]!, offsets[g + 1]!), offsets[g]!);
  }
  return { offsets, sorted: result };
}

/** Merges the ascending ranges [from, middle) and [middle, to) of `source` into the same positions of `target`. */
function mergeTwo(source: Float64Array, from: number, middle: number, to: number, target: Float64Array): void {
  let i = from;
  let j = middle;
  let out = from;
  while (i < middle && j < to) {
    const a = source[i]!;
    const b = source[j]!;
    if (b < a) {
      target[out++] = b;
      j++;
    } else {
      target[out++] = a;
      i++;
    }
  }
  while (i < middle) target[out++] = source[i++]!;
  while (j < to) target[out++] = source[j++]!;
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
