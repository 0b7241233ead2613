/**
 * Soundness of a workflow net (van der Aalst, "The application of Petri nets to workflow
 * management", 1998):
 * - workflow net: exactly one source place (no incoming arcs) and one sink place (no outgoing
 *   arcs), every node on a path from source to sink; initial marking one token in the source,
 *   final marking one token in the sink;
 * - option to complete: from every reachable marking the final marking is reachable;
 * - proper completion: a reachable marking with a token in the sink is the final marking;
 * - no dead transitions: every transition is enabled in some reachable marking.
 * Checked by building the reachability graph breadth-first, up to `maxStates` markings. A
 * marking that strictly covers one on its path from the initial marking proves the net
 * unbounded (so not sound: the covered marking completes, the covering one then leaves
 * tokens behind). When the cap is hit, `sound` is null: not proven either way.
 */
import type { AcceptingPetriNet } from './petri-net.js';

/** Enough for IM's net of BPIC 2012 (7,283 markings); a bigger graph costs a job more than a second and is reported as not decided. */
export const DEFAULT_MAX_STATES = 25_000;

export interface SoundnessReport {
  readonly workflowNet: boolean;
  /** true / false when decided; null when the state cap stopped the search first. */
  readonly sound: boolean | null;
  readonly reachableMarkings: number;
  readonly stateCapReached: boolean;
  readonly maxStates: number;
  readonly deadTransitions: readonly string[];
  /** Why the net is not sound (or not a workflow net); empty when sound. */
  readonly problems: readonly string[];
}

interface IndexedNet {
  readonly placeIndex: ReadonlyMap<string, number>;
  readonly inputs: readonly (readonly [number, number][])[];
  readonly outputs: readonly (readonly [number, number][])[];
}

function indexNet(accepting: AcceptingPetriNet): IndexedNet {
  const { net } = accepting;
  const placeIndex = new Map(net.places.map((p, i) => [p.id, i]));
  const transitionIndex = new Map(net.transitions.map((t, i) => [t.id, i]));
  const inputs = net.transitions.map(() => [] as [number, number][]);
  const outputs = net.transitions.map(() => [] as [number, number][]);
  for (const arc of net.arcs) {
    const fromPlace = placeIndex.get(arc.source);
    const toPlace = placeIndex.get(arc.target);
    if (fromPlace !== undefined && transitionIndex.has(arc.target)) inputs[transitionIndex.get(arc.target)!]!.push([fromPlace, arc.weight]);
    else if (toPlace !== undefined && transitionIndex.has(arc.source)) outputs[transitionIndex.get(arc.source)!]!.push([toPlace, arc.weight]);
    else throw new RangeError(`Arc ${arc.source} -> ${arc.target} does not connect a place and a transition of the net`);
  }
  return { placeIndex, inputs, outputs };
}

/** A compact key of a marking: one UTF-16 unit per place while counts stay below 0xffff, else the counts with commas. */
function markingKey(marking: Int32Array): string {
  for (let p = 0; p < marking.length; p++) if (marking[p]! >= 0xffff) return `\uffff${marking.join(',')}`;
  return String.fromCharCode.apply(null, marking as unknown as number[]);
}

function markingVector(marking: Readonly<Record<string, number>>, placeIndex: ReadonlyMap<string, number>): Int32Array {
  const vector = new Int32Array(placeIndex.size);
  for (const [id, tokens] of Object.entries(marking)) {
    const i = placeIndex.get(id);
    if (i === undefined) throw new RangeError(`Marking names unknown place ${id}`);
    vector[i] = tokens;
  }
  return vector;
}

function workflowNetProblems(accepting: AcceptingPetriNet): string[] {
  const { net } = accepting;
  const problems: string[] = [];
  const hasIncoming = new Set(net.arcs.map((a) => a.target));
  const hasOutgoing = new Set(net.arcs.map((a) => a.source));
  const sources = net.places.filter((p) => !hasIncoming.has(p.id));
  const sinks = net.places.filter((p) => !hasOutgoing.has(p.id));
  if (sources.length !== 1) problems.push(`expected one source place, found ${sources.length}`);
  if (sinks.length !== 1) problems.push(`expected one sink place, found ${sinks.length}`);
  if (problems.length > 0) return problems;
  const source = sources[0]!.id;
  const sink = sinks[0]!.id;
  const marked = (marking: Readonly<Record<string, number>>): string[] => Object.entries(marking).filter(([, n]) => n > 0).map(([id]) => id);
  const initial = marked(accepting.initialMarking);
  const final = marked(accepting.finalMarking);
  if (initial.length !== 1 || initial[0] !== source || accepting.initialMarking[source] !== 1) problems.push('the initial marking is not one token in the source place');
  if (final.length !== 1 || final[0] !== sink || accepting.finalMarking[sink] !== 1) problems.push('the final marking is not one token in the sink place');
  const forward = new Map<string, string[]>();
  const backward = new Map<string, string[]>();
  for (const arc of net.arcs) {
    (forward.get(arc.source) ?? forward.set(arc.source, []).get(arc.source)!).push(arc.target);
    (backward.get(arc.target) ?? backward.set(arc.target, []).get(arc.target)!).push(arc.source);
  }
  const reach = (start: string, next: Map<string, string[]>): Set<string> => {
    const seen = new Set([start]);
    const stack = [start];
    while (stack.length > 0) for (const n of next.get(stack.pop()!) ?? []) if (!seen.has(n)) seen.add(n), stack.push(n);
    return seen;
  };
  const fromSource = reach(source, forward);
  const toSink = reach(sink, backward);
  const offPath = [...net.places.map((p) => p.id), ...net.transitions.map((t) => t.id)].filter((id) => !fromSource.has(id) || !toSink.has(id));
  if (offPath.length > 0) problems.push(`nodes not on a path from source to sink: ${offPath.slice(0, 10).join(', ')}${offPath.length > 10 ? ', …' : ''}`);
  return problems;
}

