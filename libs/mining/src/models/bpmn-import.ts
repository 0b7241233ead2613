/**
 * BPMN 2.0 process diagrams into an `AcceptingPetriNet` (the usual flow-to-place mapping,
 * as in Dijkman, Dumas & Ouyang 2008).
 *
 * Supported inside the one `<process>`: tasks of every type (`task`, `userTask`,
 * `serviceTask`, `scriptTask`, `sendTask`, `receiveTask`, `manualTask`,
 * `businessRuleTask`), one `startEvent`, `endEvent`s, `exclusiveGateway` and
 * `parallelGateway` (split and join), and `sequenceFlow`. Lanes, documentation, text
 * annotations, associations, data objects and extension elements carry no control flow
 * and are ignored; anything else (inclusive or event-based gateways, intermediate and
 * boundary events, subprocesses, call activities) is refused, naming the element.
 *
 * Mapping: each sequence flow is a place. A task is a transition labelled with its name
 * (taking from its incoming flows, as an exclusive join, and putting into all outgoing
 * flows, as a parallel split, which is BPMN's semantics for several flows on a task). An
 * exclusive gateway, and so an exclusive join at a task or at the end events, merges
 * the places of its flows into one place (a place already is a choice); a flow between two
 * such merges (one exclusive gateway straight into another, or into the end) becomes two
 * places joined by a silent transition, so the two choices stay apart. A parallel gateway
 * is a silent transition from its incoming to its outgoing flow places. The start event's
 * flow is the source place and the end events' flows share the sink place; when those
 * places also have other arcs (a loop back to the start), a silent transition links a
 * fresh source or sink. The result must be a workflow net.
 */
import type { AcceptingPetriNet, Arc, Place, Transition } from './petri-net.js';
import { ModelImportError } from './model-import-error.js';
import { MalformedXmlError, parseXmlTree, type XmlElement } from './xml-tree.js';
import { singleToken, workflowNetProblem } from './workflow-net.js';

const TASKS = new Set(['task', 'userTask', 'serviceTask', 'scriptTask', 'sendTask', 'receiveTask', 'manualTask', 'businessRuleTask']);
const IGNORED = new Set([
  'laneSet', 'lane', 'documentation', 'extensionElements', 'textAnnotation', 'association', 'dataObject', 'dataObjectReference',
  'dataStoreReference', 'incoming', 'outgoing', 'property', 'ioSpecification',
]);

function fail(problem: ModelImportError['problem'], message: string): never {
  throw new ModelImportError('bpmn', problem, message);
}

/** Union-find over flow ids: flows joined by an exclusive choice become one place. */
class PlaceClasses {
  private readonly parent = new Map<string, string>();
  find(x: string): string {
    let root = x;
    while (this.parent.has(root) && this.parent.get(root) !== root) root = this.parent.get(root)!;
    this.parent.set(x, root);
    return root;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb < ra ? ra : rb, rb < ra ? rb : ra);
  }
}

