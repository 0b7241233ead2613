/**
 * PNML (ISO/IEC 15909-2, grammar version 2009) for a P/T net: places with their initial
 * marking, transitions, arcs with an inscription when the weight is not 1, on one page.
 * The grammar has no notion of a silent transition or a final marking, so both go into
 * `<toolspecific tool="pm-job-execution" version="1">` elements: `<silent/>` inside a τ
 * transition (named "tau"), and on the net the final marking in the shape pm4py writes it
 * (`<finalmarkings><marking><place idref=…><text>n</text></place></marking></finalmarkings>`).
 * ProM's own τ marker (`<toolspecific tool="ProM" activity="$invisible$"/>`) puts an attribute
 * there that the grammar does not allow, so it is not used: the file validates against
 * ptnet.pntd.
 */
import type { AcceptingPetriNet, Marking } from './petri-net.js';

export const PNML_NAMESPACE = 'http://www.pnml.org/version-2009/grammar/pnml';
export const PTNET_TYPE = 'http://www.pnml.org/version-2009/grammar/ptnet';
/** The tool name under which the final marking is written. */
export const PNML_TOOL = 'pm-job-execution';

/** Text for XML element content and attribute values; drops characters XML 1.0 cannot carry. */
export function xmlText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function name(text: string, indent: string): string {
  return `${indent}<name><text>${xmlText(text)}</text></name>\n`;
}

function markingToolspecific(marking: Marking): string {
  const places = Object.entries(marking)
    .filter(([, tokens]) => tokens > 0)
    .map(([id, tokens]) => `        <place idref="${xmlText(id)}"><text>${tokens}</text></place>\n`)
    .join('');
  return `    <toolspecific tool="${PNML_TOOL}" version="1">\n      <finalmarkings>\n      <marking>\n${places}      </marking>\n      </finalmarkings>\n    </toolspecific>\n`;
}

export function writePnml(accepting: AcceptingPetriNet, netName: string): string {
  const { net, initialMarking, finalMarking } = accepting;
  let xml = `<?xml version="1.0" encoding="UTF-8"?>\n<pnml xmlns="${PNML_NAMESPACE}">\n  <net id="net1" type="${PTNET_TYPE}">\n`;
  xml += name(netName, '    ');
  xml += '    <page id="page1">\n';
  for (const place of net.places) {
    const tokens = initialMarking[place.id] ?? 0;
    xml += `      <place id="${xmlText(place.id)}">\n${name(place.name, '        ')}`;
    if (tokens > 0) xml += `        <initialMarking><text>${tokens}</text></initialMarking>\n`;
    xml += '      </place>\n';
  }
  for (const transition of net.transitions) {
    xml += `      <transition id="${xmlText(transition.id)}">\n`;
    if (transition.label === null) {
      xml += name('tau', '        ');
      xml += `        <toolspecific tool="${PNML_TOOL}" version="1"><silent/></toolspecific>\n`;
    } else {
      xml += name(transition.label, '        ');
    }
    xml += '      </transition>\n';
  }
  // Arc ids share the document's id space with places and transitions.
  const taken = new Set([...net.places.map((p) => p.id), ...net.transitions.map((t) => t.id)]);
  let arcPrefix = 'a';
  while (net.arcs.some((_, i) => taken.has(`${arcPrefix}${i}`))) arcPrefix += 'a';
  net.arcs.forEach((arc, i) => {
    const inscription = arc.weight === 1 ? '' : `<inscription><text>${arc.weight}</text></inscription>`;
    xml += `      <arc id="${arcPrefix}${i}" source="${xmlText(arc.source)}" target="${xmlText(arc.target)}">${inscription}</arc>\n`;
  });
  xml += '    </page>\n';
  xml += markingToolspecific(finalMarking);
  xml += '  </net>\n</pnml>\n';
  return xml;
}
