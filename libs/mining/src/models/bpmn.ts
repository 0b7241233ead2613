/**
 * Process tree → BPMN 2.0: a process with a start and an end event, one task per activity
 * leaf, and a pair of gateways per block: exclusive split/join for a choice, parallel
 * split/join for a parallel block, and for a loop an exclusive join before `do` and an
 * exclusive split after it whose one branch runs `redo` back to the join. τ leaves become
 * plain sequence flows (a skippable choice branch, a loop without redo, …).
 *
 * Layout: Graphviz `dot` (left to right) places the nodes; the BPMN DI `BPMNShape` bounds and
 * `BPMNEdge` waypoints are taken from its JSON output, and the same DOT source renders the
 * SVG, so the picture and the diagram interchange agree.
 */
import { htmlText, layoutDotAsJson, renderDotToSvgAndJson, wrapLabel } from '../process-map/index.js';
import type { ProcessTree } from './petri-net.js';
import { xmlText } from './pnml.js';

export type BpmnNodeKind = 'startEvent' | 'endEvent' | 'task' | 'exclusiveGateway' | 'parallelGateway';

export interface BpmnNode {
  readonly id: string;
  readonly kind: BpmnNodeKind;
  /** Activity name for tasks. */
  readonly name?: string;
  readonly gatewayDirection?: 'Diverging' | 'Converging';
}

