/**
 * Variants: the sequence of activities of a case. Sorted by case count desc; ties keep the
 * order of first occurrence (the lowest case index, i.e. the log's case order). Ids V1, V2,
 * ... follow that order.
 */
import type { EventLog } from '../event-log.js';
import type { Variant, VariantAnalysis } from './analysis.types.js';
import { round } from './numeric.js';

const CHUNK = 4096;

/** A compact string key of a case's activity ids (one UTF-16 unit per id when ids < 65536). */
function sequenceKey(activities: Uint32Array, begin: number, end: number, wide: boolean): string {
  if (wide) return Array.prototype.join.call(activities.subarray(begin, end), ',');
  let key = '';
  for (let at = begin; at < end; at += CHUNK) {
    key += String.fromCharCode.apply(null, activities.subarray(at, Math.min(end, at + CHUNK)) as unknown as number[]);
  }
  return key;
}

export interface VariantResult {
  readonly analysis: VariantAnalysis;
  /** Per case: index into analysis.variants. */
  readonly caseVariantIndex: Uint32Array;
}

export function analyzeVariants(log: EventLog, caseDurationSeconds: Float64Array): VariantResult {
  const wide = log.activities.length > 0xffff;
  const keyToGroup = new Map<string, number>();
  const groupFirstCase: number[] = [];
  const caseGroup = new Uint32Array(log.caseCount);
  for (let c = 0; c < log.caseCount; c++) {
    const key = sequenceKey(log.eventActivity, log.caseOffsets[c]!, log.caseOffsets[c + 1]!, wide);
    let group = keyToGroup.get(key);
    if (group === undefined) {
      group = groupFirstCase.length;
      keyToGroup.set(key, group);
      groupFirstCase.push(c);
    }
    caseGroup[c] = group;
  }
  const groupCount = groupFirstCase.length;
  const groupCases = new Uint32Array(groupCount);
  const groupDuration = new Float64Array(groupCount);
  for (let c = 0; c < log.caseCount; c++) {
    groupCases[caseGroup[c]!]!++;
    groupDuration[caseGroup[c]!]! += caseDurationSeconds[c]!;
  }
  // Groups are numbered by first occurrence, so a stable sort by count keeps that tie order.
  const order = Array.from({ length: groupCount }, (_, g) => g).sort((x, y) => groupCases[y]! - groupCases[x]! || x - y);
  const rankOfGroup = new Uint32Array(groupCount);
  const variants: Variant[] = [];
  let cumulative = 0;
  order.forEach((group, rank) => {
    rankOfGroup[group] = rank;
    const firstCase = groupFirstCase[group]!;
    const activities: string[] = [];
    for (let i = log.caseOffsets[firstCase]!; i < log.caseOffsets[firstCase + 1]!; i++) {
      activities.push(log.activities[log.eventActivity[i]!]!);
    }
    cumulative += groupCases[group]!;
    variants.push({
      id: `V${rank + 1}`,
      activities,
      caseCount: groupCases[group]!,
      coveragePercent: round((groupCases[group]! / log.caseCount) * 100, 4),
      cumulativeCoveragePercent: round((cumulative / log.caseCount) * 100, 4),
      meanDurationSeconds: round(groupDuration[group]! / groupCases[group]!),
    });
  });
  const caseVariantIndex = new Uint32Array(log.caseCount);
  for (let c = 0; c < log.caseCount; c++) caseVariantIndex[c] = rankOfGroup[caseGroup[c]!]!;
  return { analysis: { variantCount: groupCount, variants }, caseVariantIndex };
}
