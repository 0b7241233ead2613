/**
 * Anomaly detection over cases. Kinds:
 * - case_duration_outlier: case duration outside [Q1 − 1.5·IQR, Q3 + 1.5·IQR] (strictly),
 *   quartiles by type-7 linear interpolation; needs at least 4 cases;
 * - rare_variant: the case's variant holds ≤ rareVariantShare of the cases; applied only on
 *   logs with ≥ rareVariantMinCases cases and only when the rare variants together hold at
 *   most half of the cases (otherwise the log is simply highly variable, and "rare" would
 *   flag most of it);
 * - rework: the case repeats an activity;
 * - unexpected_start_activity / unexpected_end_activity: the first/last activity is not
 *   among the expected ones: given explicitly, or inferred as the most frequent start (end)
 *   activities taken in order until they cover ≥ 95% of the cases.
 */
import type { EventLog } from '../event-log.js';
import {
  ANOMALY_FLAG,
  type ActivityCount,
  type Anomaly,
  type AnomalyFigures,
  type AnomalyKind,
  type CaseDurationFences,
  type VariantAnalysis,
} from './analysis.types.js';
import type { ActivityCounters } from './activity-statistics.js';
import { toActivityCounts } from './activity-statistics.js';
import { QUANTILE_METHOD, formatDuration, quantileSorted, round, sortedCopy } from './numeric.js';
import { eventTransitionKinds } from '../log-transforms/lifecycle-transitions.js';
import { repeatedActivitiesOfCase } from './rework.js';

export interface AnomalyOptions {
  readonly rareVariantShare?: number;
  readonly rareVariantMinCases?: number;
  readonly expectedStartActivities?: readonly string[];
  readonly expectedEndActivities?: readonly string[];
}

export interface AnomalyInputs {
  readonly counters: ActivityCounters;
  readonly caseDurationSeconds: Float64Array;
  readonly variants: VariantAnalysis;
  readonly caseVariantIndex: Uint32Array;
}

const KIND_ORDER: readonly AnomalyKind[] = [
  'case_duration_outlier',
  'rare_variant',
  'rework',
  'unexpected_start_activity',
  'unexpected_end_activity',
];

/** Coverage of inferred expected start/end activities. */
export const EXPECTED_ACTIVITY_COVERAGE = 0.95;

/** Exact (unrounded) fences; null with fewer than 4 cases, where quartiles mean little. */
export function caseDurationFences(seconds: Float64Array): CaseDurationFences | null {
  if (seconds.length < 4) return null;
  const sorted = sortedCopy(seconds);
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  const iqr = q3 - q1;
  return {
    quantileMethod: QUANTILE_METHOD,
    q1Seconds: q1,
    q3Seconds: q3,
    iqrSeconds: iqr,
    lowerFenceSeconds: q1 - 1.5 * iqr,
    upperFenceSeconds: q3 + 1.5 * iqr,
  };
}

/** The most frequent activities, in order, until they cover ≥ 95% of the cases. */
export function inferExpectedActivities(counts: readonly ActivityCount[], caseCount: number): string[] {
  const expected: string[] = [];
  let covered = 0;
  for (const { activity, count } of counts) {
    if (covered >= EXPECTED_ACTIVITY_COVERAGE * caseCount) break;
    expected.push(activity);
    covered += count;
  }
  return expected;
}

