/**
 * Directly-follows graph: a → b counts every pair of consecutive events of one case
 * (in the log's order: timestamp, then source row). Performance of an edge is the time
 * between the two completion timestamps, in seconds. Artificial start/end edges count the
 * first/last activity of every case and are kept apart from the real edges.
 */
import type { EventLog } from '../event-log.js';
import type {
  ActivityCount,
  DfgEdge,
  DirectlyFollowsGraph,
  ProcessMapEdge,
  ProcessMapGraph,
  ProcessMapNode,
  ProcessMapOptions,
} from './analysis.types.js';
import { type ActivityCounters, compareText, countActivities, toActivityCounts } from './activity-statistics.js';
import { bucketSorted, medianSorted, round, sumOf } from './numeric.js';
import { serviceTimesByActivity, type ActivityDurations } from './performance.js';

/** Edges indexed by integer edge id, with their sorted durations laid out contiguously. */
export interface DfgCore {
  readonly edgeSource: Uint32Array;
  readonly edgeTarget: Uint32Array;
  readonly edgeCount: Uint32Array;
  /** Edge e's sorted durations (seconds) are sorted[offsets[e] .. offsets[e+1]). */
  readonly offsets: Uint32Array;
  readonly sorted: Float64Array;
}

/** One pass assigning an integer id to every distinct (a, b) pair; no per-event allocation. */
export function computeDfgCore(log: EventLog): DfgCore {
  const activityCount = log.activities.length;
  // Dense lookup when the activity alphabet is small (the usual case), a Map otherwise.
  const dense = activityCount * activityCount <= 1 << 22 ? new Int32Array(activityCount * activityCount).fill(-1) : null;
  const sparse = dense ? null : new Map<number, number>();
  const sources: number[] = [];
  const targets: number[] = [];
  const eventEdge = new Int32Array(log.eventCount).fill(-1);
  const durations = new Float64Array(log.eventCount);

  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    for (let i = begin + 1; i < end; i++) {
      const a = log.eventActivity[i - 1]!;
      const b = log.eventActivity[i]!;
      const key = a * activityCount + b;
      let edge = dense ? dense[key]! : (sparse!.get(key) ?? -1);
      if (edge === -1) {
        edge = sources.length;
        sources.push(a);
        targets.push(b);
        if (dense) dense[key] = edge;
        else sparse!.set(key, edge);
      }
      eventEdge[i] = edge;
      durations[i] = (log.eventTimestamp[i]! - log.eventTimestamp[i - 1]!) / 1000;
    }
  }
  const { offsets, sorted } = bucketSorted(eventEdge, durations, sources.length);
  const edgeCount = new Uint32Array(sources.length);
  for (let e = 0; e < sources.length; e++) edgeCount[e] = offsets[e + 1]! - offsets[e]!;
  return { edgeSource: Uint32Array.from(sources), edgeTarget: Uint32Array.from(targets), edgeCount, offsets, sorted };
}

function edgeStatistics(core: DfgCore, edge: number): DfgEdge['performance'] {
  const values = core.sorted.subarray(core.offsets[edge]!, core.offsets[edge + 1]!);
  const n = values.length;
  const mean = sumOf(values) / n;
  const squares = squaredDeviations(values, mean);
  return {
    count: n,
    meanSeconds: round(mean),
    medianSeconds: round(medianSorted(values)),
    minSeconds: values[0]!,
    maxSeconds: values[n - 1]!,
    stdevSeconds: n < 2 ? null : round(Math.sqrt(squares / (n - 1))),
  };
}

/** A loop on its own for the reason sumOf gives. */
function squaredDeviations(values: Float64Array, mean: number): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  return squares;
}

function compareEdges(a: { count: number; source: string; target: string }, b: typeof a): number {
  return b.count - a.count || compareText(a.source, b.source) || compareText(a.target, b.target);
}

export function directlyFollowsGraph(
  log: EventLog,
  counters: ActivityCounters = countActivities(log),
  core: DfgCore = computeDfgCore(log),
): DirectlyFollowsGraph {
  const edges: DfgEdge[] = [];
  for (let e = 0; e < core.edgeCount.length; e++) {
    edges.push({
      source: log.activities[core.edgeSource[e]!]!,
      target: log.activities[core.edgeTarget[e]!]!,
      count: core.edgeCount[e]!,
      performance: edgeStatistics(core, e),
    });
  }
  edges.sort(compareEdges);
  return {
    nodes: toActivityCounts(log, counters.eventFrequency),
    edges,
    startEdges: toActivityCounts(log, counters.startCount),
    endEdges: toActivityCounts(log, counters.endCount),
  };
}

/**
 * The order in which a map takes the edges between its kept activities: first, for every
 * kept activity (most frequent first), its strongest outgoing and then incoming edge that is
 * not a self-loop (so no node dangles), then the other candidates by count. A map with n
 * edges shows the first n; `reservedCount` is how many the first part holds.
 * `candidates` are edge ids sorted by count desc (ties by source, target name);
 * `keptActivities` are activity ids, most frequent first.
 */
