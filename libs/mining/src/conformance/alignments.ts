/**
 * Optimal alignments (Adriansyah; pm4py's `alignments` with the standard cost function).
 *
 * A* over the synchronous product of the trace and the net: a state is (events aligned so
 * far, marking); a move is a synchronous move (the event's activity fired in the model,
 * cost 0), a log move (the event only in the log), a model move (a visible transition
 * fired without an event) or a silent move (a silent transition). Costs are pm4py's:
 * 10,000 for a log or model move and 1 for a silent move, so the optimum has the fewest
 * deviations and, among those, the fewest silent steps. The goal is the whole trace
 * aligned and the final marking reached. The heuristic counts the remaining events that
 * must become log moves: those whose activity no transition carries, and those whose
 * transitions no path of arcs leads to from the marked places (the net has moved past
 * them). Firing only moves tokens forward along arcs, so that set never shrinks: the
 * heuristic never overestimates and is consistent, and the first goal taken from the queue
 * is optimal (pm4py's marking-equation heuristic is stronger, not different in result).
 *
 *     trace fitness = 1 − deviations / (|trace| + model moves of the cheapest empty-trace alignment)
 *     log fitness   = 1 − Σ deviations / Σ (|trace| + that same model-move count)   (case-weighted)
 *
 * with deviations = log moves + model moves, as pm4py defines them (its cost // 10,000).
 *
 * A trace that token replay fits needs no search: the replay's own firing sequence is an
 * alignment without deviations (fitness 1, exactly), synchronous moves for its events and
 * silent moves for the silent transitions it fired; those silent steps may be more than the
 * fewest possible, so its cost is an upper bound (an optimal search would only find fewer
 * silent steps, never a different fitness). Traces token replay does not fit are searched.
 */
import { enabledTransitions, fireInto, markingKey, sameMarking, type CompiledNet, type CompiledTransition } from './compiled-net.js';

export const DEVIATION_COST = 10_000;
export const SILENT_COST = 1;

export type AlignmentMove =
  | { readonly kind: 'sync'; readonly activity: string }
  | { readonly kind: 'log'; readonly activity: string }
  | { readonly kind: 'model'; readonly activity: string }
  | { readonly kind: 'silent'; readonly transitionId: string };

export interface TraceAlignment {
  readonly cost: number;
  readonly deviations: number;
  readonly moves: readonly AlignmentMove[];
  readonly visitedStates: number;
}

const NONE = 0;
const SYNC = 1;
const LOG = 2;
const MODEL = 3;
const SILENT = 4;

/** Binary min-heap of state indexes ordered by (f, more events aligned first, older first). */
class StateQueue {
  private readonly heap: number[] = [];
  constructor(private readonly f: number[], private readonly position: number[]) {}
  get size(): number {
    return this.heap.length;
  }
  private before(a: number, b: number): boolean {
    return this.f[a]! < this.f[b]! || (this.f[a] === this.f[b] && (this.position[a]! > this.position[b]! || (this.position[a] === this.position[b] && a < b)));
  }
  push(state: number): void {
    const heap = this.heap;
    heap.push(state);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }
  pop(): number {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && this.before(heap[l]!, heap[smallest]!)) smallest = l;
        if (r < heap.length && this.before(heap[r]!, heap[smallest]!)) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
        i = smallest;
      }
    }
    return top;
  }
}

/**
 * The cheapest alignment of the trace, or null when more than `maxStates` states would have
 * to be visited (or the final marking cannot be reached).
 */
