import { describe, it, expect } from '@jest/globals';
import type { EventLog } from '../event-log.js';
import { runningExampleLog } from '../testing/running-example.js';
import { penWidth, processMapToDot } from './process-map-dot.js';
import { PROCESS_MAP_END, PROCESS_MAP_START, type ProcessMapGraph } from './process-map.types.js';
import { renderProcessMapSvg } from './render-process-map.js';
import { descendants, groupsOfClass, parseXml, textsOf, titleOf, type XmlElement } from './testing/parse-svg.js';

const S = PROCESS_MAP_START;
const E = PROCESS_MAP_END;

const smallMap: ProcessMapGraph = {
  nodes: [
    { id: 'register', label: 'Register', frequency: 1234 },
    { id: 'check', label: 'Check', frequency: 617 },
    { id: 'pay', label: 'Pay', frequency: 1234 },
  ],
  edges: [
    { from: S, to: 'register', frequency: 1234 },
    { from: 'register', to: 'check', frequency: 617, meanSeconds: 2.3 * 86_400, medianSeconds: 3600 },
    { from: 'check', to: 'pay', frequency: 617, meanSeconds: 4 * 3600 + 12 * 60 },
    { from: 'register', to: 'pay', frequency: 617, medianSeconds: 35 },
    { from: 'pay', to: E, frequency: 1234 },
  ],
};

async function render(graph: ProcessMapGraph, options: Parameters<typeof renderProcessMapSvg>[1] = {}): Promise<XmlElement> {
  const svg = await renderProcessMapSvg(graph, options);
  expect(svg.startsWith('<?xml')).toBe(true);
  return parseXml(svg);
}

/** The label text of each activity node, by its box's <title>, plus start/end. */
function nodeTexts(svg: XmlElement): Map<string, string[]> {
  return new Map(groupsOfClass(svg, 'node').map((group) => [titleOf(group)!, textsOf(group)]));
}

