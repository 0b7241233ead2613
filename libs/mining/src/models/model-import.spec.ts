/** PNML and BPMN import: what is read, and the errors naming what is wrong. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { RUNNING_EXAMPLE_BPMN, RUNNING_EXAMPLE_PNML } from '../../../../test/support/fixtures.js';
import { compileNet, replayTrace } from '../conformance/index.js';
import { describeNet, importProcessModel } from './import-process-model.js';
import { ModelImportError } from './model-import-error.js';

const bpmn = readFileSync(RUNNING_EXAMPLE_BPMN, 'utf8');
const pnml = readFileSync(RUNNING_EXAMPLE_PNML, 'utf8');

function importError(format: 'pnml' | 'bpmn', xml: string): ModelImportError {
  try {
    importProcessModel(format, xml);
  } catch (e) {
    if (e instanceof ModelImportError) return e;
    throw e;
  }
  throw new Error('the model was imported');
}

describe('process model import', () => {
  it('reads the PNML net with its markings and silent transitions', () => {
    const model = importProcessModel('pnml', pnml);
    expect(model.initialMarking).toEqual({ source: 1 });
    expect(model.finalMarking).toEqual({ sink: 1 });
    expect(describeNet(model)).toMatchObject({ places: 9, transitions: 10, silentTransitions: 2 });
    expect(describeNet(model).activities).toContain('examine thoroughly');
  });

  it('maps BPMN tasks of every type to labelled transitions and gateways to places and silent transitions', () => {
    const described = describeNet(importProcessModel('bpmn', bpmn));
    expect(described).toEqual({
      places: 9, transitions: 10, silentTransitions: 2,
      activities: ['check ticket', 'decide', 'examine casually', 'examine thoroughly', 'pay compensation', 'register request', 'reinitiate request', 'reject request'],
    });
  });

  it('reads a task name wrapped over lines as one activity', () => {
    const wrapped = bpmn.replace('name="check ticket"', 'name="check&#10;  ticket"');
    expect(describeNet(importProcessModel('bpmn', wrapped)).activities).toContain('check ticket');
  });

  it('reads modeler output: a collaboration, flow references inside tasks, conditions, a default namespace', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d">
  <collaboration id="c"><participant id="pool" processRef="p" /></collaboration>
  <process id="p">
    <laneSet id="ls"><lane id="l1"><flowNodeRef>a</flowNodeRef></lane></laneSet>
    <startEvent id="s"><outgoing>f1</outgoing></startEvent>
    <userTask id="a" name="Approve&#10;request"><incoming>f1</incoming><outgoing>f2</outgoing><documentation>who approves</documentation></userTask>
    <exclusiveGateway id="g" default="f4"><incoming>f2</incoming><outgoing>f3</outgoing><outgoing>f4</outgoing></exclusiveGateway>
    <sendTask id="b" name="Notify"><incoming>f3</incoming><outgoing>f5</outgoing></sendTask>
    <endEvent id="e"><incoming>f4</incoming><incoming>f5</incoming></endEvent>
    <sequenceFlow id="f1" sourceRef="s" targetRef="a" />
    <sequenceFlow id="f2" sourceRef="a" targetRef="g" />
    <sequenceFlow id="f3" sourceRef="g" targetRef="b"><conditionExpression xsi:type="tFormalExpression">notify</conditionExpression></sequenceFlow>
    <sequenceFlow id="f4" sourceRef="g" targetRef="e" />
    <sequenceFlow id="f5" sourceRef="b" targetRef="e" />
    <textAnnotation id="t"><text>note</text></textAnnotation>
  </process>
</definitions>`;
    // Places: the start flow, the choice (f2, f3, f4's start), the end (f4's end, f5). f4 runs from
    // the choice straight to the end: its own silent transition keeps the choice
    // place apart from the sink, so Notify happens at most once.
    const model = importProcessModel('bpmn', xml);
    expect(describeNet(model)).toEqual({ places: 3, transitions: 3, silentTransitions: 1, activities: ['Approve request', 'Notify'] });
    const net = compileNet(model);
    expect(replayTrace(net, ['Approve request']).fits).toBe(true);
    expect(replayTrace(net, ['Approve request', 'Notify']).fits).toBe(true);
    expect(replayTrace(net, ['Approve request', 'Notify', 'Notify']).fits).toBe(false);
  });

  it('names the problem: malformed XML, unsupported BPMN elements, not a workflow net', () => {
    expect(importError('pnml', '<pnml><net id="n">')).toMatchObject({ problem: 'malformedXml' });
    expect(importError('bpmn', bpmn.replace('<bpmn:exclusiveGateway id="xor_decision" />', '<bpmn:inclusiveGateway id="xor_decision" />')).message)
      .toMatch(/unsupported BPMN element <inclusiveGateway id="xor_decision">/);
    expect(importError('bpmn', bpmn.replace('<bpmn:task id="pay" name="pay compensation" />', '<bpmn:subProcess id="pay" name="pay compensation" />')).message)
      .toMatch(/<subProcess id="pay">/);
    expect(importError('bpmn', bpmn.replace('<bpmn:endEvent id="end_paid" />', '<bpmn:endEvent id="end_paid"><bpmn:errorEventDefinition /></bpmn:endEvent>')).message)
      .toMatch(/errorEventDefinition/);
    const twoSinks = pnml.replace('<arc id="a22" source="reject" target="sink" />', '<place id="sink2" /><arc id="a22" source="reject" target="sink2" />');
    expect(importError('pnml', twoSinks)).toMatchObject({ problem: 'notAWorkflowNet', message: expect.stringMatching(/exactly one sink place.*sink, sink2/) });
    const island = pnml.replace('</page>', '<place id="island" /><transition id="spin" /><arc source="island" target="spin" /><arc source="spin" target="island" /></page>');
    expect(importError('pnml', island)).toMatchObject({ problem: 'notAWorkflowNet', message: expect.stringMatching(/island, spin do not/) });
    expect(importError('pnml', pnml.replace('source="loop" target="split"', 'source="loop" target="sink"')).message).toMatch(/connects two places/);
    expect(importError('bpmn', bpmn.replace('<bpmn:startEvent id="start" />', '<bpmn:startEvent id="start" /><bpmn:startEvent id="start2" />')).message)
      .toMatch(/exactly one start event; it has 2/);
  });
});
