/**
 * The Inductive Miner (IM; S. J. J. Leemans, D. Fahland, W. M. P. van der Aalst, "Discovering
 * block-structured process models from event logs - a constructive approach", 2013) and its
 * infrequent-behaviour variant IMf ("... from event logs containing infrequent behaviour",
 * 2013), on a log of variants. The recursion, the cut definitions and the fall-throughs follow
 * Leemans' thesis "Robust Process Mining with Guarantees" (2017) as pm4py implements them:
 *
 * 1. empty traces: IM returns ×(τ, IM(log without them)); IMf drops them when they are at most
 *    `noiseThreshold` of the traces (both before the base cases, as pm4py's IMf, so that IMf
 *    with threshold 0 is exactly IM);
 * 2. base cases: no trace → τ; one distinct trace of one activity → that activity;
 * 3. cuts on the directly-follows graph, tried in order exclusive choice, (strict) sequence,
 *    parallel, loop; the log is split along the cut and each part mined recursively;
 * 4. IMf only: when no cut is found, the cuts are tried once more on the directly-follows
 *    graph without its infrequent edges (an edge a→b is kept when its count exceeds
 *    `noiseThreshold` × the count of a's most frequent outgoing edge or end), and the split
 *    drops the events that do not fit the cut;
 * 5. fall-throughs, in order: activity once per trace, activity concurrent, strict τ-loop,
 *    τ-loop, flower model.
 *
 * With noiseThreshold 0, IMf keeps every edge and every empty trace, so it equals IM.
 */
import type { ProcessTree, ProcessTreeOperator } from '../models/petri-net.js';
import { VariantLogBuilder, type VariantLog } from './variant-log.js';

export interface InductiveMinerOptions {
  /** 0 (default) is IM; above 0, IMf with this share as the infrequency threshold (0..1). */
  readonly noiseThreshold?: number;
}

/** Mines a process tree from variants whose activities are ids into `activities`. */
export function mineProcessTree(variants: VariantLog, activities: readonly string[], options: InductiveMinerOptions = {}): ProcessTree {
  const noiseThreshold = checkedNoiseThreshold(options);
  // Ids in name order, so choices and parallel branches come out in the same (alphabetical) order
  // however the caller numbered the activities.
  const byName = activities.map((name, id) => ({ name, id })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id));
  const rank = new Int32Array(activities.length);
  byName.forEach((entry, r) => (rank[entry.id] = r));
  const renumbered: VariantLog = { traces: variants.traces.map((trace) => trace.map((a) => rank[a]!)), counts: variants.counts };
  const miner = new Miner(byName.map((entry) => entry.name), noiseThreshold);
  return foldTree(miner.mine(renumbered));
}

/** The options' threshold (0 when not given); throws a RangeError outside [0, 1]. */
export function checkedNoiseThreshold(options: InductiveMinerOptions): number {
  const noiseThreshold = options.noiseThreshold ?? 0;
  if (!(noiseThreshold >= 0 && noiseThreshold <= 1)) throw new RangeError(`noiseThreshold must lie in [0, 1], got ${noiseThreshold}`);
  return noiseThreshold;
}

const TAU: ProcessTree = { kind: 'tau' };

function operator(op: ProcessTreeOperator, children: ProcessTree[]): ProcessTree {
  return { kind: 'operator', operator: op, children };
}

/** Directly-follows graph of a sublog: edge and start/end counts keyed by activity id. */
export interface Dfg {
  readonly activities: readonly number[];
  /** from -> to -> count */
  readonly edges: ReadonlyMap<number, ReadonlyMap<number, number>>;
  readonly start: ReadonlyMap<number, number>;
  readonly end: ReadonlyMap<number, number>;
}

/** A directly-follows graph as dense counts over the activities a log holds (ids ascending). */
export interface DfgCounts {
  readonly activities: readonly number[];
  /** k × k, row = from, by position in `activities` */
  readonly pairs: Float64Array;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
}

/**
 * The directly-follows counts of a log, in dense arrays over the activities the log holds
 * (sublogs deep in the recursion hold few); dfgOf keeps the edges that occur as maps.
 */
