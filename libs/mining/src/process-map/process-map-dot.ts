/**
 * Turns a ProcessMapGraph into Graphviz DOT.
 *
 * Encoding:
 * - Activity boxes are filled by event frequency, linearly from a pale to a dark blue
 *   (share of the most frequent activity); text turns white on the dark half.
 * - Edge pen width grows with the logarithm of the edge frequency: 1 + 5 · ln(1 + f) / ln(1 + fmax),
 *   so widths run from 1 to 6 pt and rare edges stay visible next to very frequent ones.
 * - Node labels: activity name and event count. Edge labels: the count (`frequency`) or the
 *   mean duration, falling back to the median (`performance`); edges without either stay unlabelled.
 * - Start and end are small filled circles (green, red).
 *
 * Escaping: labels are HTML-like labels with every character that means something to
 * XML (`& < > " '`) written as an entity and backslashes doubled (Graphviz expands \N,
 * \G… even there); control characters and unpaired surrogates are replaced. So any
 * activity name, including quotes, backslashes and non-Latin scripts, reaches the SVG
 * unchanged. Node names in DOT are generated (`a0`, `a1`, …, `start`, `end`),
 * never taken from the data.
 */
import { formatDurationShort } from '../format/duration.js';
import {
  PROCESS_MAP_END,
  PROCESS_MAP_START,
  type ProcessMapEdge,
  type ProcessMapGraph,
  type ProcessMapOptions,
} from './process-map.types.js';

const FONT = 'Helvetica,Arial,sans-serif';
const PALE_FILL: Rgb = [232, 240, 251];
const DARK_FILL: Rgb = [31, 78, 140];
const MIN_PEN_WIDTH = 1;
const MAX_PEN_WIDTH = 6;
/** Labels longer than this are wrapped at spaces so boxes stay compact. */
const WRAP_AT = 30;

type Rgb = readonly [number, number, number];

const START_NAME = 'start';
const END_NAME = 'end';