export function detectAnomalies(
  log: EventLog,
  inputs: AnomalyInputs,
  options: AnomalyOptions = {},
): { figures: AnomalyFigures; caseAnomalyFlags: Uint8Array } {
  const flags = new Uint8Array(log.caseCount);
  // One list per kind, each filled in case order, merged below without sorting.
  const byKind = new Map<AnomalyKind, { caseIndex: number; reason: string }[]>(KIND_ORDER.map((k) => [k, []]));
  const flag = (caseIndex: number, kind: AnomalyKind, reason: string): void => {
    flags[caseIndex]! |= ANOMALY_FLAG[kind];
    byKind.get(kind)!.push({ caseIndex, reason });
  };

  // Case-duration outliers.
  const fences = caseDurationFences(inputs.caseDurationSeconds);
  if (fences) {
    for (let c = 0; c < log.caseCount; c++) {
      const d = inputs.caseDurationSeconds[c]!;
      if (d > fences.upperFenceSeconds || d < fences.lowerFenceSeconds) {
        const side = d > fences.upperFenceSeconds ? 'above the upper' : 'below the lower';
        const fence = d > fences.upperFenceSeconds ? fences.upperFenceSeconds : fences.lowerFenceSeconds;
        flag(
          c,
          'case_duration_outlier',
          `Case duration ${formatDuration(d)} (${round(d, 3)} s) is ${side} fence ${formatDuration(fence)} (${round(fence, 3)} s); Q1 ${round(fences.q1Seconds, 3)} s, Q3 ${round(fences.q3Seconds, 3)} s, IQR ${round(fences.iqrSeconds, 3)} s.`,
        );
      }
    }
  }

  // Rare variants.
  const share = options.rareVariantShare ?? 0.01;
  const minCases = options.rareVariantMinCases ?? 20;
  const rare = inputs.variants.variants.map((v) => v.caseCount <= share * log.caseCount);
  const rareCases = inputs.variants.variants.reduce((sum, v, i) => sum + (rare[i] ? v.caseCount : 0), 0);
  let rareNote: string;
  let rareApplied = false;
  if (log.caseCount < minCases) {
    rareNote = `Not applied: the log has ${log.caseCount} cases, fewer than ${minCases}.`;
  } else if (rareCases > log.caseCount / 2) {
    rareNote = `Not applied: variants at or below ${round(share * 100, 4)}% of cases hold ${rareCases} of ${log.caseCount} cases (more than half), so the log is highly variable rather than having rare exceptions.`;
  } else {
    rareApplied = true;
    rareNote = `Applied: ${rare.filter(Boolean).length} variants holding ${rareCases} of ${log.caseCount} cases are at or below ${round(share * 100, 4)}% of cases.`;
    for (let c = 0; c < log.caseCount; c++) {
      const v = inputs.caseVariantIndex[c]!;
      if (!rare[v]) continue;
      const variant = inputs.variants.variants[v]!;
      flag(
        c,
        'rare_variant',
        `Case follows variant ${variant.id}, shared by ${variant.caseCount} of ${log.caseCount} cases (${variant.coveragePercent}%), at or below the ${round(share * 100, 4)}% rare-variant threshold.`,
      );
    }
  }

  // Rework.
  const scratch = new Uint32Array(log.activities.length);
  const kinds = eventTransitionKinds(log);
  for (let c = 0; c < log.caseCount; c++) {
    if (!inputs.counters.caseRework[c]) continue;
    const repeated = repeatedActivitiesOfCase(log, c, scratch, kinds)
      .map((r) => `'${r.activity}' ${r.occurrences} times`)
      .join(', ');
    flag(c, 'rework', `Case repeats activities: ${repeated}.`);
  }

  // Start/end violations.
  const explicit = options.expectedStartActivities !== undefined || options.expectedEndActivities !== undefined;
  const expectedStart = options.expectedStartActivities
    ? [...options.expectedStartActivities]
    : inferExpectedActivities(toActivityCounts(log, inputs.counters.startCount), log.caseCount);
  const expectedEnd = options.expectedEndActivities
    ? [...options.expectedEndActivities]
    : inferExpectedActivities(toActivityCounts(log, inputs.counters.endCount), log.caseCount);
  const basisText = (list: readonly string[], given: boolean): string =>
    given
      ? `the expected ones (${list.map((a) => `'${a}'`).join(', ')})`
      : `the most common ones covering ≥ 95% of cases (${list.map((a) => `'${a}'`).join(', ')})`;
  const checkBoundary = (
    kind: 'unexpected_start_activity' | 'unexpected_end_activity',
    expected: readonly string[],
    given: boolean,
    counts: Uint32Array,
  ): void => {
    const allowed = new Set(expected);
    for (let c = 0; c < log.caseCount; c++) {
      const begin = log.caseOffsets[c]!;
      const end = log.caseOffsets[c + 1]!;
      if (end === begin) continue;
      const a = log.eventActivity[kind === 'unexpected_start_activity' ? begin : end - 1]!;
      const name = log.activities[a]!;
      if (allowed.has(name)) continue;
      const verb = kind === 'unexpected_start_activity' ? 'start' : 'end';
      flag(
        c,
        kind,
        `Case ${verb}s with '${name}' (${counts[a]} of ${log.caseCount} cases ${verb} with it), which is not among ${basisText(expected, given)}.`,
      );
    }
  };
  checkBoundary('unexpected_start_activity', expectedStart, options.expectedStartActivities !== undefined, inputs.counters.startCount);
  checkBoundary('unexpected_end_activity', expectedEnd, options.expectedEndActivities !== undefined, inputs.counters.endCount);

  const countsByKind = Object.fromEntries(KIND_ORDER.map((k) => [k, byKind.get(k)!.length])) as Record<AnomalyKind, number>;
  const anomalies: Anomaly[] = [];
  const cursor = KIND_ORDER.map(() => 0);
  let anomalousCaseCount = 0;
  for (let c = 0; c < log.caseCount; c++) {
    if (!flags[c]) continue;
    anomalousCaseCount++;
    KIND_ORDER.forEach((kind, k) => {
      const list = byKind.get(kind)!;
      while (cursor[k]! < list.length && list[cursor[k]!]!.caseIndex === c) {
        anomalies.push({ caseId: log.caseIds[c]!, kind, reason: list[cursor[k]!]!.reason });
        cursor[k]!++;
      }
    });
  }

  return {
    figures: {
      anomalies,
      countsByKind,
      anomalousCaseCount,
      caseDurationFences: fences && {
        quantileMethod: fences.quantileMethod,
        q1Seconds: round(fences.q1Seconds),
        q3Seconds: round(fences.q3Seconds),
        iqrSeconds: round(fences.iqrSeconds),
        lowerFenceSeconds: round(fences.lowerFenceSeconds),
        upperFenceSeconds: round(fences.upperFenceSeconds),
      },
      rareVariants: { applied: rareApplied, thresholdPercent: round(share * 100, 4), note: rareNote },
      expectedStartActivities: expectedStart,
      expectedEndActivities: expectedEnd,
      startEndBasis: explicit ? 'explicit' : 'inferred',
    },
    caseAnomalyFlags: flags,
  };
}