export function directlyFollowsCounts(log: VariantLog, alphabetSize: number): DfgCounts {
  // The scans of the traces are functions of their own: V8 optimises a long loop while it runs,
  // and code after it in the same function, first run in that optimised code, deoptimised there
  // on every later call.
  const local = new Int32Array(alphabetSize).fill(-1);
  const activities = activitiesIn(log, local);
  activities.sort((a, b) => a - b);
  activities.forEach((a, i) => (local[a] = i));
  const k = activities.length;
  const counts: DfgCounts = { activities, pairs: new Float64Array(k * k), starts: new Float64Array(k), ends: new Float64Array(k) };
  countDirectlyFollows(log, local, counts);
  return counts;
}

/** The activities the log holds, in the order met; marks each in `seen` (-1 where not met) with 0. */
function activitiesIn(log: VariantLog, seen: Int32Array): number[] {
  const activities: number[] = [];
  for (const trace of log.traces) {
    for (const a of trace) {
      if (seen[a] === -1) {
        seen[a] = 0;
        activities.push(a);
      }
    }
  }
  return activities;
}

/** Adds the log's starts, pairs and ends to `counts`, activity a at position local[a]. */
function countDirectlyFollows(log: VariantLog, local: Int32Array, { activities, pairs, starts, ends }: DfgCounts): void {
  const k = activities.length;
  for (let t = 0; t < log.traces.length; t++) {
    const trace = log.traces[t]!;
    const count = log.counts[t]!;
    let previous = -1;
    for (let i = 0; i < trace.length; i++) {
      const a = local[trace[i]!]!;
      if (previous < 0) starts[a]! += count;
      else pairs[previous * k + a]! += count;
      previous = a;
    }
    if (previous >= 0) ends[previous]! += count;
  }
}

export function dfgOf({ activities, pairs, starts, ends }: DfgCounts): Dfg {
  const k = activities.length;
  const edges = new Map<number, Map<number, number>>();
  const start = new Map<number, number>();
  const end = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    const a = activities[i]!;
    if (starts[i]! > 0) start.set(a, starts[i]!);
    if (ends[i]! > 0) end.set(a, ends[i]!);
    let out: Map<number, number> | undefined;
    for (let j = 0; j < k; j++) {
      const count = pairs[i * k + j]!;
      if (count === 0) continue;
      if (out === undefined) edges.set(a, (out = new Map()));
      out.set(activities[j]!, count);
    }
  }
  return { activities, edges, start, end };
}

/**
 * The directly-follows graph of a log as if one activity were removed from every trace, for
 * each activity in turn (the activity-concurrent fall-through asks that of each), derived
 * from the log's counts instead of a scan of the traces per activity. Removing `b` takes away
 * its edges and joins the neighbours of each maximal run of `b`: x b…b y adds x→y, a trace
 * starting b…b y starts at y, one ending x b…b ends at x. One scan records those joins for
 * every activity. Counts are sums of whole trace counts, so they are exact in any order.
 */
export class DfgsWithoutOneActivity {
  /**
   * The joins each activity's removal makes, grouped by activity (position in `counts.activities`):
   * those of position p are at [firstJoin[p], firstJoin[p + 1]); a join `before` of -1 is a start, `after` of -1 an end.
   */
  private readonly firstJoin: Int32Array;
  private readonly joinBefore: Int32Array;
  private readonly joinAfter: Int32Array;
  private readonly joinCount: Float64Array;

  constructor(log: VariantLog, alphabetSize: number, private readonly counts: DfgCounts) {
    const local = new Int32Array(alphabetSize).fill(-1);
    counts.activities.forEach((a, i) => (local[a] = i));
    const k = counts.activities.length;
    // Two scans into flat typed arrays (a count per activity, then the joins in place): a
    // million-event log makes a million joins, too many for arrays of numbers.
    this.firstJoin = new Int32Array(k + 1);
    this.forEachJoin(log, local, (removed) => this.firstJoin[removed + 1]!++);
    for (let p = 0; p < k; p++) this.firstJoin[p + 1]! += this.firstJoin[p]!;
    const joins = this.firstJoin[k]!;
    this.joinBefore = new Int32Array(joins);
    this.joinAfter = new Int32Array(joins);
    this.joinCount = new Float64Array(joins);
    const next = this.firstJoin.slice(0, k);
    this.forEachJoin(log, local, (removed, before, after, count) => {
      const n = next[removed]!++;
      this.joinBefore[n] = before;
      this.joinAfter[n] = after;
      this.joinCount[n] = count;
    });
  }