export function importBpmn(xml: string): AcceptingPetriNet {
  let root: XmlElement;
  try {
    root = parseXmlTree(xml);
  } catch (e) {
    if (e instanceof MalformedXmlError) fail('malformedXml', e.message);
    throw e;
  }
  if (root.name !== 'definitions') fail('invalidModel', `the root element is <${root.name}>, not BPMN <definitions>`);
  const processes = root.children.filter((c) => c.name === 'process');
  if (processes.length !== 1) fail(processes.length === 0 ? 'invalidModel' : 'unsupportedElement', `a BPMN model with exactly one <process> is supported; this one has ${processes.length}`);
  const process = processes[0]!;

  const nodes = new Map<string, { kind: string; name: string | null }>();
  const flows: { id: string; source: string; target: string }[] = [];
  for (const element of process.children) {
    const id = element.attributes['id'];
    if (IGNORED.has(element.name)) continue;
    if (element.name === 'sequenceFlow') {
      const source = element.attributes['sourceRef'];
      const target = element.attributes['targetRef'];
      if (!id || !source || !target) fail('invalidModel', `sequenceFlow ${id ?? '(without id)'} needs an id, a sourceRef and a targetRef`);
      flows.push({ id, source, target });
      continue;
    }
    const supported = TASKS.has(element.name) || ['startEvent', 'endEvent', 'exclusiveGateway', 'parallelGateway'].includes(element.name);
    if (!supported) {
      fail('unsupportedElement', `unsupported BPMN element <${element.name}${id ? ` id="${id}"` : ''}>: supported are tasks, one start event, end events, exclusive and parallel gateways and sequence flows`);
    }
    if (element.name === 'startEvent' || element.name === 'endEvent') {
      const trigger = element.children.find((c) => c.name.endsWith('EventDefinition'));
      if (trigger) fail('unsupportedElement', `unsupported BPMN element <${trigger.name}> in ${element.name} ${id}: only plain start and end events are supported`);
    }
    if (!id) fail('invalidModel', `a <${element.name}> has no id`);
    if (nodes.has(id)) fail('invalidModel', `the id "${id}" is used twice`);
    // Modelers wrap long names over lines; the activity is the name with its white space collapsed.
    const name = element.attributes['name']?.replace(/\s+/g, ' ').trim() || null;
    if (TASKS.has(element.name) && !name) fail('invalidModel', `${element.name} ${id} has no name; a task's name is the activity it stands for`);
    nodes.set(id, { kind: TASKS.has(element.name) ? 'task' : element.name, name });
  }
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const flow of flows) {
    for (const end of [flow.source, flow.target]) if (!nodes.has(end)) fail('invalidModel', `sequenceFlow ${flow.id} refers to "${end}", which is no supported element of the process`);
    (outgoing.get(flow.source) ?? outgoing.set(flow.source, []).get(flow.source)!).push(flow.id);
    (incoming.get(flow.target) ?? incoming.set(flow.target, []).get(flow.target)!).push(flow.id);
  }
  const starts = [...nodes].filter(([, n]) => n.kind === 'startEvent');
  const ends = [...nodes].filter(([, n]) => n.kind === 'endEvent');
  if (starts.length !== 1) fail('notAWorkflowNet', `not a workflow net: the process needs exactly one start event; it has ${starts.length}`);
  if (ends.length === 0) fail('notAWorkflowNet', 'not a workflow net: the process has no end event');
  for (const [id, node] of nodes) {
    const ins = incoming.get(id) ?? [];
    const outs = outgoing.get(id) ?? [];
    if (node.kind === 'startEvent' && (ins.length > 0 || outs.length === 0)) fail('invalidModel', `start event ${id} must have outgoing and no incoming sequence flows`);
    if (node.kind === 'endEvent' && (outs.length > 0 || ins.length === 0)) fail('invalidModel', `end event ${id} must have incoming and no outgoing sequence flows`);
    if (node.kind !== 'startEvent' && node.kind !== 'endEvent' && (ins.length === 0 || outs.length === 0)) {
      fail('notAWorkflowNet', `not a workflow net: ${node.kind} ${id} has no ${ins.length === 0 ? 'incoming' : 'outgoing'} sequence flow`);
    }
  }

  // A flow's place may be merged into one node's place: its source's when that is an exclusive
  // gateway, its target's when that is an exclusive gateway, a task with several incoming flows
  // or (with several end flows) the end. Merged on both sides, one choice place would leak into
  // the other (a token could leave by the other gateway's branches): such a flow gets a place on
  // each side with a silent transition between them.
  const endFlowCount = ends.reduce((n, [id]) => n + incoming.get(id)!.length, 0);
  const mergesAtSource = (flow: (typeof flows)[number]): boolean => nodes.get(flow.source)!.kind === 'exclusiveGateway';
  const mergesAtTarget = (flow: (typeof flows)[number]): boolean => {
    const target = nodes.get(flow.target)!;
    return target.kind === 'exclusiveGateway' || (target.kind === 'task' && incoming.get(flow.target)!.length > 1) || (target.kind === 'endEvent' && endFlowCount > 1);
  };
  const split = new Set(flows.filter((f) => mergesAtSource(f) && mergesAtTarget(f)).map((f) => f.id));
  /** The place key a flow's source puts tokens into / its target takes them from. */
  const outKey = (flowId: string): string => (split.has(flowId) ? `${flowId}_out` : flowId);
  const inKey = (flowId: string): string => (split.has(flowId) ? `${flowId}_in` : flowId);

  const classes = new PlaceClasses();
  for (const flow of flows) classes.find(outKey(flow.id)), classes.find(inKey(flow.id));
  const mergeAll = (keys: readonly string[]): void => keys.forEach((x) => classes.union(keys[0]!, x));
  for (const [id, node] of nodes) {
    if (node.kind === 'exclusiveGateway') mergeAll([...incoming.get(id)!.map(inKey), ...outgoing.get(id)!.map(outKey)]);
    if (node.kind === 'task') mergeAll(incoming.get(id)!.map(inKey));
  }
  mergeAll(ends.flatMap(([id]) => incoming.get(id)!.map(inKey)));

  const placeOf = (key: string): string => `p_${classes.find(key)}`;
  const places = new Map<string, Place>();
  for (const flow of flows) for (const key of [outKey(flow.id), inKey(flow.id)]) places.set(placeOf(key), { id: placeOf(key), name: placeOf(key) });
  const transitions: Transition[] = [];
  const arcs: Arc[] = [];
  const connect = (transition: Transition, from: readonly string[], to: readonly string[]): void => {
    transitions.push(transition);
    for (const p of new Set(from)) arcs.push({ source: p, target: transition.id, weight: from.filter((x) => x === p).length });
    for (const p of new Set(to)) arcs.push({ source: transition.id, target: p, weight: to.filter((x) => x === p).length });
  };
  for (const [id, node] of nodes) {
    const ins = (incoming.get(id) ?? []).map((f) => placeOf(inKey(f)));
    const outs = (outgoing.get(id) ?? []).map((f) => placeOf(outKey(f)));
    if (node.kind === 'task') connect({ id: `t_${id}`, label: node.name }, [ins[0]!], outs);
    if (node.kind === 'parallelGateway') connect({ id: `t_${id}`, label: null }, ins, outs);
  }
  for (const flowId of split) connect({ id: `t_${flowId}`, label: null }, [placeOf(outKey(flowId))], [placeOf(inKey(flowId))]);
  const [startId] = starts[0]!;
  const startOuts = outgoing.get(startId)!.map((f) => placeOf(outKey(f)));
  const hasInput = (p: string): boolean => arcs.some((a) => a.target === p);
  const hasOutput = (p: string): boolean => arcs.some((a) => a.source === p);
  let source: string;
  if (startOuts.length === 1 && !hasInput(startOuts[0]!)) source = startOuts[0]!;
  else {
    source = `p_${startId}`;
    places.set(source, { id: source, name: source });
    connect({ id: `t_${startId}`, label: null }, [source], startOuts);
  }
  const endPlace = placeOf(inKey(incoming.get(ends[0]![0])![0]!));
  let sink: string;
  if (!hasOutput(endPlace) && endPlace !== source) sink = endPlace;
  else {
    sink = 'p_end';
    places.set(sink, { id: sink, name: sink });
    connect({ id: 't_end', label: null }, [endPlace], [sink]);
  }
  const net = { places: [...places.values()], transitions, arcs };
  const shape = workflowNetProblem(net);
  if ('problem' in shape) fail('notAWorkflowNet', `not a workflow net: ${shape.problem}`);
  return { net, initialMarking: singleToken(source), finalMarking: singleToken(sink) };
}
