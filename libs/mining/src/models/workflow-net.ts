/**
 * Workflow nets (van der Aalst): one source place (no input arcs), one sink place (no
 * output arcs), and every place and transition on a path from the source to the sink.
 * Imported models must be workflow nets; their accepting markings are one token in the
 * source and one in the sink.
 */
import type { Marking, PetriNet } from './petri-net.js';

/** Why the net is not a workflow net, or null when it is; with its source and sink. */
export function workflowNetProblem(net: PetriNet): { problem: string } | { source: string; sink: string } {
  if (net.places.length === 0) return { problem: 'the net has no places' };
  if (net.transitions.length === 0) return { problem: 'the net has no transitions' };
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const arc of net.arcs) {
    (outgoing.get(arc.source) ?? outgoing.set(arc.source, []).get(arc.source)!).push(arc.target);
    (incoming.get(arc.target) ?? incoming.set(arc.target, []).get(arc.target)!).push(arc.source);
  }
  const sources = net.places.filter((p) => !incoming.has(p.id));
  const sinks = net.places.filter((p) => !outgoing.has(p.id));
  if (sources.length !== 1) {
    return { problem: `a workflow net has exactly one source place (without incoming arcs); this one has ${sources.length}${sources.length > 1 ? ` (${sources.slice(0, 5).map((p) => p.id).join(', ')})` : ''}` };
  }
  if (sinks.length !== 1) {
    return { problem: `a workflow net has exactly one sink place (without outgoing arcs); this one has ${sinks.length}${sinks.length > 1 ? ` (${sinks.slice(0, 5).map((p) => p.id).join(', ')})` : ''}` };
  }
  const reach = (start: string, next: Map<string, string[]>): Set<string> => {
    const seen = new Set([start]);
    const stack = [start];
    while (stack.length > 0) for (const n of next.get(stack.pop()!) ?? []) if (!seen.has(n)) (seen.add(n), stack.push(n));
    return seen;
  };
  const fromSource = reach(sources[0]!.id, outgoing);
  const toSink = reach(sinks[0]!.id, incoming);
  const offPath = [...net.places, ...net.transitions].filter((x) => !fromSource.has(x.id) || !toSink.has(x.id));
  if (offPath.length > 0) {
    return { problem: `in a workflow net every node lies on a path from the source to the sink; ${offPath.slice(0, 5).map((x) => x.id).join(', ')}${offPath.length > 5 ? ', …' : ''} do${offPath.length === 1 ? 'es' : ''} not` };
  }
  return { source: sources[0]!.id, sink: sinks[0]!.id };
}

export function singleToken(placeId: string): Marking {
  return { [placeId]: 1 };
}