export function checkSoundness(accepting: AcceptingPetriNet, options: { maxStates?: number } = {}): SoundnessReport {
  const maxStates = options.maxStates ?? DEFAULT_MAX_STATES;
  const structural = workflowNetProblems(accepting);
  const base = { maxStates, deadTransitions: [] as string[] };
  if (structural.length > 0) return { ...base, workflowNet: false, sound: false, reachableMarkings: 0, stateCapReached: false, problems: structural };

  const { placeIndex, inputs, outputs } = indexNet(accepting);
  const initial = markingVector(accepting.initialMarking, placeIndex);
  const final = markingVector(accepting.finalMarking, placeIndex);
  const finalKey = markingKey(final);
  const sinkIndex = final.findIndex((n) => n > 0);

  const markings: Int32Array[] = [initial];
  const parent: number[] = [-1];
  const indexByKey = new Map<string, number>([[markingKey(initial), 0]]);
  const predecessors: number[][] = [[]];
  const fired = new Array<boolean>(inputs.length).fill(false);
  const problems: string[] = [];
  let capReached = false;

  for (let at = 0; at < markings.length && problems.length === 0; at++) {
    const marking = markings[at]!;
    const key = markingKey(marking);
    if (marking[sinkIndex]! > 0 && key !== finalKey) {
      problems.push(`improper completion: a reachable marking has a token in the sink and other tokens (${describe(marking, accepting)})`);
      break;
    }
    for (let t = 0; t < inputs.length; t++) {
      const needs = inputs[t]!;
      let enabled = true;
      for (let i = 0; i < needs.length && enabled; i++) enabled = marking[needs[i]![0]]! >= needs[i]![1];
      if (!enabled) continue;
      fired[t] = true;
      const next = marking.slice();
      for (const [p, w] of needs) next[p]! -= w;
      for (const [p, w] of outputs[t]!) next[p]! += w;
      const nextKey = markingKey(next);
      let index = indexByKey.get(nextKey);
      if (index === undefined) {
        if (coversAncestor(next, at, markings, parent)) {
          problems.push(`unbounded: firing ${accepting.net.transitions[t]!.id} reaches a marking that strictly covers an earlier one`);
          break;
        }
        if (markings.length >= maxStates) {
          capReached = true;
          continue;
        }
        index = markings.length;
        indexByKey.set(nextKey, index);
        markings.push(next);
        parent.push(at);
        predecessors.push([]);
      }
      predecessors[index]!.push(at);
    }
    if (capReached) break;
  }

  const reachableMarkings = markings.length;
  if (problems.length > 0) return { ...base, workflowNet: true, sound: false, reachableMarkings, stateCapReached: false, problems };
  if (capReached) {
    return { ...base, workflowNet: true, sound: null, reachableMarkings, stateCapReached: true, problems: [`not decided: more than ${maxStates} reachable markings`] };
  }

  const finalIndex = indexByKey.get(finalKey);
  const canComplete = new Array<boolean>(markings.length).fill(false);
  if (finalIndex !== undefined) {
    canComplete[finalIndex] = true;
    const stack = [finalIndex];
    while (stack.length > 0) {
      for (const p of predecessors[stack.pop()!]!) if (!canComplete[p]) (canComplete[p] = true), stack.push(p);
    }
  }
  const stuck = canComplete.findIndex((ok) => !ok);
  if (stuck >= 0) problems.push(`no option to complete from the reachable marking ${describe(markings[stuck]!, accepting)}`);
  const deadTransitions = accepting.net.transitions.filter((_, t) => !fired[t]).map((t) => t.id);
  if (deadTransitions.length > 0) problems.push(`dead transitions: ${deadTransitions.slice(0, 10).join(', ')}${deadTransitions.length > 10 ? ', …' : ''}`);
  return { maxStates, workflowNet: true, sound: problems.length === 0, reachableMarkings, stateCapReached: false, deadTransitions, problems };
}

function coversAncestor(next: Int32Array, from: number, markings: readonly Int32Array[], parent: readonly number[]): boolean {
  for (let at = from; at >= 0; at = parent[at]!) {
    const earlier = markings[at]!;
    let strictly = false;
    let covers = true;
    for (let p = 0; p < next.length && covers; p++) {
      if (next[p]! < earlier[p]!) covers = false;
      else if (next[p]! > earlier[p]!) strictly = true;
    }
    if (covers && strictly) return true;
  }
  return false;
}

function describe(marking: Int32Array, accepting: AcceptingPetriNet): string {
  const parts: string[] = [];
  marking.forEach((n, p) => {
    if (n > 0) parts.push(n === 1 ? accepting.net.places[p]!.id : `${n}·${accepting.net.places[p]!.id}`);
  });
  return `[${parts.join(', ')}]`;
}
