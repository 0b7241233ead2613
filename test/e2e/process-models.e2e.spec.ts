/**
 * The models API over real HTTP (upload PNML and BPMN, describe, the 400s naming the problem,
 * 404 across tenants, roles as for datasets) and conformance jobs end to end: with an
 * uploaded model's id and with an inline model.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { RUNNING_EXAMPLE_BPMN, RUNNING_EXAMPLE_PNML } from '../support/fixtures.js';
import { useServiceWithRunningExample } from '../support/service-fixture.js';
import { api, waitFor, type ServiceProcess } from '../support/service-process.js';

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;
const pnml = readFileSync(RUNNING_EXAMPLE_PNML, 'utf8');
const bpmn = readFileSync(RUNNING_EXAMPLE_BPMN, 'utf8');
let service: ServiceProcess;
let token: string;
let datasetId: string;

useServiceWithRunningExample({ tenant, project, subject: 'analyst' }, (f) => ({ service, token, datasetId } = f));

const upload = (xml: string, query = '', contentType = 'application/xml', as = token) =>
  api(service.url, as, 'POST', `${base}/models${query}`, xml, { 'Content-Type': contentType });

async function runJob(parameters: Record<string, unknown>, jobType = 'Analysis') {
  const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, { jobName: 'Conformance', jobType, parameters: { datasetId, ...parameters } });
  expect(submitted.status).toBe(201);
  const final = await waitFor(async () => {
    const job = (await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`)).body;
    return ['Completed', 'Failed', 'Cancelled'].includes(job.status) ? job : null;
  }, 45_000);
  expect({ status: final.status, error: final.error }).toEqual({ status: 'Completed', error: null });
  return (await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}/results?format=detailed`)).body;
}

describe('the models API', () => {
  it('uploads PNML as raw XML and BPMN as multipart, and describes them', async () => {
    const fromPnml = await upload(pnml, '?name=running%20example');
    expect(fromPnml.status).toBe(201);
    expect(fromPnml.body).toMatchObject({
      name: 'running example', format: 'pnml', places: 9, transitions: 10, silentTransitions: 2, sizeBytes: Buffer.byteLength(pnml),
    });
    expect(fromPnml.body.activities).toHaveLength(8);
    const form = new FormData();
    form.append('file', new Blob([bpmn], { type: 'application/xml' }), 'running-example.bpmn');
    const res = await fetch(`${service.url}${base}/models`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(201);
    const fromBpmn = (await res.json()) as Record<string, unknown>;
    expect(fromBpmn).toMatchObject({ name: 'running-example.bpmn', format: 'bpmn', places: 9, transitions: 10, activities: fromPnml.body.activities });
    const described = await api(service.url, token, 'GET', `${base}/models/${fromBpmn['modelId']}`);
    expect(described.status).toBe(200);
    expect(described.body).toEqual(fromBpmn);
  });

  it('answers 400 naming the problem: malformed XML, an unsupported BPMN element, not a workflow net, no format', async () => {
    const malformed = await upload('<pnml><net>', '?format=pnml');
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors).toEqual([{ field: 'file', message: expect.stringMatching(/not well-formed XML/) }]);
    const inclusive = await upload(bpmn.replace('<bpmn:exclusiveGateway id="xor_decision" />', '<bpmn:inclusiveGateway id="xor_decision" />'));
    expect(inclusive.status).toBe(400);
    expect(inclusive.body.errors[0].message).toMatch(/unsupported BPMN element <inclusiveGateway id="xor_decision">/);
    const twoSinks = await upload(pnml.replace('<arc id="a22" source="reject" target="sink" />', '<place id="sink2" /><arc id="a22" source="reject" target="sink2" />'));
    expect(twoSinks.status).toBe(400);
    expect(twoSinks.body.errors[0].message).toMatch(/not a workflow net: .*exactly one sink place/);
    const unknown = await upload('<model/>');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'format', message: expect.any(String) }]);
    expect((await upload(pnml, '?format=yawl')).body.errors[0].field).toBe('format');
  });

  it('413 for a model over 10 MB', async () => {
    const huge = pnml.replace('</page>', `<!-- ${'x'.repeat(10 * 1024 * 1024)} --></page>`);
    const res = await upload(huge);
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(/at most 10 MB/);
  });

  it('404 for an unknown model and for another tenant\'s; a viewer reads but cannot upload', async () => {
    const id = (await upload(pnml)).body.modelId;
    expect((await api(service.url, token, 'GET', `${base}/models/${randomUUID()}`)).status).toBe(404);
    const otherTenant = randomUUID();
    const other = await service.token(otherTenant, [project], 'other');
    expect((await api(service.url, other, 'GET', `/api/${otherTenant}/${project}/models/${id}`)).status).toBe(404);
    expect((await api(service.url, other, 'GET', `${base}/models/${id}`)).status).toBe(404);
    const viewer = await service.token(tenant, [project], 'viewer', ['viewer']);
    expect((await api(service.url, viewer, 'GET', `${base}/models/${id}`)).status).toBe(200);
    expect((await upload(pnml, '', 'application/xml', viewer)).status).toBe(403);
    expect((await api(service.url, null, 'GET', `${base}/models/${id}`)).status).toBe(401);
  });
});

describe('conformance jobs end to end', () => {
  it('Analysis with modelId: the running example fits its uploaded model, PNML and BPMN alike', async () => {
    const modelId = (await upload(pnml)).body.modelId;
    const results = await runJob({ analysisType: 'conformance', modelId });
    const fromPnml = results.figures.conformance;
    expect(fromPnml).toMatchObject({
      mode: 'model', model: { source: 'upload', format: 'pnml', modelId },
      tokenReplay: { logFitness: 1, fittingTraces: 6 }, alignments: { fitness: 1 },
    });
    const bpmnId = (await upload(bpmn)).body.modelId;
    const fromBpmn = (await runJob({ analysisType: 'conformance', modelId: bpmnId })).figures.conformance;
    expect(fromBpmn.model).toMatchObject({ format: 'bpmn', modelId: bpmnId });
    const { model: _a, ...pnmlFigures } = fromPnml;
    const { model: _b, ...bpmnFigures } = fromBpmn;
    expect(bpmnFigures).toEqual(pnmlFigures);
  });

  it('ProcessMining with an inline BPMN model', async () => {
    const results = await runJob({ analysisType: 'conformance', model: { format: 'bpmn', content: bpmn } }, 'ProcessMining');
    expect(results.figures.conformance).toMatchObject({ mode: 'model', model: { source: 'inline', format: 'bpmn' }, tokenReplay: { logFitness: 1 } });
  });

  it('submit answers 400 naming the field for an unknown modelId and for an inline model that does not import', async () => {
    const unknown = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'x', jobType: 'Analysis', parameters: { datasetId, analysisType: 'conformance', modelId: randomUUID() },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors).toEqual([{ field: 'parameters.modelId', message: expect.stringMatching(/no process model/) }]);
    const broken = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'x', jobType: 'Analysis', parameters: { datasetId, analysisType: 'conformance', model: { format: 'pnml', content: '<pnml>' } },
    });
    expect(broken.status).toBe(400);
    expect(broken.body.errors).toEqual([{ field: 'parameters.model.content', message: expect.stringMatching(/not well-formed XML/) }]);
  });
});
