/**
 * An accepting Petri net compiled for replay: places and transitions as dense indexes,
 * markings as Int32Array token counts, and each transition's input and output as
 * (place, weight) lists. Token replay, alignments and precision all run on this form.
 */
import type { AcceptingPetriNet, Marking } from '../models/petri-net.js';

export interface CompiledTransition {
  readonly index: number;
  readonly id: string;
  readonly label: string | null;
  /** Input places and weights, parallel arrays. */
  readonly inPlaces: Int32Array;
  readonly inWeights: Int32Array;
  readonly outPlaces: Int32Array;
  readonly outWeights: Int32Array;
  readonly consumes: number;
  readonly produces: number;
}

export interface CompiledNet {
  readonly placeIds: readonly string[];
  readonly transitions: readonly CompiledTransition[];
  readonly silent: readonly CompiledTransition[];
  /** Visible transitions per activity label. */
  readonly byLabel: ReadonlyMap<string, readonly CompiledTransition[]>;
  readonly initialMarking: Int32Array;
  readonly finalMarking: Int32Array;
  /** Per place, the transitions taking tokens from it (so only marked places' transitions are tested). */
  readonly consumersOf: readonly (readonly CompiledTransition[])[];
  /** Transitions without input places (always enabled). */
  readonly sourceTransitions: readonly CompiledTransition[];
  /** Dense index of each visible label. */
  readonly labelIndex: ReadonlyMap<string, number>;
  /**
   * Per place, 1 for each label a token there could ever lead to firing (some transition
   * with it lies on a path of arcs from the place); ignoring how many tokens are needed, so
   * a label absent here can never fire while no other place is marked.
   */
  readonly labelsReachableFromPlace: readonly Uint8Array[];
  /** Labels reachable from the transitions without input places (reachable from any marking). */
  readonly labelsReachableAlways: Uint8Array;
  /**
   * Memo of silent-firing searches by (marking, goal): replaying thousands of variants asks
   * the same question again and again (variants share prefixes). Cleared when it grows large.
   */
  readonly silentSearches: Map<string, readonly CompiledTransition[] | null>;
}

const MAX_REMEMBERED_SEARCHES = 200_000;

/** A silent-firing search remembered per net by (goalKey, start marking): `goalKey` must identify what `search` looks for. */
export function rememberedSilentSearch<R extends SilentSearchResult | null>(
  net: CompiledNet, start: Int32Array, goalKey: string, search: () => R,
): R {
  const key = `${goalKey}\u0000${markingKey(start)}`;
  const known = net.silentSearches.get(key);
  if (known === null) return null as R;
  if (known !== undefined) {
    let marking = start;
    for (const t of known) marking = fire(t, marking);
    return { marking, fired: known } as R;
  }
  const found = search();
  if (net.silentSearches.size >= MAX_REMEMBERED_SEARCHES) net.silentSearches.clear();
  net.silentSearches.set(key, found ? found.fired : null);
  return found;
}