export function orderEdgesForMap(
  keptActivities: readonly number[],
  candidates: readonly number[],
  edgeSource: ArrayLike<number>,
  edgeTarget: ArrayLike<number>,
): { order: number[]; reservedCount: number } {
  // candidates is sorted, so the first edge seen leaving (entering) an activity is its strongest.
  const strongestOut = new Map<number, number>();
  const strongestIn = new Map<number, number>();
  for (const e of candidates) {
    const source = edgeSource[e]!;
    const target = edgeTarget[e]!;
    if (source === target) continue;
    if (!strongestOut.has(source)) strongestOut.set(source, e);
    if (!strongestIn.has(target)) strongestIn.set(target, e);
  }
  const reserved = new Set<number>();
  for (const a of keptActivities) {
    for (const e of [strongestOut.get(a), strongestIn.get(a)]) if (e !== undefined) reserved.add(e);
  }
  const order = [...reserved];
  for (const e of candidates) if (!reserved.has(e)) order.push(e);
  return { order, reservedCount: reserved.size };
}

/**
 * A pruned DFG for drawing big logs:
 * 1. keep the `maxActivities` most frequent activities (event frequency; ties by name);
 * 2. among the edges between kept activities, first reserve for every kept activity (most
 *    frequent first) its most frequent outgoing and incoming edge, so no node is left
 *    dangling, then fill up by edge count; at most `maxEdges` edges in total;
 * 3. start/end edges are those of the kept activities.
 */
export function discoverDfgForMap(
  log: EventLog,
  options: ProcessMapOptions = {},
  counters: ActivityCounters = countActivities(log),
  core: DfgCore = computeDfgCore(log),
  service: ActivityDurations | null = serviceTimesByActivity(log),
): ProcessMapGraph {
  const maxActivities = Math.max(0, options.maxActivities ?? 30);
  const maxEdges = Math.max(0, options.maxEdges ?? 60);
  const present: number[] = [];
  for (let a = 0; a < log.activities.length; a++) if (counters.eventFrequency[a]! > 0) present.push(a);
  present.sort(
    (x, y) => counters.eventFrequency[y]! - counters.eventFrequency[x]! || compareText(log.activities[x]!, log.activities[y]!),
  );
  const keptActivities = present.slice(0, maxActivities);
  const kept = new Uint8Array(log.activities.length);
  for (const a of keptActivities) kept[a] = 1;

  const candidates: number[] = [];
  for (let e = 0; e < core.edgeCount.length; e++) {
    if (kept[core.edgeSource[e]!] && kept[core.edgeTarget[e]!]) candidates.push(e);
  }
  candidates.sort(
    (x, y) =>
      core.edgeCount[y]! - core.edgeCount[x]! ||
      compareText(log.activities[core.edgeSource[x]!]!, log.activities[core.edgeSource[y]!]!) ||
      compareText(log.activities[core.edgeTarget[x]!]!, log.activities[core.edgeTarget[y]!]!),
  );
  const chosen = orderEdgesForMap(keptActivities, candidates, core.edgeSource, core.edgeTarget).order.slice(0, maxEdges);

  const nodes: ProcessMapNode[] = keptActivities.map((a) => ({
    activity: log.activities[a]!,
    frequency: counters.eventFrequency[a]!,
    caseFrequency: counters.caseFrequency[a]!,
    startCount: counters.startCount[a]!,
    endCount: counters.endCount[a]!,
    serviceTime: service ? serviceSummary(service.sorted.subarray(service.offsets[a]!, service.offsets[a + 1]!)) : null,
  }));
  const edges: ProcessMapEdge[] = chosen
    .map((e) => {
      const stats = edgeStatistics(core, e);
      return {
        source: log.activities[core.edgeSource[e]!]!,
        target: log.activities[core.edgeTarget[e]!]!,
        count: core.edgeCount[e]!,
        meanSeconds: stats.meanSeconds,
        medianSeconds: stats.medianSeconds,
      };
    })
    .sort(compareEdges);
  const keptCounts = (counts: Uint32Array): ActivityCount[] => toActivityCounts(log, counts).filter((x) => nodes.some((n) => n.activity === x.activity));
  return {
    nodes,
    edges,
    startEdges: keptCounts(counters.startCount),
    endEdges: keptCounts(counters.endCount),
    totalActivities: present.length,
    totalEdges: core.edgeCount.length,
    droppedActivities: present.length - nodes.length,
    droppedEdges: core.edgeCount.length - edges.length,
  };
}

function serviceSummary(sorted: Float64Array): ProcessMapNode['serviceTime'] {
  if (sorted.length === 0) return null;
  return { count: sorted.length, meanSeconds: round(sumOf(sorted) / sorted.length), medianSeconds: round(medianSorted(sorted)) };
}
