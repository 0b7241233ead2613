import { beforeAll, describe, expect, it } from '@jest/globals';
import { SaxesParser } from 'saxes';
import { ingestEventLog } from '../ingest/index.js';
import type { EventLog } from '../event-log.js';
import { discoverProcessModel, discoverySettings, variantLogOf, type DiscoveredProcessModel } from '../discovery/index.js';
import { runningExampleLog } from '../testing/running-example.js';
import { layoutDotAsJson, renderDotToSvg, renderDotToSvgAndJson } from '../process-map/index.js';
import { bpmnToDot, checkSoundness, layoutBpmn, processTreeToBpmn, type AcceptingPetriNet } from './index.js';
import { BPIC_2012_XES_GZ } from '../../../../test/support/fixtures.js';
import { validateBpmn, validatePnml } from '../../../../test/support/model-schemas.js';

async function discover(log: EventLog, parameter: unknown = undefined): Promise<DiscoveredProcessModel> {
  const { variants, activities } = variantLogOf(log);
  return discoverProcessModel(variants, activities, discoverySettings(parameter), 'Model & <test>');
}

/** Elements by local name with their attributes, from a well-formed document (throws otherwise). */
function elements(xml: string): { name: string; attributes: Record<string, string> }[] {
  const found: { name: string; attributes: Record<string, string> }[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on('opentag', (tag) => {
    found.push({ name: tag.local, attributes: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local, a.value])) });
  });
  parser.write(xml).close();
  return found;
}