export function alignTrace(net: CompiledNet, activities: readonly string[], maxStates: number): TraceAlignment | null {
  const n = activities.length;
  const labels = net.labelIndex.size;
  // Per position, the events from there on with no transition at all, and per label.
  const unknownAfter = new Int32Array(n + 1);
  const labelAfter = new Int32Array((n + 1) * labels);
  for (let i = n - 1; i >= 0; i--) {
    labelAfter.copyWithin(i * labels, (i + 1) * labels, (i + 2) * labels);
    const label = net.labelIndex.get(activities[i]!);
    if (label === undefined) unknownAfter[i] = unknownAfter[i + 1]! + 1;
    else (unknownAfter[i] = unknownAfter[i + 1]!), labelAfter[i * labels + label]!++;
  }
  const reachable = new Uint8Array(labels);
  const heuristic = (marking: Int32Array, at: number): number => {
    reachable.set(net.labelsReachableAlways);
    for (let p = 0; p < marking.length; p++) {
      if (marking[p]! <= 0) continue;
      const from = net.labelsReachableFromPlace[p]!;
      for (let l = 0; l < labels; l++) reachable[l]! |= from[l]!;
    }
    let logMoves = unknownAfter[at]!;
    for (let l = 0; l < labels; l++) if (!reachable[l]) logMoves += labelAfter[at * labels + l]!;
    return DEVIATION_COST * logMoves;
  };

  const markings: Int32Array[] = [];
  const position: number[] = [];
  const g: number[] = [];
  const f: number[] = [];
  const h: number[] = [];
  const parent: number[] = [];
  // How each state was reached: a move kind and the transition fired (or -1 for a log move), turned into moves at the goal.
  const moveKind: number[] = [];
  const moveTransition: number[] = [];
  const closed: boolean[] = [];
  const index = new Map<string, number>();
  const queue = new StateQueue(f, position);

  // Successors are built in a scratch marking; it is copied only when the state is new.
  const reach = (marking: Int32Array, at: number, cost: number, from: number, kind: number, transition: number): void => {
    const key = `${at}|${markingKey(marking)}`;
    const known = index.get(key);
    if (known !== undefined) {
      if (closed[known] || g[known]! <= cost) return;
      g[known] = cost;
      f[known] = cost + h[known]!;
      parent[known] = from;
      moveKind[known] = kind;
      moveTransition[known] = transition;
      queue.push(known); // the stale entry is skipped when popped (closed)
      return;
    }
    const s = markings.length;
    markings.push(marking === scratch ? marking.slice() : marking);
    position.push(at);
    g.push(cost);
    const estimate = heuristic(marking, at);
    h.push(estimate);
    f.push(cost + estimate);
    parent.push(from);
    moveKind.push(kind);
    moveTransition.push(transition);
    closed.push(false);
    index.set(key, s);
    queue.push(s);
  };

  const scratch = new Int32Array(net.initialMarking.length);
  reach(net.initialMarking, 0, 0, -1, NONE, -1);
  while (queue.size > 0) {
    const s = queue.pop();
    if (closed[s]) continue;
    closed[s] = true;
    const at = position[s]!;
    const marking = markings[s]!;
    const cost = g[s]!;
    if (at === n && sameMarking(marking, net.finalMarking)) {
      const moves: AlignmentMove[] = [];
      for (let x = s; parent[x]! >= 0; x = parent[x]!) {
        const t = net.transitions[moveTransition[x]!];
        const kind = moveKind[x];
        if (kind === LOG) moves.push({ kind: 'log', activity: activities[position[x]! - 1]! });
        else if (kind === SILENT) moves.push({ kind: 'silent', transitionId: t!.id });
        else moves.push({ kind: kind === SYNC ? 'sync' : 'model', activity: t!.label! });
      }
      moves.reverse();
      return { cost, deviations: Math.floor(cost / DEVIATION_COST), moves, visitedStates: markings.length };
    }
    if (markings.length > maxStates) return null;
    if (at < n) reach(marking, at + 1, cost + DEVIATION_COST, s, LOG, -1);
    for (const t of enabledTransitions(net, marking)) {
      if (t.label === null) reach(fireInto(t, marking, scratch), at, cost + SILENT_COST, s, SILENT, t.index);
      else {
        if (at < n && t.label === activities[at]) reach(fireInto(t, marking, scratch), at + 1, cost, s, SYNC, t.index);
        reach(fireInto(t, marking, scratch), at, cost + DEVIATION_COST, s, MODEL, t.index);
      }
    }
  }
  return null;
}

export interface AlignmentLimits {
  /** States one trace's search may visit; beyond it the trace is skipped. */
  readonly maxStatesPerTrace: number;
  /** Events over the distinct traces; beyond it no alignment is attempted. */
  readonly maxLogEvents: number;
  /** States over the whole log; once spent, the remaining traces are skipped. */
  readonly maxTotalStates: number;
}