export function processMapToDot(graph: ProcessMapGraph, options: ProcessMapOptions = {}): string {
  const labelMode = options.label ?? 'frequency';
  const nameById = nodeNames(graph);
  for (const edge of graph.edges) checkEdge(edge, nameById);

  const maxNodeFrequency = graph.nodes.reduce((max, node) => Math.max(max, node.frequency), 0);
  const maxEdgeFrequency = graph.edges.reduce((max, edge) => Math.max(max, edge.frequency), 0);
  const labelById = new Map<string, string>([
    [PROCESS_MAP_START, 'start'],
    [PROCESS_MAP_END, 'end'],
    ...graph.nodes.map((node): [string, string] => [node.id, node.label]),
  ]);

  const lines: string[] = ['digraph process_map {'];
  const graphAttributes = [`rankdir=${options.direction ?? 'TB'}`, 'bgcolor="white"', `fontname="${FONT}"`, 'nodesep=0.35', 'ranksep=0.45'];
  if (options.title !== undefined && options.title !== '') {
    graphAttributes.push(`label=<<B>${htmlText(options.title)}</B>>`, 'labelloc=t', 'fontsize=16');
  }
  lines.push(`  graph [${graphAttributes.join(', ')}];`);
  lines.push(`  node [fontname="${FONT}", fontsize=11, shape=box, style="rounded,filled", color="#3a5a8c", penwidth=1, margin="0.15,0.06"];`);
  lines.push(`  edge [fontname="${FONT}", fontsize=9, color="#5b6b7f", fontcolor="#333333", arrowsize=0.7];`);
  lines.push(`  ${START_NAME} [shape=circle, label="", width=0.22, height=0.22, fixedsize=true, fillcolor="#2e7d32", color="#2e7d32", tooltip="start"];`);
  lines.push(`  ${END_NAME} [shape=circle, label="", width=0.22, height=0.22, fixedsize=true, fillcolor="#c62828", color="#c62828", tooltip="end"];`);

  for (const node of graph.nodes) {
    const share = maxNodeFrequency > 0 ? node.frequency / maxNodeFrequency : 0;
    const fill = mix(PALE_FILL, DARK_FILL, share);
    const fontColor = share > 0.5 ? '#ffffff' : '#1a1a1a';
    const label = `${wrap(node.label).map(htmlText).join('<BR/>')}<BR/><FONT POINT-SIZE="9">${formatCount(node.frequency)}</FONT>`;
    lines.push(
      `  ${nameById.get(node.id)} [label=<${label}>, fillcolor="${fill}", fontcolor="${fontColor}", tooltip="${escString(`${node.label}: ${formatCount(node.frequency)} events`)}"];`,
    );
  }

  for (const edge of graph.edges) {
    const attributes = [`penwidth=${penWidth(edge.frequency, maxEdgeFrequency).toFixed(2)}`];
    const text = edgeLabel(edge, labelMode);
    if (text !== '') attributes.push(`label=<${htmlText(` ${text} `)}>`);
    attributes.push(`tooltip="${escString(edgeTooltip(edge, labelById))}"`);
    lines.push(`  ${nameById.get(edge.from)} -> ${nameById.get(edge.to)} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function nodeNames(graph: ProcessMapGraph): Map<string, string> {
  const nameById = new Map<string, string>([
    [PROCESS_MAP_START, START_NAME],
    [PROCESS_MAP_END, END_NAME],
  ]);
  graph.nodes.forEach((node, i) => {
    if (nameById.has(node.id)) {
      throw new Error(
        node.id === PROCESS_MAP_START || node.id === PROCESS_MAP_END
          ? `process map node id ${JSON.stringify(node.id)} is reserved for the artificial start/end`
          : `process map node id ${JSON.stringify(node.id)} occurs twice`,
      );
    }
    checkFrequency(node.frequency, `node ${JSON.stringify(node.id)}`);
    nameById.set(node.id, `a${i}`);
  });
  return nameById;
}

function checkEdge(edge: ProcessMapEdge, nameById: Map<string, string>): void {
  const what = `edge ${JSON.stringify(edge.from)} -> ${JSON.stringify(edge.to)}`;
  if (!nameById.has(edge.from) || edge.from === PROCESS_MAP_END) throw new Error(`${what}: unknown source`);
  if (!nameById.has(edge.to) || edge.to === PROCESS_MAP_START) throw new Error(`${what}: unknown target`);
  checkFrequency(edge.frequency, what);
}

function checkFrequency(frequency: number, what: string): void {
  if (!(Number.isFinite(frequency) && frequency >= 0)) throw new Error(`${what}: frequency must be a finite number ≥ 0, got ${frequency}`);
}

export function penWidth(frequency: number, maxFrequency: number): number {
  if (maxFrequency <= 0) return MIN_PEN_WIDTH;
  return MIN_PEN_WIDTH + ((MAX_PEN_WIDTH - MIN_PEN_WIDTH) * Math.log1p(frequency)) / Math.log1p(maxFrequency);
}

function edgeLabel(edge: ProcessMapEdge, mode: 'frequency' | 'performance'): string {
  if (mode === 'frequency') return formatCount(edge.frequency);
  const seconds = edge.meanSeconds ?? edge.medianSeconds;
  return seconds === undefined || !Number.isFinite(seconds) ? '' : formatDurationShort(seconds);
}

function edgeTooltip(edge: ProcessMapEdge, labelById: ReadonlyMap<string, string>): string {
  const parts = [`${labelById.get(edge.from)} → ${labelById.get(edge.to)}: ${formatCount(edge.frequency)} times`];
  if (edge.meanSeconds !== undefined) parts.push(`mean ${formatDurationShort(edge.meanSeconds)}`);
  if (edge.medianSeconds !== undefined) parts.push(`median ${formatDurationShort(edge.medianSeconds)}`);
  return parts.join(', ');
}

/** Thousands separators without depending on the runtime's locale data. */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function wrap(text: string): string[] {
  if (text.length <= WRAP_AT) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > WRAP_AT) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * Characters XML (and so Graphviz HTML labels and SVG) cannot carry, made harmless first:
 * control characters become spaces, runs of spaces one space (Graphviz would keep them
 * as no-break spaces), unpaired surrogates U+FFFD.
 */
function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/**
 * Text for inside an HTML-like label. Graphviz still expands escapes such as \N (node
 * name) and \G (graph name) in HTML label text, so backslashes are doubled as well.
 */
export function htmlText(text: string): string {
  return cleanText(text)
    .replace(/\\/g, '\\\\')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Text for a quoted DOT attribute that Graphviz reads as an escString (tooltip). */
function escString(text: string): string {
  return cleanText(text).replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function mix(from: Rgb, to: Rgb, share: number): string {
  const t = Math.min(1, Math.max(0, share));
  const channel = (i: number): string =>
    Math.round(from[i]! + (to[i]! - from[i]!) * t)
      .toString(16)
      .padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}
