/**
 * Discovery reports a process tree's net as sound by construction instead of exploring its
 * reachability graph for every job; this is what makes that claim safe: the conversion gives a
 * sound workflow net for any tree, checked on random trees with the full soundness check.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { ProcessTree, ProcessTreeOperator } from './petri-net.js';
import { processTreeToString } from './process-tree.js';
import { checkSoundness } from './soundness.js';
import { processTreeToPetriNet } from './tree-to-petri-net.js';

const leaf: fc.Arbitrary<ProcessTree> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e').map((label) => ({ kind: 'activity', label }) as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'tau' } as const) },
);

const operators: readonly ProcessTreeOperator[] = ['sequence', 'exclusiveChoice', 'parallel', 'loop'];

/** Trees up to depth 3 with up to 3 children per operator (a loop has exactly do and redo). */
const tree: fc.Arbitrary<ProcessTree> = fc.letrec<{ node: ProcessTree }>((self) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(fc.constantFrom(...operators), fc.array(self('node'), { minLength: 2, maxLength: 3 })).map(([operator, children]) => ({
      kind: 'operator' as const, operator, children: operator === 'loop' ? children.slice(0, 2) : children,
    })),
  ),
})).node;

describe('process tree to Petri net', () => {
  it('gives a sound workflow net for every tree (the basis of "sound by construction")', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const report = checkSoundness(processTreeToPetriNet(t), { maxStates: 50_000 });
        if (report.stateCapReached) return; // too big to decide here; such trees are rare at this depth
        expect({ tree: processTreeToString(t), ...report }).toMatchObject({ workflowNet: true, sound: true, problems: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('the check it relies on does find an unsound net', () => {
    // A parallel split joined by two transitions into the sink: it ends with two tokens there (improper completion).
    const arc = (source: string, target: string) => ({ source, target, weight: 1 });
    const report = checkSoundness({
      net: {
        places: ['i', 'p1', 'p2', 'o'].map((id) => ({ id, name: id })),
        transitions: [{ id: 'split', label: 'a' }, { id: 'b', label: 'b' }, { id: 'c', label: 'c' }],
        arcs: [arc('i', 'split'), arc('split', 'p1'), arc('split', 'p2'), arc('p1', 'b'), arc('p2', 'c'), arc('b', 'o'), arc('c', 'o')],
      },
      initialMarking: { i: 1 },
      finalMarking: { o: 1 },
    });
    expect({ workflowNet: report.workflowNet, sound: report.sound }).toEqual({ workflowNet: true, sound: false });
  });
});