describe.each([
  ['the running example', async () => runningExampleLog()],
  ['BPI Challenge 2012', async () => (await ingestEventLog({ path: BPIC_2012_XES_GZ, format: 'xes.gz' })).log],
])('model files of %s', (_, load) => {
  let model: DiscoveredProcessModel;
  beforeAll(async () => {
    model = await discover(await load());
  }, 120_000);

  it('writes PNML that validates against the PNML P/T-net grammar (RELAX NG, ptnet.pntd)', async () => {
    const result = await validatePnml(model.pnml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    const names = elements(model.pnml).map((e) => e.name);
    expect(names.filter((n) => n === 'place')).toHaveLength(model.petriNet.net.places.length + 1); // + the final-marking reference
    expect(names.filter((n) => n === 'transition')).toHaveLength(model.petriNet.net.transitions.length);
    expect(names.filter((n) => n === 'arc')).toHaveLength(model.petriNet.net.arcs.length);
  });

  it('writes BPMN 2.0 that validates against OMG\'s BPMN20.xsd, with a shape per node and a route per flow', async () => {
    const result = await validateBpmn(model.bpmnXml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    const all = elements(model.bpmnXml);
    const flowNodes = all.filter((e) => ['startEvent', 'endEvent', 'task', 'exclusiveGateway', 'parallelGateway'].includes(e.name));
    const flows = all.filter((e) => e.name === 'sequenceFlow');
    const shapes = new Set(all.filter((e) => e.name === 'BPMNShape').map((e) => e.attributes['bpmnElement']));
    const edges = new Set(all.filter((e) => e.name === 'BPMNEdge').map((e) => e.attributes['bpmnElement']));
    expect(flowNodes.every((n) => shapes.has(n.attributes['id']))).toBe(true);
    expect(flows.every((f) => edges.has(f.attributes['id']))).toBe(true);
    expect(all.filter((e) => e.name === 'startEvent')).toHaveLength(1);
    expect(all.filter((e) => e.name === 'endEvent')).toHaveLength(1);
    const activities = new Set(model.petriNet.net.transitions.flatMap((t) => (t.label === null ? [] : [t.label])));
    expect(new Set(flowNodes.filter((n) => n.name === 'task').map((n) => n.attributes['name']))).toEqual(activities);
    // Every waypoint lies inside the diagram's extent (Graphviz's layout, y pointing down).
    const bounds = all.filter((e) => e.name === 'Bounds').map((e) => ({ x: Number(e.attributes['x']), y: Number(e.attributes['y']), w: Number(e.attributes['width']), h: Number(e.attributes['height']) }));
    expect(bounds.every((b) => b.x >= 0 && b.y >= 0 && b.w > 0 && b.h > 0)).toBe(true);
  });

  it('draws both models as SVG with every activity name', () => {
    for (const svg of [model.petriNetSvg, model.bpmnSvg]) {
      expect(() => elements(svg)).not.toThrow();
      for (const transition of model.petriNet.net.transitions) {
        if (transition.label !== null) expect(svg).toContain(transition.label.split(' ')[0]!);
      }
    }
  });

  it('reports the model in figures', () => {
    const f = model.figures;
    expect(f).toMatchObject({ algorithm: 'inductive', noiseThreshold: 0, sound: true });
    expect(f.places).toBe(model.petriNet.net.places.length);
    expect(f.transitions).toBe(model.petriNet.net.transitions.length);
    expect(f.silentTransitions).toBe(model.petriNet.net.transitions.filter((t) => t.label === null).length);
    expect(f.treeText.startsWith('->(')).toBe(true);
  });
});

describe('schema checks and the soundness check can fail', () => {
  it('the PNML grammar rejects an arc without a target', async () => {
    const model = await discover(runningExampleLog());
    const broken = model.pnml.replace(/ target="[^"]*"/, '');
    expect((await validatePnml(broken)).valid).toBe(false);
  });

  it('the BPMN schema rejects a sequence flow without a target', async () => {
    const model = await discover(runningExampleLog());
    const broken = model.bpmnXml.replace(/ targetRef="[^"]*"/, '');
    expect((await validateBpmn(broken)).valid).toBe(false);
  });

  it('finds the deadlock of an exclusive split joined by a synchronising transition', () => {
    // source → a | b (choice), then both p1 and p2 needed by `join`: never enabled.
    const net: AcceptingPetriNet = {
      net: {
        places: ['source', 'p1', 'p2', 'sink'].map((id) => ({ id, name: id })),
        transitions: [
          { id: 'a', label: 'a' },
          { id: 'b', label: 'b' },
          { id: 'join', label: null },
        ],
        arcs: [
          ['source', 'a'], ['source', 'b'], ['a', 'p1'], ['b', 'p2'], ['p1', 'join'], ['p2', 'join'], ['join', 'sink'],
        ].map(([source, target]) => ({ source: source!, target: target!, weight: 1 })),
      },
      initialMarking: { source: 1 },
      finalMarking: { sink: 1 },
    };
    const report = checkSoundness(net);
    expect(report.workflowNet).toBe(true);
    expect(report.sound).toBe(false);
    expect(report.problems.join(' ')).toMatch(/no option to complete/);
    expect(report.deadTransitions).toEqual(['join']);
  });

  it('says "not decided" instead of sound when the state cap is hit', async () => {
    const model = await discover(runningExampleLog());
    const report = checkSoundness(model.petriNet, { maxStates: 3 });
    expect(report).toMatchObject({ sound: null, stateCapReached: true, maxStates: 3 });
  });

  it('rejects a net that is not a workflow net', () => {
    const report = checkSoundness({
      net: { places: [{ id: 'a', name: 'a' }, { id: 'b', name: 'b' }], transitions: [], arcs: [] },
      initialMarking: { a: 1 },
      finalMarking: { b: 1 },
    });
    expect(report).toMatchObject({ workflowNet: false, sound: false });
  });
});

describe('BPMN of small trees', () => {
  it('turns τ branches into plain flows and a loop into a join/split gateway pair', () => {
    const process = processTreeToBpmn({
      kind: 'operator',
      operator: 'loop',
      children: [
        { kind: 'operator', operator: 'exclusiveChoice', children: [{ kind: 'activity', label: 'a' }, { kind: 'tau' }] },
        { kind: 'tau' },
      ],
    });
    const kinds = process.nodes.map((n) => n.kind).sort();
    expect(kinds).toEqual(['endEvent', 'exclusiveGateway', 'exclusiveGateway', 'exclusiveGateway', 'exclusiveGateway', 'startEvent', 'task']);
    const [choiceSplit] = process.nodes.filter((n) => n.kind === 'exclusiveGateway' && n.gatewayDirection === 'Diverging');
    expect(process.flows.filter((f) => f.source === choiceSplit!.id)).toHaveLength(2);
  });

  it('draws and lays out a BPMN diagram from one Graphviz layout exactly as from two', async () => {
    const { variants, activities } = variantLogOf(runningExampleLog());
    const { tree } = await discoverProcessModel(variants, activities, discoverySettings(undefined), 'Model');
    const dot = bpmnToDot(processTreeToBpmn(tree));
    const { svg, json } = await renderDotToSvgAndJson(dot);
    expect(svg).toBe(await renderDotToSvg(dot));
    expect(json).toEqual(await layoutDotAsJson(dot));
  });

  it('sizes task shapes to their wrapped labels (at least bpmn.io\'s 100 × 80)', async () => {
    const long = 'Assess the application against the credit policy and the fraud rules';
    const process = processTreeToBpmn({ kind: 'operator', operator: 'sequence', children: [{ kind: 'activity', label: 'a' }, { kind: 'activity', label: long }] });
    const layout = await layoutBpmn(process);
    const [short, wide] = process.nodes.filter((n) => n.kind === 'task').map((n) => layout.bounds.get(n.id)!);
    expect(short).toMatchObject({ width: 100, height: 80 });
    // Wrapped at 30 characters: the widest line has about 30 characters of 11 pt Helvetica (over 5 pt each).
    expect(wide!.width).toBeGreaterThan(30 * 5);
    expect(wide!.height).toBeGreaterThanOrEqual(80);
    for (const gateway of process.nodes.filter((n) => n.kind.endsWith('Gateway'))) expect(layout.bounds.get(gateway.id)).toMatchObject({ width: 50, height: 50 });
  });
});
