/**
 * Conformance of a log against an accepting Petri net: token replay, alignments and
 * ETConformance precision, each computed once per variant (cases of a variant share the
 * trace) and weighted by case counts; plus the deviations per activity and per variant.
 */
import { round, percent } from '../analysis/numeric.js';
import type { AcceptingPetriNet } from '../models/petri-net.js';
import { alignLog, DEFAULT_ALIGNMENT_LIMITS, type AlignmentLimits } from './alignments.js';
import { compileNet } from './compiled-net.js';
import { etcPrecision } from './precision.js';
import { replayLog } from './token-replay.js';

export interface ConformanceTrace {
  readonly variantId: string;
  readonly activities: readonly string[];
  readonly caseCount: number;
  /** Some of the variant's case ids (listed with its deviations). */
  readonly exampleCaseIds?: readonly string[];
}

export interface ModelDescription {
  /** `inline` (parameters.model), `upload` (parameters.modelId) or `discovered`. */
  readonly source: 'inline' | 'upload' | 'discovered';
  readonly format: 'pnml' | 'bpmn' | null;
  readonly modelId?: string;
  readonly name?: string;
  readonly places: number;
  readonly transitions: number;
}

export interface ActivityDeviation {
  readonly activity: string;
  readonly inModel: boolean;
  /** Case-weighted; null when alignments were not computed for the whole log. */
  readonly logMoves: number | null;
  readonly modelMoves: number | null;
  /** Events replayed with missing tokens (token replay), case-weighted. */
  readonly forcedFirings: number;
  /** Events skipped by token replay because the model lacks the activity, case-weighted. */
  readonly eventsNotInModel: number;
}

export interface VariantDeviation {
  readonly variantId: string;
  readonly caseCount: number;
  /** Up to EXAMPLE_CASE_IDS of its cases, in log order. */
  readonly exampleCaseIds: readonly string[];
  readonly activities: readonly string[];
  readonly tokenReplay: { readonly fitness: number; readonly missing: number; readonly remaining: number; readonly consumed: number; readonly produced: number };
  readonly alignmentFitness: number | null;
  /** Activities of the log moves / model moves of the variant's optimal alignment (null when not aligned). */
  readonly logMoves: readonly string[] | null;
  readonly modelMoves: readonly string[] | null;
}

export interface ModelConformanceFigures {
  readonly mode: 'model';
  readonly model: ModelDescription;
  readonly caseCount: number;
  readonly tokenReplay: {
    readonly logFitness: number | null;
    readonly averageTraceFitness: number | null;
    readonly fittingTraces: number;
    readonly fittingTracePercent: number | null;
    readonly missing: number;
    readonly remaining: number;
    readonly consumed: number;
    readonly produced: number;
  };
  readonly alignments: {
    readonly fitness: number | null;
    readonly averageTraceFitness: number | null;
    readonly computedTraces: number;
    readonly skippedTraces: number;
    readonly reason: string | null;
  };
  readonly precision: number | null;
  readonly deviations: {
    /** Most deviating first, at most `maxActivities`. */
    readonly perActivity: readonly ActivityDeviation[];
    /** Deviating variants, most cases first, at most `maxVariants`. */
    readonly cases: readonly VariantDeviation[];
    readonly deviatingVariants: number;
    readonly deviatingCases: number;
  };
}

export interface ModelConformanceOptions {
  readonly alignmentLimits?: AlignmentLimits;
  readonly maxActivities?: number;
  readonly maxVariants?: number;
}

const nullableRound = (x: number | null): number | null => (x === null ? null : round(x));