  /** Each maximal run of one activity whose removal joins something, in log order. */
  private forEachJoin(log: VariantLog, local: Int32Array, join: (removed: number, before: number, after: number, count: number) => void): void {
    for (let t = 0; t < log.traces.length; t++) {
      const trace = log.traces[t]!;
      const count = log.counts[t]!;
      for (let i = 0; i < trace.length;) {
        const removed = local[trace[i]!]!;
        let j = i + 1;
        while (j < trace.length && local[trace[j]!] === removed) j++;
        const before = i > 0 ? local[trace[i - 1]!]! : -1;
        const after = j < trace.length ? local[trace[j]!]! : -1;
        if (before >= 0 || after >= 0) join(removed, before, after, count);
        i = j;
      }
    }
  }

  without(activity: number): Dfg {
    const { activities, pairs, starts, ends } = this.counts;
    const k = activities.length;
    const removed = activities.indexOf(activity);
    const kept = k - 1;
    const position = (i: number): number => (i < removed ? i : i - 1);
    const keptPairs = new Float64Array(kept * kept);
    const keptStarts = new Float64Array(kept);
    const keptEnds = new Float64Array(kept);
    for (let i = 0; i < k; i++) {
      if (i === removed) continue;
      keptStarts[position(i)] = starts[i]!;
      keptEnds[position(i)] = ends[i]!;
      for (let j = 0; j < k; j++) if (j !== removed) keptPairs[position(i) * kept + position(j)] = pairs[i * k + j]!;
    }
    for (let n = this.firstJoin[removed]!; n < this.firstJoin[removed + 1]!; n++) {
      const before = this.joinBefore[n]!;
      const after = this.joinAfter[n]!;
      const count = this.joinCount[n]!;
      if (before < 0) keptStarts[position(after)]! += count;
      else if (after < 0) keptEnds[position(before)]! += count;
      else keptPairs[position(before) * kept + position(after)]! += count;
    }
    return dfgOf({ activities: activities.filter((a) => a !== activity), pairs: keptPairs, starts: keptStarts, ends: keptEnds });
  }
}

function hasEdge(dfg: Dfg, from: number, to: number): boolean {
  return dfg.edges.get(from)?.has(to) ?? false;
}

/** IMf's filter: keeps a→b when its count exceeds threshold × the strongest way out of a (an edge or ending there). */
function withoutInfrequentEdges(dfg: Dfg, threshold: number): Dfg {
  const edges = new Map<number, Map<number, number>>();
  for (const [from, out] of dfg.edges) {
    let strongest = dfg.end.get(from) ?? 0;
    for (const count of out.values()) strongest = Math.max(strongest, count);
    const kept = new Map([...out].filter(([, count]) => count > threshold * strongest));
    if (kept.size > 0) edges.set(from, kept);
  }
  return { ...dfg, edges };
}