describe('renderProcessMapSvg', () => {
  it('draws one node group per activity plus start and end, and one edge group per edge', async () => {
    const svg = await render(smallMap);
    const root = svg.children[0]!;
    expect(root.name).toBe('svg');
    const nodes = groupsOfClass(svg, 'node');
    expect(nodes).toHaveLength(3 + 2);
    expect(nodes.map(titleOf).sort()).toEqual(['a0', 'a1', 'a2', 'end', 'start']);
    expect(groupsOfClass(svg, 'edge')).toHaveLength(5);
    // Start and end are circles without text; activities carry name and count.
    const texts = nodeTexts(svg);
    expect(texts.get('start')).toEqual([]);
    expect(descendants(nodes.find((n) => titleOf(n) === 'start')!, (e) => e.name === 'ellipse')).toHaveLength(1);
    expect(texts.get('a0')).toEqual(['Register', '1,234']);
    expect(texts.get('a1')).toEqual(['Check', '617']);
  });

  it('labels edges with counts, or with formatted durations in performance mode', async () => {
    const edgeLabels = (svg: XmlElement): string[] => groupsOfClass(svg, 'edge').flatMap((group) => textsOf(group).map((t) => t.trim()));
    expect(edgeLabels(await render(smallMap)).sort()).toEqual(['1,234', '1,234', '617', '617', '617']);
    // Mean when present, else median; start/end edges have no duration and stay unlabelled.
    expect(edgeLabels(await render(smallMap, { label: 'performance' })).sort()).toEqual(['2.3 d', '35 s', '4 h 12 m']);
  });

  it('scales pen width with frequency and shades nodes by frequency', async () => {
    const svg = await render(smallMap);
    const strokeWidths = groupsOfClass(svg, 'edge').map((group) => {
      const path = descendants(group, (e) => e.name === 'path')[0]!;
      return Number(path.attributes['stroke-width'] ?? '1');
    });
    expect(Math.max(...strokeWidths)).toBe(6);
    expect(Math.min(...strokeWidths)).toBeCloseTo(penWidth(617, 1234), 2);
    const fillOf = (title: string): string | undefined =>
      descendants(groupsOfClass(svg, 'node').find((g) => titleOf(g) === title)!, (e) => e.name === 'path' || e.name === 'polygon')[0]
        ?.attributes['fill'];
    expect(fillOf('a0')).toBe('#1f4e8c');
    expect(fillOf('a1')).not.toBe('#1f4e8c');
  });

  it('keeps labels with quotes, backslashes, markup characters and non-Latin text intact', async () => {
    const tricky = [
      'Approve "big" <loan> & pay',
      'C:\\temp\\ path\\',
      "it's \\N \\n \\G",
      'Prüfung – 審査 ✓ 🚀',
      '</text><script>x</script>',
    ];
    const graph: ProcessMapGraph = {
      nodes: tricky.map((label, i) => ({ id: label, label, frequency: i + 1 })),
      edges: [
        { from: S, to: tricky[0]!, frequency: 1 },
        ...tricky.slice(1).map((label, i) => ({ from: tricky[i]!, to: label, frequency: 1 })),
        { from: tricky[tricky.length - 1]!, to: E, frequency: 1 },
      ],
    };
    const svg = await render(graph, { title: 'Map of "A & B" <draft>' });
    const texts = nodeTexts(svg);
    tricky.forEach((label, i) => expect(texts.get(`a${i}`)).toEqual([label, String(i + 1)]));
    expect(textsOf(svg)).toContain('Map of "A & B" <draft>');
    expect(descendants(svg, (e) => e.name === 'script')).toHaveLength(0);
    // Tooltips carry the name too, unescaped once parsed.
    const tooltips = descendants(svg, (e) => e.name === 'a').map((e) => e.attributes['xlink:title']);
    expect(tooltips).toContain('C:\\temp\\ path\\: 2 events');
  });

  it('replaces characters XML cannot hold instead of producing a broken document', async () => {
    const svg = await render({ nodes: [{ id: 'x', label: 'bell\u0007 tab\t and \ud800 lone', frequency: 1 }], edges: [] });
    expect(nodeTexts(svg).get('a0')![0]).toBe('bell tab and \uFFFD lone');
  });

  it('wraps long labels at spaces', async () => {
    const label = 'Send the confirmation letter to the customer by registered mail';
    const texts = nodeTexts(await render({ nodes: [{ id: 'long', label, frequency: 3 }], edges: [] })).get('a0')!;
    expect(texts.length).toBeGreaterThan(2);
    expect(texts.slice(0, -1).join(' ')).toBe(label);
  });

  it('renders the running example directly-follows graph', async () => {
    const graph = directlyFollowsGraph(runningExampleLog());
    const svg = await render(graph, { title: 'Running example', label: 'performance' });
    expect(groupsOfClass(svg, 'node')).toHaveLength(8 + 2);
    expect(groupsOfClass(svg, 'edge')).toHaveLength(graph.edges.length);
    const texts = nodeTexts(svg);
    expect(texts.get('a' + graph.nodes.findIndex((n) => n.label === 'check ticket'))).toEqual(['check ticket', '9']);
  });

  it('serves concurrent renders from the shared Graphviz instance', async () => {
    const svgs = await Promise.all([1, 2, 3, 4].map((n) => render({ nodes: [{ id: 'x', label: `Task ${n}`, frequency: n }], edges: [] })));
    expect(svgs.map((svg) => nodeTexts(svg).get('a0'))).toEqual([1, 2, 3, 4].map((n) => [`Task ${n}`, String(n)]));
  });

  it('renders an empty map as just start and end', async () => {
    const svg = await render({ nodes: [], edges: [] });
    expect(groupsOfClass(svg, 'node')).toHaveLength(2);
    expect(groupsOfClass(svg, 'edge')).toHaveLength(0);
  });

  it('rejects graphs it cannot draw faithfully', () => {
    expect(() => processMapToDot({ nodes: [], edges: [{ from: 'ghost', to: E, frequency: 1 }] })).toThrow(/unknown source/);
    expect(() => processMapToDot({ nodes: [], edges: [{ from: S, to: S, frequency: 1 }] })).toThrow(/unknown target/);
    const twice = { id: 'a', label: 'A', frequency: 1 };
    expect(() => processMapToDot({ nodes: [twice, twice], edges: [] })).toThrow(/occurs twice/);
    expect(() => processMapToDot({ nodes: [{ id: S, label: 'start', frequency: 1 }], edges: [] })).toThrow(/reserved/);
    expect(() => processMapToDot({ nodes: [{ id: 'a', label: 'A', frequency: Number.NaN }], edges: [] })).toThrow(/frequency/);
  });

  it('documents its pen width scale: 1 pt to 6 pt on a log scale', () => {
    expect(penWidth(0, 100)).toBe(1);
    expect(penWidth(100, 100)).toBe(6);
    expect(penWidth(9, 99)).toBeCloseTo(1 + 5 * 0.5, 10);
    expect(penWidth(5, 0)).toBe(1);
  });
});

/** A plain DFG of a log (all activities and pairs), with mean durations, for the rendering test. */
function directlyFollowsGraph(log: EventLog): ProcessMapGraph {
  const frequency = new Map<string, number>();
  const edges = new Map<string, { from: string; to: string; frequency: number; totalSeconds: number }>();
  const addEdge = (from: string, to: string, seconds: number): void => {
    const key = JSON.stringify([from, to]);
    const edge = edges.get(key) ?? { from, to, frequency: 0, totalSeconds: 0 };
    edge.frequency++;
    edge.totalSeconds += seconds;
    edges.set(key, edge);
  };
  for (let c = 0; c < log.caseCount; c++) {
    let previous = S;
    let previousTime = Number.NaN;
    for (let i = log.caseOffsets[c]!; i < log.caseOffsets[c + 1]!; i++) {
      const activity = log.activities[log.eventActivity[i]!]!;
      frequency.set(activity, (frequency.get(activity) ?? 0) + 1);
      addEdge(previous, activity, (log.eventTimestamp[i]! - previousTime) / 1000);
      previous = activity;
      previousTime = log.eventTimestamp[i]!;
    }
    addEdge(previous, E, Number.NaN);
  }
  return {
    nodes: [...frequency].map(([activity, count]) => ({ id: activity, label: activity, frequency: count })),
    edges: [...edges.values()].map(({ from, to, frequency: count, totalSeconds }) =>
      from === S || to === E ? { from, to, frequency: count } : { from, to, frequency: count, meanSeconds: totalSeconds / count },
    ),
  };
}
