/**
 * Process tree → accepting Petri net (a workflow net: one source place holding the initial
 * token, one sink place for the final marking), block by block as in van der Aalst's
 * "Process Mining" (2016), section 7.2: each node is wired between an entry and an exit place.
 * - activity / τ: one transition (silent for τ);
 * - sequence: the children chained through fresh places;
 * - exclusive choice: every child between the same entry and exit;
 * - parallel: a silent split into one place per child and a silent join;
 * - loop(do, redo): silent entry into a place before `do`, `redo` from after `do` back to before
 *   it, silent exit. The entry and exit transitions keep the loop's places apart from a parent
 *   choice's, which keeps the net sound (and safe) however blocks are nested.
 */
import type { AcceptingPetriNet, Arc, Place, ProcessTree, Transition } from './petri-net.js';

export function processTreeToPetriNet(tree: ProcessTree): AcceptingPetriNet {
  const places: Place[] = [];
  const transitions: Transition[] = [];
  const arcs: Arc[] = [];
  const place = (name?: string): string => {
    const id = `p${places.length}`;
    places.push({ id, name: name ?? id });
    return id;
  };
  const transition = (label: string | null): string => {
    const id = `t${transitions.length}`;
    transitions.push({ id, label });
    return id;
  };
  const arc = (source: string, target: string): void => void arcs.push({ source, target, weight: 1 });
  const step = (label: string | null, from: string, to: string): void => {
    const t = transition(label);
    arc(from, t);
    arc(t, to);
  };

  const build = (node: ProcessTree, entry: string, exit: string): void => {
    if (node.kind === 'activity') return step(node.label, entry, exit);
    if (node.kind === 'tau') return step(null, entry, exit);
    const children = node.children;
    switch (node.operator) {
      case 'sequence': {
        let from = entry;
        children.forEach((child, i) => {
          const to = i === children.length - 1 ? exit : place();
          build(child, from, to);
          from = to;
        });
        return;
      }
      case 'exclusiveChoice':
        for (const child of children) build(child, entry, exit);
        return;
      case 'parallel': {
        const split = transition(null);
        const join = transition(null);
        arc(entry, split);
        arc(join, exit);
        for (const child of children) {
          const before = place();
          const after = place();
          arc(split, before);
          arc(after, join);
          build(child, before, after);
        }
        return;
      }
      case 'loop': {
        const [body, redo] = children;
        if (body === undefined || redo === undefined || children.length !== 2) throw new RangeError('A loop needs exactly two children (do, redo)');
        const beforeBody = place();
        const afterBody = place();
        step(null, entry, beforeBody);
        build(body, beforeBody, afterBody);
        build(redo, afterBody, beforeBody);
        step(null, afterBody, exit);
        return;
      }
    }
  };

  const source = place('source');
  const sink = place('sink');
  build(tree, source, sink);
  return { net: { places, transitions, arcs }, initialMarking: { [source]: 1 }, finalMarking: { [sink]: 1 } };
}