/** Union-find over activity ids, for grouping activities into cut parts. */
class Partition {
  private readonly parent: Int32Array;
  constructor(private readonly members: readonly number[]) {
    this.parent = new Int32Array(members.reduce((max, m) => Math.max(max, m), -1) + 1).fill(-1);
    for (const m of members) this.parent[m] = m;
  }
  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    while (this.parent[x] !== root) {
      const next = this.parent[x]!;
      this.parent[x] = root;
      x = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  /** Groups in order of their smallest member; members ascending. */
  groups(): number[][] {
    const byRoot = new Map<number, number[]>();
    for (const m of [...this.members].sort((a, b) => a - b)) {
      const root = this.find(m);
      let group = byRoot.get(root);
      if (group === undefined) byRoot.set(root, (group = []));
      group.push(m);
    }
    return [...byRoot.values()];
  }
}

type Cut = { readonly operator: ProcessTreeOperator; readonly groups: readonly (readonly number[])[] };

function exclusiveChoiceCut(dfg: Dfg): Cut | null {
  const partition = new Partition(dfg.activities);
  for (const [from, out] of dfg.edges) for (const to of out.keys()) partition.union(from, to);
  const groups = partition.groups();
  return groups.length > 1 ? { operator: 'exclusiveChoice', groups } : null;
}

/** reach[a] = activities reachable from a by one or more edges. */
function transitiveSuccessors(dfg: Dfg): Map<number, Set<number>> {
  const reach = new Map<number, Set<number>>();
  for (const a of dfg.activities) {
    const seen = new Set<number>();
    const stack = [...(dfg.edges.get(a)?.keys() ?? [])];
    while (stack.length > 0) {
      const x = stack.pop()!;
      if (seen.has(x)) continue;
      seen.add(x);
      for (const y of dfg.edges.get(x)?.keys() ?? []) if (!seen.has(y)) stack.push(y);
    }
    reach.set(a, seen);
  }
  return reach;
}

/** Every activity reaches every other one (forward and backward search from one activity). */
function isStronglyConnected(dfg: Dfg): boolean {
  if (dfg.activities.length <= 1) return true;
  const backward = new Map<number, number[]>();
  for (const [from, out] of dfg.edges) for (const to of out.keys()) (backward.get(to) ?? backward.set(to, []).get(to)!).push(from);
  const reachesAll = (next: (a: number) => Iterable<number>): boolean => {
    const first = dfg.activities[0]!;
    const seen = new Set([first]);
    const stack = [first];
    while (stack.length > 0) for (const b of next(stack.pop()!)) if (!seen.has(b)) seen.add(b), stack.push(b);
    return seen.size === dfg.activities.length;
  };
  return reachesAll((a) => dfg.edges.get(a)?.keys() ?? []) && reachesAll((a) => backward.get(a) ?? []);
}

/**
 * Sequence cut: activities that reach each other, or that neither reach the other, belong to
 * the same part; parts are then ordered by reachability (every activity of an earlier part
 * reaches every activity of a later one and not back).
 */
function sequenceCut(dfg: Dfg): Cut | null {
  // A strongly connected graph has no sequence cut; finding that out is linear, the closure is not.
  if (isStronglyConnected(dfg)) return null;
  const reach = transitiveSuccessors(dfg);
  const partition = new Partition(dfg.activities);
  const acts = dfg.activities;
  for (let i = 0; i < acts.length; i++) {
    for (let j = i + 1; j < acts.length; j++) {
      const forward = reach.get(acts[i]!)!.has(acts[j]!);
      const backward = reach.get(acts[j]!)!.has(acts[i]!);
      if (forward === backward) partition.union(acts[i]!, acts[j]!);
    }
  }
  const groups = partition.groups();
  if (groups.length < 2) return null;
  // An earlier part reaches more and is reached by fewer activities.
  const rank = (group: readonly number[]): number => {
    const a = group[0]!;
    let predecessors = 0;
    for (const b of acts) if (reach.get(b)!.has(a)) predecessors++;
    return predecessors + (acts.length - reach.get(a)!.size);
  };
  const ordered = groups.map((group) => ({ group, rank: rank(group) })).sort((x, y) => x.rank - y.rank).map((x) => x.group);
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      for (const a of ordered[i]!) {
        for (const b of ordered[j]!) if (!reach.get(a)!.has(b) || reach.get(b)!.has(a)) return null;
      }
    }
  }
  return { operator: 'sequence', groups: strictSequenceGroups(dfg, ordered) };
}

/**
 * Leemans' strict sequence cut (thesis, p. 233): where a part can be skipped (an edge jumps
 * over it, a later part holds a start activity or an earlier one an end activity), the
 * neighbouring parts whose edges do not reach past it are merged into it, so parts that are
 * skipped together stay together instead of becoming separate optional steps.
 */
function strictSequenceGroups(dfg: Dfg, ordered: readonly (readonly number[])[]): number[][] {
  const groups = ordered.map((g) => [...g]);
  const n = groups.length;
  const partOf = groupIndex(groups);
  const hasStart = groups.map((g) => g.some((a) => dfg.start.has(a)));
  const hasEnd = groups.map((g) => g.some((a) => dfg.end.has(a)));
  // earliestFrom[i]: the earliest part with an edge into part i (−∞ when i holds a start activity);
  // latestTo[i]: the latest part an edge from part i goes to (+∞ when i holds an end activity).
  const earliestFrom = hasStart.map((s) => (s ? -Infinity : Infinity));
  const latestTo = hasEnd.map((e) => (e ? Infinity : -Infinity));
  for (const [from, out] of dfg.edges) {
    for (const to of out.keys()) {
      const i = partOf.get(from)!;
      const j = partOf.get(to)!;
      earliestFrom[j] = Math.min(earliestFrom[j]!, i);
      latestTo[i] = Math.max(latestTo[i]!, j);
    }
  }
  // Parts as they are after the merges so far (the bounds above stay those of the original parts).
  const current = new Map(partOf);
  const skippable = (p: number): boolean => {
    for (const [from, out] of dfg.edges) {
      for (const to of out.keys()) if (current.get(from)! < p && current.get(to)! > p) return true;
    }
    for (let i = p + 1; i < n; i++) if (groups[i]!.some((a) => dfg.start.has(a))) return true;
    for (let i = 0; i < p; i++) if (groups[i]!.some((a) => dfg.end.has(a))) return true;
    return false;
  };
  const mergeInto = (p: number, q: number): void => {
    for (const a of groups[q]!) current.set(a, p);
    groups[p]!.push(...groups[q]!.splice(0));
  };
  for (let p = 0; p < n; p++) {
    if (!skippable(p)) continue;
    for (let q = p - 1; q >= 0 && latestTo[q]! <= p; q--) mergeInto(p, q);
    for (let q = p + 1; q < n && earliestFrom[q]! >= p; q++) mergeInto(p, q);
  }
  return groups.filter((g) => g.length > 0).map((g) => g.sort((a, b) => a - b));
}

