/**
 * Conformance checking on BPI Challenge 2012: token replay, alignments and ETConformance
 * precision of its variants against a model of the log's size. `--model=dfg` (the default):
 * the log's directly-follows graph as a Petri net (a place per activity, a transition
 * labelled b per edge a→b, silent transitions to the end), pruned to the edges seen at least
 * --min-edge times, so the infrequent behaviour deviates. `--model=discovered`: the model the
 * Inductive Miner discovers from the log (timed too: "IM plus token replay"), under the event
 * classifier `--classifier` (default activity-instances, as jobs on BPIC 2012 use).
 *
 *   npm run build && node dist/bench/conformance.bench.js [--min-edge=100] [--rounds=3]
 *   node dist/bench/conformance.bench.js --model=discovered [--classifier=activity]
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { analyzeVariants, caseDurations } from '../libs/mining/src/analysis/index.js';
import { alignLog, checkModelConformance, compileNet, etcPrecision, replayLog } from '../libs/mining/src/conformance/index.js';
import { ingestEventLog } from '../libs/mining/src/ingest/index.js';
import { mineProcessTree, variantLogFromSequences } from '../libs/mining/src/discovery/index.js';
import { classifyEvents, type EventClassifier } from '../libs/mining/src/log-transforms/index.js';
import { processTreeToPetriNet } from '../libs/mining/src/models/index.js';
import type { AcceptingPetriNet, Arc, Transition } from '../libs/mining/src/models/petri-net.js';
import { BPIC_2012_XES_GZ } from './support/datasets.js';

const { values } = parseArgs({
  options: {
    'min-edge': { type: 'string', default: '100' }, rounds: { type: 'string', default: '3' },
    model: { type: 'string', default: 'dfg' }, classifier: { type: 'string', default: 'activity-instances' },
  },
});
const minEdge = Number(values['min-edge']);
const rounds = Number(values.rounds);

type Trace = { activities: readonly string[]; caseCount: number };

function directlyFollowsNet(traces: readonly Trace[], minCount: number): AcceptingPetriNet {
  const edges = new Map<string, number>();
  const starts = new Set<string>();
  const ends = new Set<string>();
  const activities = new Set<string>();
  for (const t of traces) {
    t.activities.forEach((a, i) => {
      activities.add(a);
      if (i > 0) edges.set(`${t.activities[i - 1]}\u0000${a}`, (edges.get(`${t.activities[i - 1]}\u0000${a}`) ?? 0) + t.caseCount);
    });
    if (t.activities.length > 0) {
      starts.add(t.activities[0]!);
      ends.add(t.activities[t.activities.length - 1]!);
    }
  }
  const transitions: Transition[] = [];
  const arcs: Arc[] = [];
  const add = (id: string, label: string | null, from: string, to: string): void => {
    transitions.push({ id, label });
    arcs.push({ source: from, target: id, weight: 1 }, { source: id, target: to, weight: 1 });
  };
  const place = (a: string): string => `after ${a}`;
  let n = 0;
  for (const a of starts) add(`t${n++}`, a, 'source', place(a));
  for (const [key, count] of edges) {
    if (count < minCount) continue;
    const [a, b] = key.split('\u0000') as [string, string];
    add(`t${n++}`, b, place(a), place(b));
  }
  for (const a of ends) add(`t${n++}`, null, place(a), 'sink');
  const places = ['source', 'sink', ...[...activities].map(place)].map((id) => ({ id, name: id }));
  return { net: { places, transitions, arcs }, initialMarking: { source: 1 }, finalMarking: { sink: 1 } };
}

/** The Inductive Miner's model of the traces (no noise filtering), as the conformance job discovers it. */
function discover(traces: readonly Trace[]): AcceptingPetriNet {
  const { variants, activities } = variantLogFromSequences(traces.map((t) => ({ activities: t.activities, count: t.caseCount })));
  return processTreeToPetriNet(mineProcessTree(variants, activities, {}));
}

function time<T>(run: () => T): { result: T; ms: number } {
  let result: T;
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const started = performance.now();
    result = run();
    best = Math.min(best, performance.now() - started);
  }
  return { result: result!, ms: best };
}

async function main(): Promise<void> {
  console.log(`Conformance benchmark on ${os.cpus().length} CPU(s), Node ${process.version}; best of ${rounds} rounds`);
  const ingested = (await ingestEventLog({ path: BPIC_2012_XES_GZ, format: 'xes.gz' })).log;
  const log = values.model === 'discovered' ? classifyEvents(ingested, values.classifier as EventClassifier).log : ingested;
  const variants = analyzeVariants(log, caseDurations(log).seconds).analysis.variants;
  const traces = variants.map((v) => ({ variantId: v.id, activities: v.activities, caseCount: v.caseCount }));
  const variantEvents = traces.reduce((s, t) => s + t.activities.length, 0);
  console.log(`BPIC 2012: ${log.eventCount} events, ${log.caseCount} cases, ${traces.length} variants (${variantEvents} events over the variants), ${log.activities.length} activities`);
  let model: AcceptingPetriNet;
  if (values.model === 'discovered') {
    const mined = time(() => discover(traces));
    model = mined.result;
    console.log(`model: IM on the log (classifier ${values.classifier}) in ${mined.ms.toFixed(0)} ms: ${model.net.places.length} places, ${model.net.transitions.length} transitions`);
    const both = time(() => replayLog(compileNet(discover(traces)), traces));
    console.log(`IM plus token replay: ${both.ms.toFixed(0)} ms  log fitness ${both.result.logFitness?.toFixed(4)}`);
  } else {
    model = directlyFollowsNet(traces, minEdge);
    console.log(`model: directly-follows net, edges seen ≥ ${minEdge} times: ${model.net.places.length} places, ${model.net.transitions.length} transitions`);
  }
  const net = compileNet(model);
  const replay = time(() => replayLog(net, traces));
  console.log(`token replay:  ${replay.ms.toFixed(0)} ms  log fitness ${replay.result.logFitness?.toFixed(4)}, fitting cases ${replay.result.fittingCases}/${replay.result.caseCount}`);
  const aligned = time(() => alignLog(net, traces, undefined, replay.result.traces.map((t) => t.firing)));
  console.log(`alignments:    ${aligned.ms.toFixed(0)} ms  fitness ${aligned.result.fitness?.toFixed(4) ?? 'null'}, computed ${aligned.result.computedTraces}, skipped ${aligned.result.skippedTraces}${aligned.result.reason ? ` (${aligned.result.reason})` : ''}`);
  const precision = time(() => etcPrecision(net, traces));
  console.log(`precision:     ${precision.ms.toFixed(0)} ms  precision ${precision.result.precision?.toFixed(4)}, ${precision.result.prefixes} prefixes (${precision.result.unfitPrefixes} unfit)`);
  const all = time(() => checkModelConformance(model, { source: 'inline', format: null, places: model.net.places.length, transitions: model.net.transitions.length }, traces));
  console.log(`all figures (checkModelConformance): ${all.ms.toFixed(0)} ms`);
}

await main();
