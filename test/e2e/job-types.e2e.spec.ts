/**
 * The four job types through the API on the running example: each runs to Completed,
 * lists the outputs the reference promises, and every artifact downloads intact.
 */
import { randomUUID } from 'node:crypto';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from '@jest/globals';
import { useServiceWithRunningExample } from '../support/service-fixture.js';
import { api, waitFor, type ServiceProcess } from '../support/service-process.js';

const tenant = randomUUID();
const project = randomUUID();
const base = `/api/${tenant}/${project}`;
let service: ServiceProcess;
let token: string;
let datasetId: string;

useServiceWithRunningExample({ tenant, project, subject: 'analyst' }, (f) => ({ service, token, datasetId } = f));

async function runToCompletion(body: Record<string, unknown>) {
  const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, body);
  expect(submitted.status).toBe(201);
  const jobId = submitted.body.jobId;
  const final = await waitFor(async () => {
    const job = (await api(service.url, token, 'GET', `${base}/execution/job/${jobId}`)).body;
    return ['Completed', 'Failed', 'Cancelled'].includes(job.status) ? job : null;
  }, 45_000);
  expect({ status: final.status, error: final.error }).toEqual({ status: 'Completed', error: null });
  const results = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/results?format=detailed`);
  expect(results.status).toBe(200);
  const outputs = [results.body.results.primaryOutput, ...results.body.results.additionalOutputs];
  const files = new Map<string, Buffer>();
  for (const output of outputs) {
    const res = await fetch(output.downloadUrl, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBe(output.sizeBytes);
    files.set(output.type, bytes);
  }
  return { jobId, results: results.body, outputs, files };
}

function wellFormedXml(text: string): void {
  const parser = new SaxesParser();
  parser.on('error', (e) => {
    throw e;
  });
  parser.write(text).close();
}

describe('the four job types', () => {
  it('ProcessMining: report, map, enriched dataset and model, with figures', async () => {
    const { results, outputs, files } = await runToCompletion({
      jobName: 'Comprehensive', jobType: 'ProcessMining', priority: 'High',
      parameters: {
        datasetId, analysisType: 'comprehensive', includeAnomalyDetection: true, includeProcessVariants: true, generateInsights: true,
        outputFormat: 'detailed_report', performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'],
        qualityChecks: { validateTimestamps: true, checkDuplicates: true, validateActivities: true },
      },
    });
    expect(results.results.primaryOutput).toMatchObject({ type: 'ProcessMiningReport', format: 'html', outputType: 'reports' });
    expect(outputs.map((o: { type: string }) => o.type)).toEqual(expect.arrayContaining(['ProcessMiningReport', 'ProcessMap', 'EnrichedDataset', 'AnalyticsModel', 'AnalysisFigures']));
    const model = outputs.find((o: { type: string }) => o.type === 'AnalyticsModel');
    expect(model.format).toBe('json');
    expect(JSON.parse(files.get('AnalyticsModel')!.toString())).toBeTruthy();
    const enriched = outputs.find((o: { type: string }) => o.type === 'EnrichedDataset');
    expect(enriched.recordCount).toBe(42);
    const csvLines = files.get('EnrichedDataset')!.toString().trim().split(/\r?\n/);
    expect(csvLines).toHaveLength(43);
    expect(csvLines[0]).toContain('variant_id');
    const svg = files.get('ProcessMap')!.toString();
    wellFormedXml(svg);
    expect(svg).toContain('check ticket');
    expect(files.get('ProcessMiningReport')!.toString()).toContain('<svg');
    expect(results.summary).toMatchObject({ recordsProcessed: 42, dataQualityScore: 100 });
    expect(results.summary.outputsGenerated).toBe(outputs.length);
    const figures = results.figures;
    expect(figures.summary).toMatchObject({ caseCount: 6, eventCount: 42, activityCount: 8, resourceCount: 6 });
    expect(JSON.stringify(figures.dfg)).toContain('check ticket');
    expect(results.executionMetrics.peakMemoryBytes).toBeGreaterThan(0);
    expect(results.executionMetrics.totalCpuSeconds).toBeGreaterThan(0);
  });

  it('DataEnrichment: the enriched CSV, registered as a new dataset usable by a later job', async () => {
    const { results, files } = await runToCompletion({
      jobName: 'Enrich', jobType: 'DataEnrichment', parameters: { datasetId },
    });
    const primary = results.results.primaryOutput;
    expect(primary).toMatchObject({ type: 'EnrichedDataset', format: 'csv', recordCount: 42 });
    expect(files.get('EnrichedDataset')!.toString().split('\n')[0]).toContain('case_duration_seconds');
    expect(primary.datasetId).toEqual(expect.any(String));
    const registered = await api(service.url, token, 'GET', `${base}/datasets/${primary.datasetId}`);
    expect(registered.status).toBe(200);
    expect(registered.body).toMatchObject({ rowCount: 42, cases: 6, events: 42 });
    const followUp = await runToCompletion({
      jobName: 'On the enriched data', jobType: 'Analysis', parameters: { datasetId: primary.datasetId, analysisType: 'statistics' },
    });
    expect(followUp.results.summary.recordsProcessed).toBe(42);
  });

  it('ProcessMining discovery: the process model as PNML and BPMN downloads, with the tree in figures', async () => {
    const { results, outputs } = await runToCompletion({
      jobName: 'Discovery', jobType: 'ProcessMining',
      parameters: { datasetId, analysisType: 'discovery', discovery: { algorithm: 'inductive' } },
    });
    const models = outputs.filter((o: { type: string }) => o.type === 'ProcessModel');
    expect(models.map((o: { format: string; outputType: string }) => [o.format, o.outputType]).sort()).toEqual(
      [['bpmn', 'models'], ['pnml', 'models'], ['svg', 'visualizations'], ['svg', 'visualizations']],
    );
    for (const model of models) {
      const res = await fetch(model.downloadUrl, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.headers.get('content-type')).toBe(model.format === 'svg' ? 'image/svg+xml' : 'application/xml; charset=utf-8');
      const text = await res.text();
      wellFormedXml(text);
      if (model.format === 'pnml') expect(text).toContain('<pnml xmlns="http://www.pnml.org/version-2009/grammar/pnml">');
      if (model.format === 'bpmn') expect(text).toContain('<bpmndi:BPMNDiagram');
    }
    expect(results.figures.processModel).toMatchObject({ algorithm: 'inductive', noiseThreshold: 0, sound: true, places: 11, transitions: 12 });
    expect(results.figures.processModel.treeText).toMatch(/^->\( 'register request', \*\(/);
  });

  it('rejects a bad discovery option with a 400 naming the field', async () => {
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'Bad discovery', jobType: 'Analysis',
      parameters: { datasetId, analysisType: 'discovery', discovery: { algorithm: 'inductive-infrequent', noiseThreshold: 2 } },
    });
    expect(submitted.status).toBe(400);
    expect(JSON.stringify(submitted.body)).toContain('parameters.discovery.noiseThreshold');
  });

  it.each(['statistics', 'variants', 'performance', 'bottlenecks', 'conformance', 'resources', 'discovery'])('Analysis (%s)', async (analysisType) => {
    const parameters: Record<string, unknown> = { datasetId, analysisType };
    if (analysisType === 'conformance') parameters.expectedPath = ['register request', 'examine casually', 'check ticket', 'decide', 'pay compensation'];
    const { results, files } = await runToCompletion({ jobName: `Analysis ${analysisType}`, jobType: 'Analysis', parameters });
    expect(results.results.primaryOutput).toMatchObject({ format: 'html' });
    expect(files.get(results.results.primaryOutput.type)!.toString()).toMatch(/<html/i);
    expect(results.figures).toBeTruthy();
  });

  it('Notebook: chained cells, computed on the filtered log', async () => {
    const { results } = await runToCompletion({
      jobName: 'Notebook', jobType: 'Notebook',
      parameters: {
        datasetId,
        cells: [
          { type: 'calc.caseCount', title: 'all cases' },
          { type: 'filter.activityPresent', activity: 'pay compensation' },
          { type: 'calc.caseCount', title: 'paid cases' },
          { type: 'calc.variantTable', top: 5 },
        ],
      },
    });
    expect(results.results.primaryOutput).toMatchObject({ type: 'NotebookResult', format: 'html' });
    const cells = results.figures.cells;
    expect(cells).toHaveLength(4);
    expect(JSON.stringify(cells[0].result ?? cells[0].output)).toContain('6');
    expect(cells[2].input.cases).toBe(3);
  });
});