/**
 * Parallel cut: activities not connected in both directions belong to the same part; each
 * part needs a start and an end activity (parts without are merged into a neighbour, smallest
 * parts first).
 */
function parallelCut(dfg: Dfg): Cut | null {
  const partition = new Partition(dfg.activities);
  const acts = dfg.activities;
  for (let i = 0; i < acts.length; i++) {
    for (let j = i + 1; j < acts.length; j++) {
      if (!(hasEdge(dfg, acts[i]!, acts[j]!) && hasEdge(dfg, acts[j]!, acts[i]!))) partition.union(acts[i]!, acts[j]!);
    }
  }
  const groups = partition
    .groups()
    .map((g, order) => ({ g, order }))
    .sort((x, y) => x.g.length - y.g.length || x.order - y.order)
    .map((x) => [...x.g]);
  const complete = (group: readonly number[]): boolean => group.some((a) => dfg.start.has(a)) && group.some((a) => dfg.end.has(a));
  let i = 0;
  while (i < groups.length && groups.length > 1) {
    if (complete(groups[i]!)) {
      i++;
      continue;
    }
    const [group] = groups.splice(i, 1);
    groups[i === 0 ? 0 : i - 1]!.push(...group!);
  }
  return groups.length > 1 ? { operator: 'parallel', groups: groups.map((g) => g.sort((a, b) => a - b)) } : null;
}

/**
 * Loop cut: the body holds every start and end activity; the other connected parts are redo
 * parts, unless they are entered from a start activity that is not an end activity, leave to an
 * end activity that is not a start activity, or do not reach every start activity / are not
 * reached from every end activity (those are merged into the body).
 */
function loopCut(dfg: Dfg): Cut | null {
  if (dfg.edges.size === 0) return null;
  const boundary = new Set<number>([...dfg.start.keys(), ...dfg.end.keys()]);
  const inner = dfg.activities.filter((a) => !boundary.has(a));
  const partition = new Partition(inner);
  for (const [from, out] of dfg.edges) {
    for (const to of out.keys()) if (!boundary.has(from) && !boundary.has(to)) partition.union(from, to);
  }
  const redo = new Set(partition.groups().map((g) => partition.find(g[0]!)));
  const toBody = (activity: number): void => void redo.delete(partition.find(activity));
  for (const [from, out] of dfg.edges) {
    for (const to of out.keys()) {
      if (dfg.start.has(from) && !dfg.end.has(from) && !boundary.has(to)) toBody(to);
      if (dfg.end.has(to) && !dfg.start.has(to) && !boundary.has(from)) toBody(from);
    }
  }
  for (const a of inner) {
    if (!redo.has(partition.find(a))) continue;
    const out = dfg.edges.get(a);
    const reachesSomeStart = [...dfg.start.keys()].some((s) => out?.has(s));
    const reachesEveryStart = [...dfg.start.keys()].every((s) => out?.has(s));
    const fromSomeEnd = [...dfg.end.keys()].some((e) => hasEdge(dfg, e, a));
    const fromEveryEnd = [...dfg.end.keys()].every((e) => hasEdge(dfg, e, a));
    if ((reachesSomeStart && !reachesEveryStart) || (fromSomeEnd && !fromEveryEnd)) toBody(a);
  }
  const body = dfg.activities.filter((a) => boundary.has(a) || !redo.has(partition.find(a)));
  const redoGroups = partition.groups().filter((g) => redo.has(partition.find(g[0]!)));
  return redoGroups.length > 0 ? { operator: 'loop', groups: [body, ...redoGroups] } : null;
}