export function compileNet(model: AcceptingPetriNet): CompiledNet {
  const { net } = model;
  const placeIndex = new Map<string, number>();
  net.places.forEach((p, i) => placeIndex.set(p.id, i));
  const inputs = net.transitions.map(() => new Map<number, number>());
  const outputs = net.transitions.map(() => new Map<number, number>());
  const transitionIndex = new Map<string, number>();
  net.transitions.forEach((t, i) => transitionIndex.set(t.id, i));
  for (const arc of net.arcs) {
    const fromPlace = placeIndex.get(arc.source);
    const toPlace = placeIndex.get(arc.target);
    if (fromPlace !== undefined && transitionIndex.has(arc.target)) {
      const t = transitionIndex.get(arc.target)!;
      inputs[t]!.set(fromPlace, (inputs[t]!.get(fromPlace) ?? 0) + arc.weight);
    } else if (toPlace !== undefined && transitionIndex.has(arc.source)) {
      const t = transitionIndex.get(arc.source)!;
      outputs[t]!.set(toPlace, (outputs[t]!.get(toPlace) ?? 0) + arc.weight);
    } else {
      throw new Error(`arc ${arc.source} → ${arc.target} does not connect a place and a transition of the net`);
    }
  }
  const transitions: CompiledTransition[] = net.transitions.map((t, index) => {
    const ins = [...inputs[index]!];
    const outs = [...outputs[index]!];
    return {
      index,
      id: t.id,
      label: t.label,
      inPlaces: Int32Array.from(ins.map(([p]) => p)),
      inWeights: Int32Array.from(ins.map(([, w]) => w)),
      outPlaces: Int32Array.from(outs.map(([p]) => p)),
      outWeights: Int32Array.from(outs.map(([, w]) => w)),
      consumes: ins.reduce((s, [, w]) => s + w, 0),
      produces: outs.reduce((s, [, w]) => s + w, 0),
    };
  });
  const byLabel = new Map<string, CompiledTransition[]>();
  for (const t of transitions) {
    if (t.label === null) continue;
    const list = byLabel.get(t.label) ?? [];
    list.push(t);
    byLabel.set(t.label, list);
  }
  const toArray = (marking: Marking): Int32Array => {
    const counts = new Int32Array(net.places.length);
    for (const [placeId, tokens] of Object.entries(marking)) {
      const p = placeIndex.get(placeId);
      if (p === undefined) throw new Error(`marking names place ${placeId}, which the net does not have`);
      counts[p] = tokens;
    }
    return counts;
  };
  const consumersOf: CompiledTransition[][] = net.places.map(() => []);
  for (const t of transitions) for (const p of t.inPlaces) consumersOf[p]!.push(t);
  const labelIndex = new Map([...byLabel.keys()].map((label, i) => [label, i]));
  const labelsFrom = (startPlaces: Iterable<number>, startTransitions: readonly CompiledTransition[]): Uint8Array => {
    const labels = new Uint8Array(labelIndex.size);
    const seenPlaces = new Uint8Array(net.places.length);
    const seenTransitions = new Uint8Array(transitions.length);
    const places: number[] = [];
    const visit = (t: CompiledTransition): void => {
      if (seenTransitions[t.index]) return;
      seenTransitions[t.index] = 1;
      if (t.label !== null) labels[labelIndex.get(t.label)!] = 1;
      for (const q of t.outPlaces) if (!seenPlaces[q]) (seenPlaces[q] = 1), places.push(q);
    };
    for (const p of startPlaces) (seenPlaces[p] = 1), places.push(p);
    startTransitions.forEach(visit);
    while (places.length > 0) consumersOf[places.pop()!]!.forEach(visit);
    return labels;
  };
  const sourceTransitions = transitions.filter((t) => t.inPlaces.length === 0);
  return {
    labelIndex,
    labelsReachableFromPlace: net.places.map((_, p) => labelsFrom([p], [])),
    labelsReachableAlways: labelsFrom([], sourceTransitions),
    consumersOf,
    silentSearches: new Map(),
    sourceTransitions,
    placeIds: net.places.map((p) => p.id),
    transitions,
    silent: transitions.filter((t) => t.label === null),
    byLabel,
    initialMarking: toArray(model.initialMarking),
    finalMarking: toArray(model.finalMarking),
  };
}

export function isEnabled(t: CompiledTransition, marking: Int32Array): boolean {
  for (let k = 0; k < t.inPlaces.length; k++) if (marking[t.inPlaces[k]!]! < t.inWeights[k]!) return false;
  return true;
}

/** The transitions enabled in the marking, in index order, optionally only the silent ones. */
export function enabledTransitions(net: CompiledNet, marking: Int32Array, silentOnly = false): CompiledTransition[] {
  const seen = new Set<number>();
  const enabled: CompiledTransition[] = [];
  const consider = (t: CompiledTransition): void => {
    if (seen.has(t.index) || (silentOnly && t.label !== null)) return;
    seen.add(t.index);
    if (isEnabled(t, marking)) enabled.push(t);
  };
  net.sourceTransitions.forEach(consider);
  for (let p = 0; p < marking.length; p++) if (marking[p]! > 0) net.consumersOf[p]!.forEach(consider);
  return enabled.length > 1 ? enabled.sort((a, b) => a.index - b.index) : enabled;
}

/** Fires t on a copy of the marking (t must be enabled). */
export function fire(t: CompiledTransition, marking: Int32Array): Int32Array {
  const next = marking.slice();
  for (let k = 0; k < t.inPlaces.length; k++) next[t.inPlaces[k]!]! -= t.inWeights[k]!;
  for (let k = 0; k < t.outPlaces.length; k++) next[t.outPlaces[k]!]! += t.outWeights[k]!;
  return next;
}