export const DEFAULT_ALIGNMENT_LIMITS: AlignmentLimits = { maxStatesPerTrace: 100_000, maxLogEvents: 250_000, maxTotalStates: 5_000_000 };

export interface LogAlignments {
  /** Null when any trace was skipped (a partial figure would be a guess); `reason` says why. */
  readonly fitness: number | null;
  readonly averageTraceFitness: number | null;
  /** Distinct traces aligned / skipped. */
  readonly computedTraces: number;
  readonly skippedTraces: number;
  readonly reason: string | null;
  /** Model moves of the cheapest alignment of the empty trace; null when the final marking is unreachable within the limit. */
  readonly emptyTraceModelMoves: number | null;
  /** Per trace (same order as the input): its alignment and fitness, or null when skipped. */
  readonly traces: readonly ({ readonly alignment: TraceAlignment; readonly fitness: number } | null)[];
}

export function alignLog(
  net: CompiledNet, traces: readonly { readonly activities: readonly string[]; readonly caseCount: number }[], limits: AlignmentLimits = DEFAULT_ALIGNMENT_LIMITS,
  /** Per trace, the firing sequence with which token replay fitted it, or null (see the header). */
  fittingFirings: readonly (readonly CompiledTransition[] | null)[] = [],
): LogAlignments {
  const skipAll = (reason: string, emptyTraceModelMoves: number | null): LogAlignments => ({
    fitness: null, averageTraceFitness: null, computedTraces: 0, skippedTraces: traces.length, reason, emptyTraceModelMoves, traces: traces.map(() => null),
  });
  const events = traces.reduce((s, t) => s + t.activities.length, 0);
  if (events > limits.maxLogEvents) {
    return skipAll(`the distinct traces hold ${events} events, more than the ${limits.maxLogEvents} alignments are computed for`, null);
  }
  const empty = alignTrace(net, [], limits.maxStatesPerTrace);
  if (!empty) return skipAll(`the model's final marking cannot be reached from its initial marking within ${limits.maxStatesPerTrace} states`, null);
  const worstModelMoves = empty.deviations;
  let spent = empty.visitedStates;
  let skipped = 0;
  let deviationSum = 0;
  let worstSum = 0;
  let fitnessSum = 0;
  let cases = 0;
  const results = traces.map((trace, index) => {
    const firing = fittingFirings[index];
    if (firing) {
      const moves: AlignmentMove[] = firing.map((t) => (t.label === null ? { kind: 'silent', transitionId: t.id } : { kind: 'sync', activity: t.label }));
      const alignment: TraceAlignment = { cost: moves.filter((m) => m.kind === 'silent').length * SILENT_COST, deviations: 0, moves, visitedStates: 0 };
      worstSum += (trace.activities.length + worstModelMoves) * trace.caseCount;
      fitnessSum += trace.caseCount;
      cases += trace.caseCount;
      return { alignment, fitness: 1 };
    }
    if (spent >= limits.maxTotalStates) {
      skipped++;
      return null;
    }
    const alignment = alignTrace(net, trace.activities, Math.min(limits.maxStatesPerTrace, limits.maxTotalStates - spent));
    if (!alignment) {
      skipped++;
      spent += limits.maxStatesPerTrace;
      return null;
    }
    spent += alignment.visitedStates;
    const worst = trace.activities.length + worstModelMoves;
    const fitness = alignment.deviations === 0 ? 1 : 1 - alignment.deviations / worst;
    deviationSum += alignment.deviations * trace.caseCount;
    worstSum += worst * trace.caseCount;
    fitnessSum += fitness * trace.caseCount;
    cases += trace.caseCount;
    return { alignment, fitness };
  });
  const complete = skipped === 0 && cases > 0;
  return {
    fitness: complete ? (worstSum > 0 ? 1 - deviationSum / worstSum : 1) : null,
    averageTraceFitness: complete ? fitnessSum / cases : null,
    computedTraces: traces.length - skipped,
    skippedTraces: skipped,
    reason: skipped > 0
      ? `${skipped} of ${traces.length} distinct traces exceeded the search limits (${limits.maxStatesPerTrace} states per trace, ${limits.maxTotalStates} in all)`
      : cases === 0 ? 'the log has no cases' : null,
    emptyTraceModelMoves: worstModelMoves,
    traces: results,
  };
}