function findCut(dfg: Dfg): Cut | null {
  return exclusiveChoiceCut(dfg) ?? sequenceCut(dfg) ?? parallelCut(dfg) ?? loopCut(dfg);
}

function groupIndex(groups: readonly (readonly number[])[]): Map<number, number> {
  const index = new Map<number, number>();
  groups.forEach((group, g) => group.forEach((a) => index.set(a, g)));
  return index;
}

/**
 * Splits the log along a cut. The splits tolerate traces that do not fit the cut (IMf finds
 * cuts on a filtered graph): events outside the part a trace is assigned to are dropped.
 */
function splitLog(log: VariantLog, cut: Cut, alphabetSize: number): VariantLog[] {
  const parts = cut.groups.map(() => new VariantLogBuilder());
  // The part of each activity id, in an array: read once per event.
  const index = new Int32Array(alphabetSize).fill(-1);
  cut.groups.forEach((group, g) => group.forEach((a) => (index[a] = g)));
  log.traces.forEach((trace, t) => {
    const count = log.counts[t]!;
    switch (cut.operator) {
      case 'exclusiveChoice': {
        // The part holding most of the trace's events (ties: the first such part).
        const hits = new Array<number>(cut.groups.length).fill(0);
        for (const a of trace) hits[index[a]!]!++;
        const best = hits.indexOf(Math.max(...hits));
        parts[best]!.addOwned(trace.filter((a) => index[a] === best), count);
        break;
      }
      case 'sequence': {
        let from = 0;
        cut.groups.forEach((_, g) => {
          // Split point after `from` that keeps most events of part g before it and fewest after
          // (events of earlier parts are ignored), as Leemans' IMf sequence split.
          let cost = 0;
          let leastCost = 0;
          let splitAt = from;
          for (let i = from; i < trace.length; i++) {
            const part = index[trace[i]!]!;
            if (part === g) cost--;
            else if (part > g) cost++;
            if (cost < leastCost) {
              leastCost = cost;
              splitAt = i + 1;
            }
          }
          parts[g]!.addOwned(trace.slice(from, splitAt).filter((a) => index[a] === g), count);
          from = splitAt;
        });
        break;
      }
      case 'parallel':
        cut.groups.forEach((_, g) => parts[g]!.addOwned(trace.filter((a) => index[a] === g), count));
        break;
      case 'loop': {
        // Alternating body and redo segments, starting and ending with a (possibly empty) body.
        let segment: number[] = [];
        let inBody = true;
        const flush = (): void => {
          if (inBody) parts[0]!.addOwned(segment, count);
          else {
            const hits = new Array<number>(cut.groups.length).fill(0);
            for (const a of segment) hits[index[a]!]!++;
            hits[0] = -1;
            parts[hits.indexOf(Math.max(...hits))]!.addOwned(segment, count);
          }
          segment = [];
        };
        for (const a of trace) {
          const isBody = index[a] === 0;
          if (isBody !== inBody) {
            flush();
            inBody = isBody;
          }
          segment.push(a);
        }
        if (!inBody) {
          flush();
          inBody = true;
        }
        flush();
        break;
      }
    }
  });
  return parts.map((p) => p.build());
}

function occursOnce(trace: readonly number[], activity: number): boolean {
  let seen = 0;
  for (let i = 0; i < trace.length; i++) if (trace[i] === activity && ++seen > 1) return false;
  return seen === 1;
}

function project(log: VariantLog, keep: (activity: number) => boolean): VariantLog {
  const builder = new VariantLogBuilder();
  log.traces.forEach((trace, t) => builder.addOwned(trace.filter(keep), log.counts[t]!));
  return builder.build();
}

function totalCount(log: VariantLog): number {
  return log.counts.reduce((sum, c) => sum + c, 0);
}

class Miner {
  constructor(
    private readonly names: readonly string[],
    private readonly noiseThreshold: number,
  ) {}