export interface BpmnFlow {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

export interface BpmnProcess {
  readonly nodes: readonly BpmnNode[];
  readonly flows: readonly BpmnFlow[];
}

export function processTreeToBpmn(tree: ProcessTree): BpmnProcess {
  const nodes: BpmnNode[] = [];
  const flows: BpmnFlow[] = [];
  const flowKeys = new Set<string>();
  const node = (kind: BpmnNodeKind, extra: Partial<BpmnNode> = {}): string => {
    const prefix = kind === 'task' ? 'task' : kind.endsWith('Gateway') ? 'gateway' : kind;
    const id = `${prefix}_${nodes.length}`;
    nodes.push({ id, kind, ...extra });
    return id;
  };
  const flow = (source: string, target: string): void => {
    // A choice with several τ branches needs one flow, not parallel duplicates.
    const key = `${source}->${target}`;
    if (flowKeys.has(key)) return;
    flowKeys.add(key);
    flows.push({ id: `flow_${flows.length}`, source, target });
  };

  /** Builds a block; returns its entry and exit node, or null for a block that does nothing (τ). */
  const build = (t: ProcessTree): { entry: string; exit: string } | null => {
    if (t.kind === 'tau') return null;
    if (t.kind === 'activity') {
      const id = node('task', { name: t.label });
      return { entry: id, exit: id };
    }
    switch (t.operator) {
      case 'sequence': {
        const blocks = t.children.map(build).filter((b): b is { entry: string; exit: string } => b !== null);
        if (blocks.length === 0) return null;
        for (let i = 1; i < blocks.length; i++) flow(blocks[i - 1]!.exit, blocks[i]!.entry);
        return { entry: blocks[0]!.entry, exit: blocks[blocks.length - 1]!.exit };
      }
      case 'exclusiveChoice':
      case 'parallel': {
        const kind: BpmnNodeKind = t.operator === 'parallel' ? 'parallelGateway' : 'exclusiveGateway';
        const blocks = t.children.map(build);
        if (blocks.every((b) => b === null)) return null;
        const split = node(kind, { gatewayDirection: 'Diverging' });
        const join = node(kind, { gatewayDirection: 'Converging' });
        for (const block of blocks) {
          if (block === null) {
            // τ in a parallel block does nothing; in a choice it is the branch that skips.
            if (t.operator === 'exclusiveChoice') flow(split, join);
            continue;
          }
          flow(split, block.entry);
          flow(block.exit, join);
        }
        return { entry: split, exit: join };
      }
      case 'loop': {
        const body = build(t.children[0]!);
        const redo = build(t.children[1]!);
        if (body === null && redo === null) return null;
        const join = node('exclusiveGateway', { gatewayDirection: 'Converging' });
        const split = node('exclusiveGateway', { gatewayDirection: 'Diverging' });
        if (body) {
          flow(join, body.entry);
          flow(body.exit, split);
        } else flow(join, split);
        if (redo) {
          flow(split, redo.entry);
          flow(redo.exit, join);
        } else flow(split, join);
        return { entry: join, exit: split };
      }
    }
  };

  const start = node('startEvent');
  const block = build(tree);
  const end = node('endEvent');
  if (block) {
    flow(start, block.entry);
    flow(block.exit, end);
  } else flow(start, end);
  return { nodes, flows };
}

const FONT = 'Helvetica,Arial,sans-serif';
const SVG_ID_PREFIX = 'bpmn';
/** bpmn.io's default sizes, in points (1 DI unit = 1 pt): task 100 × 80, gateway 50, event 36. */
const TASK_MIN = { width: 100, height: 80 };
const GATEWAY_SIZE = 50;
const EVENT_SIZE = 36;

function nodeDot(n: BpmnNode): string {
  const inches = (points: number): string => (points / 72).toFixed(4);
  switch (n.kind) {
    case 'startEvent':
      return `${n.id} [shape=circle, fixedsize=true, width=${inches(EVENT_SIZE)}, label="", color="#2e7d32", penwidth=1.5, tooltip="start"]`;
    case 'endEvent':
      return `${n.id} [shape=circle, fixedsize=true, width=${inches(EVENT_SIZE)}, label="", color="#c62828", penwidth=3.5, tooltip="end"]`;
    case 'task': {
      const label = wrapLabel(n.name!).map(htmlText).join('<BR/>');
      return `${n.id} [shape=box, style="rounded,filled", fillcolor="#eef4fb", color="#1d3557", width=${inches(TASK_MIN.width)}, height=${inches(TASK_MIN.height)}, margin="0.2,0.06", label=<${label}>, tooltip="${htmlText(n.name!)}"]`;
    }
    case 'exclusiveGateway':
    case 'parallelGateway':
      return `${n.id} [shape=diamond, fixedsize=true, width=${inches(GATEWAY_SIZE)}, height=${inches(GATEWAY_SIZE)}, style=filled, fillcolor="#fffbe6", color="#8a6d00", fontsize=18, label="${n.kind === 'parallelGateway' ? '+' : '×'}", tooltip="${n.kind === 'parallelGateway' ? 'parallel' : 'exclusive'} gateway"]`;
  }
}

export function bpmnToDot(process: BpmnProcess): string {
  const lines = [
    'digraph bpmn {',
    // The graph id prefixes Graphviz's SVG ids, so this picture can share an HTML page with others.
    `  graph [id="${SVG_ID_PREFIX}", rankdir=LR, splines=polyline, nodesep=0.35, ranksep=0.45, fontname="${FONT}", bgcolor="white"];`,
    `  node [fontname="${FONT}", fontsize=11, color="#1d3557"];`,
    '  edge [color="#44546a", arrowsize=0.7];',
    ...process.nodes.map((n) => `  ${nodeDot(n)};`),
    ...process.flows.map((f) => `  ${f.source} -> ${f.target} [id="${SVG_ID_PREFIX}_${f.id}"];`),
    '}',
  ];
  return lines.join('\n');
}

interface GraphvizJson {
  readonly bb: string;
  readonly objects?: readonly { readonly _gvid: number; readonly name: string; readonly pos?: string; readonly width?: string; readonly height?: string }[];
  readonly edges?: readonly { readonly tail: number; readonly head: number; readonly id?: string; readonly pos?: string }[];
}

export interface BpmnLayout {
  /** Top-left corner and size per node id, y downwards. */
  readonly bounds: ReadonlyMap<string, { x: number; y: number; width: number; height: number }>;
  readonly waypoints: ReadonlyMap<string, readonly { x: number; y: number }[]>;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** Node bounds and edge waypoints from Graphviz's layout, in points with y pointing down (as BPMN DI). */
export async function layoutBpmn(process: BpmnProcess, dot = bpmnToDot(process)): Promise<BpmnLayout> {
  return bpmnLayoutOf((await layoutDotAsJson(dot)) as GraphvizJson);
}

function bpmnLayoutOf(json: GraphvizJson): BpmnLayout {
  const height = Number(json.bb.split(',')[3]);
  const point = (text: string): { x: number; y: number } => {
    const [x, y] = text.split(',').map(Number);
    return { x: round1(x!), y: round1(height - y!) };
  };
  const bounds = new Map<string, { x: number; y: number; width: number; height: number }>();
  for (const object of json.objects ?? []) {
    if (!object.pos) continue;
    const center = point(object.pos);
    const w = round1(Number(object.width) * 72);
    const h = round1(Number(object.height) * 72);
    bounds.set(object.name, { x: round1(center.x - w / 2), y: round1(center.y - h / 2), width: w, height: h });
  }
  const waypoints = new Map<string, { x: number; y: number }[]>();
  for (const edge of json.edges ?? []) {
    if (!edge.id?.startsWith(`${SVG_ID_PREFIX}_`) || !edge.pos) continue;
    const parts = edge.pos.split(' ');
    const endTip = parts.find((p) => p.startsWith('e,'));
    const startTip = parts.find((p) => p.startsWith('s,'));
    const controls = parts.filter((p) => !p.startsWith('e,') && !p.startsWith('s,')).map(point);
    // On-curve points of the B-spline are every third control point.
    const points = controls.filter((_, i) => i % 3 === 0);
    if (startTip) points.unshift(point(startTip.slice(2)));
    if (endTip) points.push(point(endTip.slice(2)));
    waypoints.set(edge.id.slice(SVG_ID_PREFIX.length + 1), points);
  }
  return { bounds, waypoints };
}

export const BPMN_MODEL_NAMESPACE = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** BPMN 2.0 XML with diagram interchange (opens with its layout in bpmn.io / Camunda Modeler). */
export function writeBpmnXml(process: BpmnProcess, layout: BpmnLayout, processName: string): string {
  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  for (const f of process.flows) {
    (outgoing.get(f.source) ?? outgoing.set(f.source, []).get(f.source)!).push(f.id);
    (incoming.get(f.target) ?? incoming.set(f.target, []).get(f.target)!).push(f.id);
  }
  let xml = '<?xml version="1.0" encoding="UTF-8"?>\n';
  xml +=
    `<definitions xmlns="${BPMN_MODEL_NAMESPACE}" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" ` +
    'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" ' +
    'id="definitions" targetNamespace="urn:pm-job-execution:discovered-model" exporter="pm-job-execution" exporterVersion="1">\n';
  xml += `  <process id="process" name="${xmlText(processName)}" isExecutable="false">\n`;
  for (const n of process.nodes) {
    const attributes = [
      `id="${n.id}"`,
      n.name !== undefined ? `name="${xmlText(n.name)}"` : '',
      n.gatewayDirection ? `gatewayDirection="${n.gatewayDirection}"` : '',
    ].filter(Boolean);
    const refs = [...(incoming.get(n.id) ?? []).map((id) => `<incoming>${id}</incoming>`), ...(outgoing.get(n.id) ?? []).map((id) => `<outgoing>${id}</outgoing>`)];
    xml += `    <${n.kind} ${attributes.join(' ')}>${refs.join('')}</${n.kind}>\n`;
  }
  for (const f of process.flows) xml += `    <sequenceFlow id="${f.id}" sourceRef="${f.source}" targetRef="${f.target}"/>\n`;
  xml += '  </process>\n';
  xml += '  <bpmndi:BPMNDiagram id="diagram">\n    <bpmndi:BPMNPlane id="plane" bpmnElement="process">\n';
  for (const n of process.nodes) {
    const b = layout.bounds.get(n.id);
    if (!b) throw new Error(`The layout has no position for ${n.id}`);
    const marker = n.kind === 'exclusiveGateway' ? ' isMarkerVisible="true"' : '';
    xml += `      <bpmndi:BPMNShape id="${n.id}_di" bpmnElement="${n.id}"${marker}><dc:Bounds x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}"/></bpmndi:BPMNShape>\n`;
  }
  for (const f of process.flows) {
    const points = layout.waypoints.get(f.id);
    if (!points || points.length < 2) throw new Error(`The layout has no route for ${f.id}`);
    xml += `      <bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">${points.map((p) => `<di:waypoint x="${p.x}" y="${p.y}"/>`).join('')}</bpmndi:BPMNEdge>\n`;
  }
  xml += '    </bpmndi:BPMNPlane>\n  </bpmndi:BPMNDiagram>\n</definitions>\n';
  return xml;
}

export interface RenderedBpmn {
  readonly process: BpmnProcess;
  readonly xml: string;
  readonly svg: string;
}

export async function renderBpmn(tree: ProcessTree, processName: string): Promise<RenderedBpmn> {
  const process = processTreeToBpmn(tree);
  const dot = bpmnToDot(process);
  const { svg, json } = await renderDotToSvgAndJson(dot);
  return { process, xml: writeBpmnXml(process, bpmnLayoutOf(json as GraphvizJson), processName), svg };
}