/** Fires t into `target` (same length as the marking), leaving the marking as it is. */
export function fireInto(t: CompiledTransition, marking: Int32Array, target: Int32Array): Int32Array {
  target.set(marking);
  for (let k = 0; k < t.inPlaces.length; k++) target[t.inPlaces[k]!]! -= t.inWeights[k]!;
  for (let k = 0; k < t.outPlaces.length; k++) target[t.outPlaces[k]!]! += t.outWeights[k]!;
  return target;
}

/** A string identifying the marking: one UTF-16 unit per place while counts stay below 65,536 (one native call, no joins). */
export function markingKey(marking: Int32Array): string {
  for (let p = 0; p < marking.length; p++) if (marking[p]! > 0xffff) return `#${marking.join(',')}`;
  return String.fromCharCode.apply(null, marking as unknown as number[]);
}

export function sameMarking(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Markings reached by silent transitions only, explored breadth-first (shortest silent sequences first). */
export interface SilentSearchResult {
  readonly marking: Int32Array;
  /** Silent transitions fired, in order. */
  readonly fired: readonly CompiledTransition[];
}

/**
 * Breadth-first search through silent firings from `start` for the first marking that
 * satisfies `goal`; visits at most `maxStates` markings (silent loops in a net could
 * otherwise make it endless). Null when none is found.
 */
export function searchSilent(
  net: CompiledNet, start: Int32Array, goal: (marking: Int32Array) => boolean, maxStates: number,
): SilentSearchResult | null {
  if (goal(start)) return { marking: start, fired: [] };
  if (net.silent.length === 0) return null;
  const seen = new Set<string>([markingKey(start)]);
  let frontier: { marking: Int32Array; fired: CompiledTransition[] }[] = [{ marking: start, fired: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const state of frontier) {
      for (const t of enabledTransitions(net, state.marking, true)) {
        const reached = fire(t, state.marking);
        const key = markingKey(reached);
        if (seen.has(key)) continue;
        seen.add(key);
        const fired = [...state.fired, t];
        if (goal(reached)) return { marking: reached, fired };
        if (seen.size >= maxStates) return null;
        next.push({ marking: reached, fired });
      }
    }
    frontier = next;
  }
  return null;
}

/**
 * Among the markings silent firings reach from `start` (breadth-first, at most `maxStates`),
 * the one with the lowest score, fewest firings first among equals; `start` itself unless
 * some marking scores strictly lower.
 */
export function closestBySilent(
  net: CompiledNet, start: Int32Array, score: (marking: Int32Array) => number, maxStates: number,
): SilentSearchResult {
  let best: SilentSearchResult = { marking: start, fired: [] };
  let bestScore = score(start);
  if (net.silent.length === 0) return best;
  const seen = new Set<string>([markingKey(start)]);
  let frontier: SilentSearchResult[] = [best];
  while (frontier.length > 0 && seen.size < maxStates) {
    const next: SilentSearchResult[] = [];
    for (const state of frontier) {
      for (const t of enabledTransitions(net, state.marking, true)) {
        const reached = fire(t, state.marking);
        const key = markingKey(reached);
        if (seen.has(key)) continue;
        seen.add(key);
        const candidate = { marking: reached, fired: [...state.fired, t] };
        const value = score(reached);
        if (value < bestScore) (best = candidate), (bestScore = value);
        next.push(candidate);
      }
    }
    frontier = next;
  }
  return best;
}

/** Visible labels enabled in the marking or after silent firings (pm4py's "eventually enabled"). */
export function labelsEventuallyEnabled(net: CompiledNet, marking: Int32Array, maxStates: number): Set<string> {
  const labels = new Set<string>();
  const collect = (m: Int32Array): void => {
    for (const t of enabledTransitions(net, m)) if (t.label !== null) labels.add(t.label);
  };
  collect(marking);
  if (net.silent.length === 0) return labels;
  const seen = new Set<string>([markingKey(marking)]);
  let frontier = [marking];
  while (frontier.length > 0 && seen.size < maxStates) {
    const next: Int32Array[] = [];
    for (const m of frontier) {
      for (const t of enabledTransitions(net, m, true)) {
        const reached = fire(t, m);
        const key = markingKey(reached);
        if (seen.has(key)) continue;
        seen.add(key);
        collect(reached);
        next.push(reached);
      }
    }
    frontier = next;
  }
  return labels;
}