  mine(input: VariantLog): ProcessTree {
    let log = input;
    const emptyCount = log.traces.reduce((sum, trace, t) => (trace.length === 0 ? sum + log.counts[t]! : sum), 0);
    if (emptyCount > 0) {
      const builder = new VariantLogBuilder();
      log.traces.forEach((trace, t) => {
        if (trace.length > 0) builder.addOwned(trace, log.counts[t]!);
      });
      const filtered = builder.build();
      if (filtered.traces.length === 0) return TAU;
      if (emptyCount > this.noiseThreshold * totalCount(log)) return operator('exclusiveChoice', [TAU, this.mine(filtered)]);
      log = filtered;
    }
    if (log.traces.length === 0) return TAU;
    if (log.traces.length === 1 && log.traces[0]!.length === 1) return { kind: 'activity', label: this.names[log.traces[0]![0]!]! };

    const counts = directlyFollowsCounts(log, this.names.length);
    const dfg = dfgOf(counts);
    const cut = findCut(dfg) ?? (this.noiseThreshold > 0 ? findCut(withoutInfrequentEdges(dfg, this.noiseThreshold)) : null);
    if (cut) return this.recurse(cut.operator, splitLog(log, cut, this.names.length));
    return this.fallThrough(log, dfg, counts);
  }

  private recurse(op: ProcessTreeOperator, parts: readonly VariantLog[]): ProcessTree {
    const children = parts.map((part) => this.mine(part));
    // A loop has exactly two children: several redo parts become a choice between them.
    if (op === 'loop' && children.length > 2) return operator('loop', [children[0]!, operator('exclusiveChoice', children.slice(1))]);
    return operator(op, children);
  }

  private fallThrough(log: VariantLog, dfg: Dfg, counts: DfgCounts): ProcessTree {
    const byName = [...dfg.activities].sort((a, b) => (this.names[a]! < this.names[b]! ? -1 : this.names[a]! > this.names[b]! ? 1 : 0));

    // Activity once per trace: it runs in parallel with the rest.
    const once = byName.find((a) => log.traces.every((trace) => occursOnce(trace, a)));
    if (once !== undefined) return this.concurrentActivity(log, once);

    // Activity concurrent: leaving one activity out lets a cut appear.
    const withoutOne = new DfgsWithoutOneActivity(log, this.names.length, counts);
    const concurrent = byName.find((a) => findCut(withoutOne.without(a)) !== null);
    if (concurrent !== undefined) return this.concurrentActivity(log, concurrent);

    // Strict τ-loop: cut the traces where an end activity is directly followed by a start activity.
    const strict = this.splitTraces(log, (trace, i) => dfg.end.has(trace[i - 1]!) && dfg.start.has(trace[i]!));
    if (strict) return operator('loop', [this.mine(strict), TAU]);

    // τ-loop: cut the traces before every start activity.
    const tauLoop = this.splitTraces(log, (trace, i) => dfg.start.has(trace[i]!));
    if (tauLoop) return operator('loop', [this.mine(tauLoop), TAU]);

    // Flower model: any activity, any number of times.
    const leaves: ProcessTree[] = dfg.activities.map((a) => ({ kind: 'activity', label: this.names[a]! }));
    return operator('loop', [TAU, leaves.length === 1 ? leaves[0]! : operator('exclusiveChoice', leaves)]);
  }

  private concurrentActivity(log: VariantLog, activity: number): ProcessTree {
    return operator('parallel', [this.mine(project(log, (x) => x === activity)), this.mine(project(log, (x) => x !== activity))]);
  }

  /** The log with each trace cut before every position where `cutBefore` holds; null when nothing was cut. */
  private splitTraces(log: VariantLog, cutBefore: (trace: readonly number[], i: number) => boolean): VariantLog | null {
    const builder = new VariantLogBuilder();
    let cuts = 0;
    log.traces.forEach((trace, t) => {
      let from = 0;
      for (let i = 1; i < trace.length; i++) {
        if (cutBefore(trace, i)) {
          builder.addOwned(trace.slice(from, i), log.counts[t]!);
          from = i;
          cuts++;
        }
      }
      builder.addOwned(trace.slice(from), log.counts[t]!);
    });
    return cuts > 0 ? builder.build() : null;
  }
}

/** Flattens nested sequences, choices and parallels into their parent and drops single-child operators. */
export function foldTree(tree: ProcessTree): ProcessTree {
  if (tree.kind !== 'operator') return tree;
  const children = tree.children.map(foldTree);
  if (tree.operator === 'loop') return operator('loop', children);
  const flat = children.flatMap((child) => (child.kind === 'operator' && child.operator === tree.operator ? child.children : [child]));
  return flat.length === 1 ? flat[0]! : operator(tree.operator, flat);
}
