/**
 * Process models as the discovery and conformance code exchange them: a labelled Petri net
 * with an initial and a final marking (an accepting Petri net, as in pm4py), and a process
 * tree (the Inductive Miner's output). Plain JSON shapes, so they can go into `figures` and
 * cross process boundaries as they are.
 */

export interface Place {
  /** Unique within the net; also its PNML id. */
  readonly id: string;
  readonly name: string;
}

export interface Transition {
  /** Unique within the net (and distinct from every place id); also its PNML id. */
  readonly id: string;
  /** The activity it stands for, or null for a silent (tau) transition. */
  readonly label: string | null;
}

/** From a place to a transition or from a transition to a place. */
export interface Arc {
  readonly source: string;
  readonly target: string;
  /** Number of tokens moved; 1 unless stated. */
  readonly weight: number;
}

/** Tokens per place id; places not listed hold none. */
export type Marking = Readonly<Record<string, number>>;

export interface PetriNet {
  readonly places: readonly Place[];
  readonly transitions: readonly Transition[];
  readonly arcs: readonly Arc[];
}

export interface AcceptingPetriNet {
  readonly net: PetriNet;
  readonly initialMarking: Marking;
  readonly finalMarking: Marking;
}

export type ProcessTreeOperator = 'sequence' | 'exclusiveChoice' | 'parallel' | 'loop';

/**
 * A process tree: a leaf is an activity (or tau, label null); an operator node orders its
 * children. A loop has exactly two children, do then redo (pm4py's `*(do, redo)`; the exit
 * is implicit).
 */
export type ProcessTree =
  | { readonly kind: 'activity'; readonly label: string }
  | { readonly kind: 'tau' }
  | { readonly kind: 'operator'; readonly operator: ProcessTreeOperator; readonly children: readonly ProcessTree[] };
