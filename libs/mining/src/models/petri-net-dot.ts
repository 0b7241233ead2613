/**
 * An accepting Petri net drawn with Graphviz (left to right): places as circles (the initial
 * marking's tokens as a dot or a count, final-marking places doubled), labelled transitions
 * as boxes sized to their (wrapped) label, silent transitions as narrow black bars.
 */
import { htmlText, renderDotToSvg, wrapLabel } from '../process-map/index.js';
import type { AcceptingPetriNet } from './petri-net.js';

const FONT = 'Helvetica,Arial,sans-serif';

export function petriNetToDot(accepting: AcceptingPetriNet): string {
  const { net, initialMarking, finalMarking } = accepting;
  // DOT names are generated, never taken from the data.
  const dotName = new Map<string, string>();
  net.places.forEach((p, i) => dotName.set(p.id, `p${i}`));
  net.transitions.forEach((t, i) => dotName.set(t.id, `t${i}`));
  const lines = [
    'digraph petri_net {',
    // The graph id prefixes Graphviz's SVG ids, so this picture can share an HTML page with others.
    `  graph [id="petri_net", rankdir=LR, nodesep=0.3, ranksep=0.35, fontname="${FONT}", bgcolor="white"];`,
    `  node [fontname="${FONT}", fontsize=11, color="#1d3557"];`,
    '  edge [color="#44546a", arrowsize=0.6];',
  ];
  for (const place of net.places) {
    const tokens = initialMarking[place.id] ?? 0;
    const label = tokens === 0 ? '' : tokens === 1 ? '●' : String(tokens);
    const final = (finalMarking[place.id] ?? 0) > 0;
    lines.push(
      `  ${dotName.get(place.id)} [shape=${final ? 'doublecircle' : 'circle'}, fixedsize=true, width=0.3, label="${label}", fontsize=10, tooltip="${htmlText(place.name)}"];`,
    );
  }
  for (const transition of net.transitions) {
    if (transition.label === null) {
      lines.push(`  ${dotName.get(transition.id)} [shape=box, style=filled, fillcolor="#1d2433", width=0.12, height=0.4, fixedsize=true, label="", tooltip="τ (silent)"];`);
    } else {
      const label = wrapLabel(transition.label).map(htmlText).join('<BR/>');
      lines.push(`  ${dotName.get(transition.id)} [shape=box, style=filled, fillcolor="#eef4fb", margin="0.2,0.06", label=<${label}>, tooltip="${htmlText(transition.label)}"];`);
    }
  }
  for (const arc of net.arcs) {
    const weight = arc.weight === 1 ? '' : ` [label="${arc.weight}"]`;
    lines.push(`  ${dotName.get(arc.source)} -> ${dotName.get(arc.target)}${weight};`);
  }
  lines.push('}');
  return lines.join('\n');
}

export function renderPetriNetSvg(accepting: AcceptingPetriNet): Promise<string> {
  return renderDotToSvg(petriNetToDot(accepting));
}
