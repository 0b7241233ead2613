/**
 * Token-based replay (Rozinat & van der Aalst; pm4py's `token_replay` definition).
 *
 * A trace is replayed from the initial marking (its tokens count as produced). For each
 * event a transition with the event's activity is fired: when it is not enabled, silent
 * transitions are fired first if a sequence of them enables it (the shortest such
 * sequence, found breadth-first over the markings silent firings reach); when none does,
 * the tokens it lacks are counted as missing and added. Every firing counts the tokens it
 * consumes and produces. After the last event silent transitions are fired that reach the
 * final marking, or else that bring the marking closest to it; then the final marking is
 * consumed (tokens it lacks are missing) and the tokens left over are remaining.
 *
 *     fitness = ½ (1 − missing / consumed) + ½ (1 − remaining / produced)
 *
 * per trace, and for the log from the counts summed over all cases. An event whose
 * activity no transition carries is skipped without changing the counts (pm4py's default,
 * `consider_activities_not_in_model_in_fitness = False`), but its trace does not fit (pm4py
 * would still call it fit: a log full of unknown activities would be "fitting").
 * A trace fits when it has no missing and no remaining tokens and every activity is in
 * the model.
 */
import {
  closestBySilent, fire, isEnabled, rememberedSilentSearch, sameMarking, searchSilent, type CompiledNet, type CompiledTransition,
} from './compiled-net.js';

/** Markings a silent-transition search may visit per step (guards against silent loops). */
export const SILENT_SEARCH_STATES = 2_000;

export interface TokenCounts {
  missing: number;
  remaining: number;
  consumed: number;
  produced: number;
}

export interface TraceReplay extends TokenCounts {
  readonly fitness: number;
  readonly fits: boolean;
  /** Positions of events fired with missing tokens. */
  readonly forcedEvents: readonly number[];
  /** Positions of events whose activity the model does not have. */
  readonly unknownEvents: readonly number[];
  /**
   * For a trace that fits: the transitions fired, silent ones included, in order — a run of
   * the model from its initial to its final marking that carries exactly the trace's activities.
   */
  readonly firing: readonly CompiledTransition[] | null;
}

export function tokenFitness(c: TokenCounts): number {
  const missingPart = c.consumed > 0 ? 1 - c.missing / c.consumed : 1;
  const remainingPart = c.produced > 0 ? 1 - c.remaining / c.produced : 1;
  return 0.5 * missingPart + 0.5 * remainingPart;
}

export interface ReplayState {
  marking: Int32Array;
  counts: TokenCounts;
  /** Every transition fired so far, in order, where the replay keeps them (a whole trace's does; precision's prefix walk does not). */
  readonly fired?: CompiledTransition[];
}

export function startReplay(net: CompiledNet): ReplayState {
  return {
    marking: net.initialMarking.slice(), counts: { missing: 0, remaining: 0, consumed: 0, produced: net.initialMarking.reduce((s, x) => s + x, 0) }, fired: [],
  };
}

function countFiring(state: ReplayState, t: CompiledTransition): void {
  state.fired?.push(t);
  state.counts.consumed += t.consumes;
  state.counts.produced += t.produces;
  state.marking = fire(t, state.marking);
}

function lacking(t: CompiledTransition, marking: Int32Array): number {
  let missing = 0;
  for (let k = 0; k < t.inPlaces.length; k++) missing += Math.max(0, t.inWeights[k]! - marking[t.inPlaces[k]!]!);
  return missing;
}

export type StepOutcome = 'fired' | 'forced' | 'unknown';

/**
 * Replays one event on the state. With several transitions of the same label, one enabled
 * now wins, then one silent firings can enable, then the one lacking fewest tokens (pm4py
 * keeps one transition per label; this choice only matters for nets with duplicate labels).
 */
