/**
 * Conformance of each case against a declared sequential model: an expected path
 * (ordered activity names) and/or allowed start/end activities.
 *
 * Against the expected path a trace is aligned with unit costs and no substitutions, so
 * deviations = log moves (events not on the path) + model moves (path steps the case
 * skipped) = |trace| + |path| − 2·LCS(trace, path), and
 * fitness = 1 − deviations / (|trace| + |path|) (1 = follows the path exactly).
 * A case conforms when it has no deviation and no start/end violation. Computed once per
 * variant (cases of a variant share the trace), then weighted by case counts.
 */
import { analyzeVariants, caseDurations, type Variant } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';

export interface ConformanceModel {
  readonly expectedPath?: readonly string[];
  readonly allowedStartActivities?: readonly string[];
  readonly allowedEndActivities?: readonly string[];
}

export interface VariantConformance {
  readonly variantId: string;
  readonly caseCount: number;
  readonly activities: readonly string[];
  readonly conforming: boolean;
  /** Null when no expected path was given. */
  readonly fitness: number | null;
  readonly violationCount: number;
  readonly skippedActivities: readonly string[];
  readonly unexpectedActivities: readonly string[];
  readonly invalidStart: boolean;
  readonly invalidEnd: boolean;
}

export interface ConformanceFigures {
  readonly model: ConformanceModel;
  readonly caseCount: number;
  readonly conformingCaseCount: number;
  readonly conformingCasePercent: number;
  /** Case-weighted mean fitness; null without expected path. */
  readonly meanFitness: number | null;
  readonly meanViolationsPerCase: number;
  readonly casesWithInvalidStart: number;
  readonly casesWithInvalidEnd: number;
  /** Path steps skipped, summed over cases, per activity (sorted by count desc). */
  readonly skippedActivities: readonly { activity: string; count: number }[];
  /** Events not matched to the path, summed over cases, per activity. */
  readonly unexpectedActivities: readonly { activity: string; count: number }[];
  /** Histogram: number of cases per violation count. */
  readonly violationsPerCaseDistribution: readonly { violations: number; caseCount: number }[];
  /** Per variant (same order as the variant analysis). */
  readonly variants: readonly VariantConformance[];
}

/** Longest common subsequence with the matched positions of the trace (classic DP; traces are short). */
function alignToPath(trace: readonly string[], path: readonly string[]): { matchedTrace: boolean[]; matchedPath: boolean[]; lcs: number } {
  const n = trace.length;
  const m = path.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number): number => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[at(i, j)] = trace[i] === path[j] ? table[at(i + 1, j + 1)]! + 1 : Math.max(table[at(i + 1, j)]!, table[at(i, j + 1)]!);
    }
  }
  const matchedTrace = new Array<boolean>(n).fill(false);
  const matchedPath = new Array<boolean>(m).fill(false);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (trace[i] === path[j]) {
      matchedTrace[i] = true;
      matchedPath[j] = true;
      i++;
      j++;
    } else if (table[at(i + 1, j)]! >= table[at(i, j + 1)]!) i++;
    else j++;
  }
  return { matchedTrace, matchedPath, lcs: table[at(0, 0)]! };
}

function countSorted(counts: Map<string, number>): { activity: string; count: number }[] {
  return [...counts].map(([activity, count]) => ({ activity, count })).sort((a, b) => b.count - a.count || (a.activity < b.activity ? -1 : 1));
}

export function checkVariantConformance(variant: Pick<Variant, 'id' | 'activities' | 'caseCount'>, model: ConformanceModel): VariantConformance {
  const trace = variant.activities;
  let fitness: number | null = null;
  const skipped: string[] = [];
  const unexpected: string[] = [];
  if (model.expectedPath && model.expectedPath.length > 0) {
    const path = model.expectedPath;
    const { matchedTrace, matchedPath, lcs } = alignToPath(trace, path);
    path.forEach((activity, j) => !matchedPath[j] && skipped.push(activity));
    trace.forEach((activity, i) => !matchedTrace[i] && unexpected.push(activity));
    fitness = trace.length + path.length === 0 ? 1 : 1 - (trace.length + path.length - 2 * lcs) / (trace.length + path.length);
  }
  const invalidStart = model.allowedStartActivities !== undefined && (trace.length === 0 || !model.allowedStartActivities.includes(trace[0]!));
  const invalidEnd = model.allowedEndActivities !== undefined && (trace.length === 0 || !model.allowedEndActivities.includes(trace[trace.length - 1]!));
  const violationCount = skipped.length + unexpected.length + (invalidStart ? 1 : 0) + (invalidEnd ? 1 : 0);
  return {
    variantId: variant.id,
    caseCount: variant.caseCount,
    activities: trace,
    conforming: violationCount === 0,
    fitness: fitness === null ? null : Math.round(fitness * 10_000) / 10_000,
    violationCount,
    skippedActivities: skipped,
    unexpectedActivities: unexpected,
    invalidStart,
    invalidEnd,
  };
}

export function checkConformance(log: EventLog, model: ConformanceModel, variants?: readonly Variant[]): ConformanceFigures {
  const variantList = variants ?? analyzeVariants(log, caseDurations(log).seconds).analysis.variants;
  const perVariant = variantList.map((variant) => checkVariantConformance(variant, model));
  let conformingCases = 0;
  let fitnessSum = 0;
  let violationSum = 0;
  let invalidStart = 0;
  let invalidEnd = 0;
  const skipped = new Map<string, number>();
  const unexpected = new Map<string, number>();
  const distribution = new Map<number, number>();
  for (const v of perVariant) {
    if (v.conforming) conformingCases += v.caseCount;
    fitnessSum += (v.fitness ?? 0) * v.caseCount;
    violationSum += v.violationCount * v.caseCount;
    if (v.invalidStart) invalidStart += v.caseCount;
    if (v.invalidEnd) invalidEnd += v.caseCount;
    for (const a of v.skippedActivities) skipped.set(a, (skipped.get(a) ?? 0) + v.caseCount);
    for (const a of v.unexpectedActivities) unexpected.set(a, (unexpected.get(a) ?? 0) + v.caseCount);
    distribution.set(v.violationCount, (distribution.get(v.violationCount) ?? 0) + v.caseCount);
  }
  const caseCount = log.caseCount;
  const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
  return {
    model,
    caseCount,
    conformingCaseCount: conformingCases,
    conformingCasePercent: caseCount === 0 ? 0 : round4((100 * conformingCases) / caseCount),
    meanFitness: model.expectedPath && caseCount > 0 ? round4(fitnessSum / caseCount) : null,
    meanViolationsPerCase: caseCount === 0 ? 0 : round4(violationSum / caseCount),
    casesWithInvalidStart: invalidStart,
    casesWithInvalidEnd: invalidEnd,
    skippedActivities: countSorted(skipped),
    unexpectedActivities: countSorted(unexpected),
    violationsPerCaseDistribution: [...distribution].map(([violations, n]) => ({ violations, caseCount: n })).sort((a, b) => a.violations - b.violations),
    variants: perVariant,
  };
}
