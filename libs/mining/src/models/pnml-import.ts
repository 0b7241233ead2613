/**
 * PNML (ISO/IEC 15909-2) place/transition nets into an `AcceptingPetriNet`.
 *
 * Read: the first `<net>` (its `<page>`s, nested or not), `<place>`, `<transition>` and
 * `<arc>` with `<inscription>` weights (default 1), `<initialMarking>` and the
 * `<finalmarkings>` block ProM and pm4py write. A transition is silent when it carries
 * `<toolspecific activity="$invisible$">` (ProM, pm4py) or has no name; otherwise its
 * label is its `<name><text>`. The net must be a workflow net; initial and final markings
 * default to one token in its source and sink, and when given must be exactly that.
 */
import type { AcceptingPetriNet, Arc, Place, Transition } from './petri-net.js';
import { ModelImportError } from './model-import-error.js';
import { childrenNamed, descendantsNamed, firstChild, MalformedXmlError, parseXmlTree, type XmlElement } from './xml-tree.js';
import { singleToken, workflowNetProblem } from './workflow-net.js';

function fail(problem: ModelImportError['problem'], message: string): never {
  throw new ModelImportError('pnml', problem, message);
}

function nameText(element: XmlElement): string | null {
  const text = firstChild(element, 'name') && firstChild(firstChild(element, 'name')!, 'text');
  const value = text?.text.trim();
  return value ? value : null;
}

function tokenCount(element: XmlElement | undefined, what: string): number {
  if (!element) return 0;
  const raw = (firstChild(element, 'text')?.text ?? element.text).trim();
  if (raw === '') return 0;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) fail('invalidModel', `${what} must be a non-negative integer, not "${raw}"`);
  return n;
}

export function importPnml(xml: string): AcceptingPetriNet {
  let root: XmlElement;
  try {
    root = parseXmlTree(xml);
  } catch (e) {
    if (e instanceof MalformedXmlError) fail('malformedXml', e.message);
    throw e;
  }
  if (root.name !== 'pnml') fail('invalidModel', `the root element is <${root.name}>, not <pnml>`);
  const netElement = firstChild(root, 'net');
  if (!netElement) fail('invalidModel', 'no <net> element in <pnml>');

  const places: Place[] = [];
  const transitions: Transition[] = [];
  const arcs: Arc[] = [];
  const initialTokens = new Map<string, number>();
  const ids = new Set<string>();
  const declare = (element: XmlElement, kind: string): string => {
    const id = element.attributes['id'];
    if (!id) fail('invalidModel', `a <${kind}> has no id`);
    if (ids.has(id)) fail('invalidModel', `the id "${id}" is used twice`);
    ids.add(id);
    return id;
  };
  // Pages may nest; everything below the net counts, except the final-marking block.
  const nodes = descendantsNamed({ ...netElement, children: netElement.children.filter((c) => c.name !== 'finalmarkings') }, 'place');
  for (const p of nodes) {
    const id = declare(p, 'place');
    places.push({ id, name: nameText(p) ?? id });
    const tokens = tokenCount(firstChild(p, 'initialMarking'), `the initial marking of place ${id}`);
    if (tokens > 0) initialTokens.set(id, tokens);
  }
  for (const t of descendantsNamed(netElement, 'transition')) {
    const id = declare(t, 'transition');
    const invisible = childrenNamed(t, 'toolspecific').some((x) => x.attributes['activity'] === '$invisible$');
    transitions.push({ id, label: invisible ? null : nameText(t) });
  }
  const placeIds = new Set(places.map((p) => p.id));
  for (const a of descendantsNamed(netElement, 'arc')) {
    const source = a.attributes['source'] ?? '';
    const target = a.attributes['target'] ?? '';
    const arcName = a.attributes['id'] ?? `${source} → ${target}`;
    if (!ids.has(source) || !ids.has(target)) fail('invalidModel', `arc ${arcName} names ${!ids.has(source) ? `source "${source}"` : `target "${target}"`}, which is no place or transition of the net`);
    if (placeIds.has(source) === placeIds.has(target)) fail('invalidModel', `arc ${arcName} connects two ${placeIds.has(source) ? 'places' : 'transitions'}; arcs go between a place and a transition`);
    const inscription = firstChild(a, 'inscription');
    const weight = inscription ? tokenCount(inscription, `the inscription of arc ${arcName}`) : 1;
    if (weight < 1) fail('invalidModel', `the inscription of arc ${arcName} must be a positive integer`);
    arcs.push({ source, target, weight });
  }
  const net = { places, transitions, arcs };
  const shape = workflowNetProblem(net);
  if ('problem' in shape) fail('notAWorkflowNet', `not a workflow net: ${shape.problem}`);

  const declaredInitial = Object.fromEntries(initialTokens);
  if (initialTokens.size > 0 && !(initialTokens.size === 1 && initialTokens.get(shape.source) === 1)) {
    fail('notAWorkflowNet', `not a workflow net: the initial marking must be one token in the source place ${shape.source}, not ${JSON.stringify(declaredInitial)}`);
  }
  const finalBlock = firstChild(netElement, 'finalmarkings');
  const finalMarkings = finalBlock ? childrenNamed(finalBlock, 'marking') : [];
  if (finalMarkings.length > 1) fail('invalidModel', `the net declares ${finalMarkings.length} final markings; one is supported`);
  if (finalMarkings.length === 1) {
    const declaredFinal: Record<string, number> = {};
    for (const p of childrenNamed(finalMarkings[0]!, 'place')) {
      const id = p.attributes['idref'] ?? '';
      if (!placeIds.has(id)) fail('invalidModel', `the final marking names place "${id}", which the net does not have`);
      const tokens = tokenCount(p, `the final marking of place ${id}`);
      if (tokens > 0) declaredFinal[id] = tokens;
    }
    const keys = Object.keys(declaredFinal);
    if (keys.length > 0 && !(keys.length === 1 && declaredFinal[shape.sink] === 1)) {
      fail('notAWorkflowNet', `not a workflow net: the final marking must be one token in the sink place ${shape.sink}, not ${JSON.stringify(declaredFinal)}`);
    }
  }
  return { net, initialMarking: singleToken(shape.source), finalMarking: singleToken(shape.sink) };
}
