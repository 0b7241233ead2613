/**
 * Exact replay of a trace on an accepting Petri net, for tests: the trace fits when some firing
 * sequence — its activities in order, with any silent transitions in between — leads from the
 * initial to the final marking. Explores the set of markings reachable after each prefix
 * (silent closure, then one visible step), so no choice is guessed. Meant for the bounded nets
 * the miner produces; `maxMarkings` guards against a runaway set.
 */
import type { AcceptingPetriNet, Marking } from '../../libs/mining/src/models/petri-net.js';

interface CompiledNet {
  readonly placeCount: number;
  readonly initial: Int32Array;
  readonly final: string;
  readonly transitions: readonly { readonly label: string | null; readonly inputs: readonly number[]; readonly outputs: readonly number[] }[];
}

function compile(accepting: AcceptingPetriNet): CompiledNet {
  const placeIndex = new Map(accepting.net.places.map((p, i) => [p.id, i]));
  const vector = (marking: Marking): Int32Array => {
    const v = new Int32Array(placeIndex.size);
    for (const [id, n] of Object.entries(marking)) v[placeIndex.get(id)!] = n;
    return v;
  };
  const transitions = accepting.net.transitions.map((t) => {
    const inputs: number[] = [];
    const outputs: number[] = [];
    for (const arc of accepting.net.arcs) {
      for (let w = 0; w < arc.weight; w++) {
        if (arc.target === t.id) inputs.push(placeIndex.get(arc.source)!);
        if (arc.source === t.id) outputs.push(placeIndex.get(arc.target)!);
      }
    }
    return { label: t.label, inputs, outputs };
  });
  return { placeCount: placeIndex.size, initial: vector(accepting.initialMarking), final: vector(accepting.finalMarking).join(','), transitions };
}

function fire(marking: Int32Array, inputs: readonly number[], outputs: readonly number[]): Int32Array | null {
  const next = Int32Array.from(marking);
  for (const p of inputs) if (--next[p]! < 0) return null;
  for (const p of outputs) next[p]!++;
  return next;
}

export class ExactReplayer {
  private readonly net: CompiledNet;
  /** Markings met so far, by key; ids index `markings` and `successors`. */
  private readonly markingIds = new Map<string, number>();
  private readonly markings: Int32Array[] = [];
  /** Per marking, once fired: the markings one silent transition away, and per activity one visible step away. */
  private readonly successors: ({ silent: number[]; visible: Map<string, number[]> } | undefined)[] = [];
  /** Sets of markings (sorted ids) interned by key, and the set reached from one by an activity. */
  private readonly setIds = new Map<string, number>();
  private readonly sets: (readonly number[])[] = [];
  private readonly steps = new Map<string, number>();

  constructor(
    accepting: AcceptingPetriNet,
    private readonly maxMarkings = 200_000,
  ) {
    this.net = compile(accepting);
  }

  private markingId(marking: Int32Array): number {
    const key = marking.join(',');
    let id = this.markingIds.get(key);
    if (id === undefined) {
      id = this.markings.length;
      if (id >= this.maxMarkings) throw new Error(`Replay explored more than ${this.maxMarkings} markings`);
      this.markingIds.set(key, id);
      this.markings.push(marking);
      this.successors.push(undefined);
    }
    return id;
  }

  private successorsOf(id: number): { silent: number[]; visible: Map<string, number[]> } {
    let found = this.successors[id];
    if (found === undefined) {
      found = { silent: [], visible: new Map() };
      for (const t of this.net.transitions) {
        const next = fire(this.markings[id]!, t.inputs, t.outputs);
        if (next === null) continue;
        const nextId = this.markingId(next);
        if (t.label === null) found.silent.push(nextId);
        else (found.visible.get(t.label) ?? found.visible.set(t.label, []).get(t.label)!).push(nextId);
      }
      this.successors[id] = found;
    }
    return found;
  }

  /** The set of markings reachable from `start` by silent transitions only (`start` included), interned. */
  private silentClosure(start: Iterable<number>): number {
    const seen = new Set(start);
    const stack = [...seen];
    while (stack.length > 0) {
      for (const next of this.successorsOf(stack.pop()!).silent) if (!seen.has(next)) seen.add(next), stack.push(next);
    }
    const sorted = [...seen].sort((a, b) => a - b);
    const key = sorted.join(',');
    let id = this.setIds.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.setIds.set(key, id);
      this.sets.push(sorted);
    }
    return id;
  }

  private step(setId: number, activity: string): number {
    const key = `${setId}\u0000${activity}`;
    let next = this.steps.get(key);
    if (next === undefined) {
      const reached: number[] = [];
      for (const markingId of this.sets[setId]!) reached.push(...(this.successorsOf(markingId).visible.get(activity) ?? []));
      next = this.silentClosure(reached);
      this.steps.set(key, next);
    }
    return next;
  }

  fits(trace: readonly string[]): boolean {
    let current = this.silentClosure([this.markingId(this.net.initial)]);
    for (const activity of trace) {
      current = this.step(current, activity);
      if (this.sets[current]!.length === 0) return false;
    }
    const finalId = this.markingIds.get(this.net.final);
    return finalId !== undefined && this.sets[current]!.includes(finalId);
  }
}