export function checkModelConformance(
  model: AcceptingPetriNet, description: ModelDescription, traces: readonly ConformanceTrace[], options: ModelConformanceOptions = {},
): ModelConformanceFigures {
  const net = compileNet(model);
  const replay = replayLog(net, traces);
  const aligned = alignLog(net, traces, options.alignmentLimits ?? DEFAULT_ALIGNMENT_LIMITS, replay.traces.map((t) => t.firing));
  const precision = etcPrecision(net, traces);
  const alignedWhole = aligned.fitness !== null;

  const perActivity = new Map<string, { logMoves: number; modelMoves: number; forcedFirings: number; eventsNotInModel: number }>();
  const entry = (activity: string) => {
    let e = perActivity.get(activity);
    if (!e) perActivity.set(activity, (e = { logMoves: 0, modelMoves: 0, forcedFirings: 0, eventsNotInModel: 0 }));
    return e;
  };
  const deviating: VariantDeviation[] = [];
  let deviatingCases = 0;
  traces.forEach((trace, i) => {
    const r = replay.traces[i]!;
    const a = aligned.traces[i] ?? null;
    for (const at of r.forcedEvents) entry(trace.activities[at]!).forcedFirings += trace.caseCount;
    for (const at of r.unknownEvents) entry(trace.activities[at]!).eventsNotInModel += trace.caseCount;
    const logMoves = a ? a.alignment.moves.flatMap((m) => (m.kind === 'log' ? [m.activity] : [])) : null;
    const modelMoves = a ? a.alignment.moves.flatMap((m) => (m.kind === 'model' ? [m.activity] : [])) : null;
    for (const activity of logMoves ?? []) entry(activity).logMoves += trace.caseCount;
    for (const activity of modelMoves ?? []) entry(activity).modelMoves += trace.caseCount;
    const deviates = !r.fits || (a !== null && a.alignment.deviations > 0);
    if (!deviates) return;
    deviatingCases += trace.caseCount;
    deviating.push({
      variantId: trace.variantId,
      caseCount: trace.caseCount,
      exampleCaseIds: trace.exampleCaseIds ?? [],
      activities: trace.activities,
      tokenReplay: { fitness: round(r.fitness), missing: r.missing, remaining: r.remaining, consumed: r.consumed, produced: r.produced },
      alignmentFitness: a ? round(a.fitness) : null,
      logMoves,
      modelMoves,
    });
  });
  const activities = [...perActivity]
    .map(([activity, e]): ActivityDeviation => ({
      activity,
      inModel: net.byLabel.has(activity),
      logMoves: alignedWhole ? e.logMoves : null,
      modelMoves: alignedWhole ? e.modelMoves : null,
      forcedFirings: e.forcedFirings,
      eventsNotInModel: e.eventsNotInModel,
    }))
    .filter((d) => (d.logMoves ?? 0) + (d.modelMoves ?? 0) + d.forcedFirings + d.eventsNotInModel > 0);
  const weight = (d: ActivityDeviation): number => (alignedWhole ? d.logMoves! + d.modelMoves! : d.forcedFirings + d.eventsNotInModel);
  activities.sort((x, y) => weight(y) - weight(x) || (x.activity < y.activity ? -1 : 1));
  deviating.sort((x, y) => y.caseCount - x.caseCount);

  return {
    mode: 'model',
    model: description,
    caseCount: replay.caseCount,
    tokenReplay: {
      logFitness: nullableRound(replay.logFitness),
      averageTraceFitness: nullableRound(replay.averageTraceFitness),
      fittingTraces: replay.fittingCases,
      fittingTracePercent: replay.caseCount > 0 ? percent(replay.fittingCases, replay.caseCount) : null,
      missing: replay.missing,
      remaining: replay.remaining,
      consumed: replay.consumed,
      produced: replay.produced,
    },
    alignments: {
      fitness: nullableRound(aligned.fitness),
      averageTraceFitness: nullableRound(aligned.averageTraceFitness),
      computedTraces: aligned.computedTraces,
      skippedTraces: aligned.skippedTraces,
      reason: aligned.reason,
    },
    precision: nullableRound(precision.precision),
    deviations: {
      perActivity: activities.slice(0, options.maxActivities ?? 20),
      cases: deviating.slice(0, options.maxVariants ?? 50),
      deviatingVariants: deviating.length,
      deviatingCases,
    },
  };
}