export function replayEvent(net: CompiledNet, state: ReplayState, activity: string): StepOutcome {
  const candidates = net.byLabel.get(activity);
  if (!candidates) return 'unknown';
  const enabledNow = candidates.find((t) => isEnabled(t, state.marking));
  if (enabledNow) {
    countFiring(state, enabledNow);
    return 'fired';
  }
  const viaSilent = rememberedSilentSearch(net, state.marking, `enable ${activity}`, () =>
    searchSilent(net, state.marking, (m) => candidates.some((t) => isEnabled(t, m)), SILENT_SEARCH_STATES));
  if (viaSilent) {
    for (const s of viaSilent.fired) countFiring(state, s);
    countFiring(state, candidates.find((t) => isEnabled(t, state.marking))!);
    return 'fired';
  }
  let best = candidates[0]!;
  let bestLacking = lacking(best, state.marking);
  for (const t of candidates) {
    const l = lacking(t, state.marking);
    if (l < bestLacking) {
      best = t;
      bestLacking = l;
    }
  }
  state.counts.missing += bestLacking;
  const topped = state.marking.slice();
  for (let k = 0; k < best.inPlaces.length; k++) topped[best.inPlaces[k]!] = Math.max(topped[best.inPlaces[k]!]!, best.inWeights[k]!);
  state.marking = topped;
  countFiring(state, best);
  return 'forced';
}

/** Tokens the marking lacks or has beyond the final marking. */
function distanceToFinal(net: CompiledNet, marking: Int32Array): number {
  let d = 0;
  for (let p = 0; p < marking.length; p++) d += Math.abs(marking[p]! - net.finalMarking[p]!);
  return d;
}

/**
 * Ends a replay: silent firings that reach the final marking, or else those that bring the
 * marking closest to it (fewest tokens missing plus left over, as pm4py moves tokens toward
 * the final marking along silent paths), then the final marking's consumption.
 */
export function finishReplay(net: CompiledNet, state: ReplayState): void {
  const reached = rememberedSilentSearch(net, state.marking, 'final', () =>
    searchSilent(net, state.marking, (m) => sameMarking(m, net.finalMarking), SILENT_SEARCH_STATES)
      ?? closestBySilent(net, state.marking, (m) => distanceToFinal(net, m), SILENT_SEARCH_STATES));
  for (const s of reached.fired) countFiring(state, s);
  for (let p = 0; p < state.marking.length; p++) {
    const want = net.finalMarking[p]!;
    const have = state.marking[p]!;
    state.counts.consumed += want;
    if (have < want) state.counts.missing += want - have;
    else state.counts.remaining += have - want;
  }
}

export function replayTrace(net: CompiledNet, activities: readonly string[]): TraceReplay {
  const state = startReplay(net);
  const forcedEvents: number[] = [];
  const unknownEvents: number[] = [];
  activities.forEach((activity, i) => {
    const outcome = replayEvent(net, state, activity);
    if (outcome === 'forced') forcedEvents.push(i);
    else if (outcome === 'unknown') unknownEvents.push(i);
  });
  finishReplay(net, state);
  const c = state.counts;
  const fits = c.missing === 0 && c.remaining === 0 && unknownEvents.length === 0;
  return { ...c, fitness: tokenFitness(c), fits, forcedEvents, unknownEvents, firing: fits ? state.fired! : null };
}

export interface WeightedTrace {
  readonly activities: readonly string[];
  readonly caseCount: number;
}

export interface LogReplay extends TokenCounts {
  /** From the summed counts. */
  readonly logFitness: number | null;
  /** Case-weighted mean of the trace fitnesses. */
  readonly averageTraceFitness: number | null;
  readonly fittingCases: number;
  readonly caseCount: number;
  readonly traces: readonly TraceReplay[];
}

/** Replays each distinct trace once and weights it by its case count. */
export function replayLog(net: CompiledNet, traces: readonly WeightedTrace[]): LogReplay {
  const totals: TokenCounts = { missing: 0, remaining: 0, consumed: 0, produced: 0 };
  let fitnessSum = 0;
  let fittingCases = 0;
  let caseCount = 0;
  const replays = traces.map((trace) => {
    const r = replayTrace(net, trace.activities);
    totals.missing += r.missing * trace.caseCount;
    totals.remaining += r.remaining * trace.caseCount;
    totals.consumed += r.consumed * trace.caseCount;
    totals.produced += r.produced * trace.caseCount;
    fitnessSum += r.fitness * trace.caseCount;
    if (r.fits) fittingCases += trace.caseCount;
    caseCount += trace.caseCount;
    return r;
  });
  return {
    ...totals,
    logFitness: caseCount > 0 ? tokenFitness(totals) : null,
    averageTraceFitness: caseCount > 0 ? fitnessSum / caseCount : null,
    fittingCases,
    caseCount,
    traces: replays,
  };
}
