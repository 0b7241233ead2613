import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { ingestEventLog } from '../ingest/index.js';
import { JOB_STAGES, type JobExecutionRequest, type JobExecutionResult, type MiningJobType, type ProgressReport } from '../job-execution.contract.js';
import { RUNNING_EXAMPLE_FACTS } from '../testing/running-example-facts.js';
import { executeJob } from './index.js';
import { RUNNING_EXAMPLE_CSV } from '../../../../test/support/fixtures.js';

const DATASET_ID = '880e8400-e29b-41d4-a716-446655440000';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mining-jobs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(
  jobType: MiningJobType,
  parameters: Record<string, unknown>,
): Promise<{ result: JobExecutionResult; outputDir: string; progress: ProgressReport[] }> {
  const outputDir = await mkdtemp(path.join(root, `${jobType}-`));
  const request: JobExecutionRequest = {
    jobType,
    parameters: { datasetId: DATASET_ID, ...parameters },
    dataset: { path: RUNNING_EXAMPLE_CSV, format: 'csv' },
    outputDir,
    title: 'Running Example',
  };
  const progress: ProgressReport[] = [];
  const result = await executeJob(request, (p) => progress.push(p));
  return { result, outputDir, progress };
}

function expectOrderlyProgress(progress: readonly ProgressReport[]): void {
  expect(progress.length).toBeGreaterThan(0);
  for (let i = 1; i < progress.length; i++) {
    expect(progress[i]!.percentage).toBeGreaterThanOrEqual(progress[i - 1]!.percentage);
    expect(JOB_STAGES.indexOf(progress[i]!.currentStage)).toBeGreaterThanOrEqual(JOB_STAGES.indexOf(progress[i - 1]!.currentStage));
  }
  const stagesSeen = [...new Set(progress.map((p) => p.currentStage))];
  expect(stagesSeen).toEqual([...JOB_STAGES]);
  expect(progress[progress.length - 1]!.percentage).toBe(100);
  expect(progress[progress.length - 1]!.recordsProcessed).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
  expect(progress[progress.length - 1]!.totalRecords).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
}

function expectOnePrimary(result: JobExecutionResult): void {
  expect(result.artifacts.filter((a) => a.primary === true)).toHaveLength(1);
}

describe('ProcessMining comprehensive on the running example', () => {
  let outcome: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    outcome = await run('ProcessMining', { analysisType: 'comprehensive', includeAnomalyDetection: true, outputFormat: 'detailed_report' });
  });

  it('writes report, map, process model, enriched dataset and prediction model, with the report as primary output', async () => {
    const { result, outputDir } = outcome;
    expectOnePrimary(result);
    expect(result.artifacts.map((a) => a.type).sort()).toEqual(['AnalyticsModel', 'EnrichedDataset', 'ProcessMap', 'ProcessMiningReport', ...Array(4).fill('ProcessModel')].sort());
    expect(result.artifacts.find((a) => a.primary)!.type).toBe('ProcessMiningReport');
    expect((await readdir(outputDir)).sort()).toEqual(result.artifacts.map((a) => a.fileName).sort());
    expect(result.artifacts.some((a) => a.fileName.endsWith('figures.json'))).toBe(false);
  });

  it('reports the known facts of the running example in figures', () => {
    const figures = outcome.result.figures as any;
    expect(figures.summary.caseCount).toBe(RUNNING_EXAMPLE_FACTS.caseCount);
    expect(figures.summary.eventCount).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    expect(figures.summary.activityCount).toBe(RUNNING_EXAMPLE_FACTS.activityCount);
    expect(figures.variants.variantCount).toBe(RUNNING_EXAMPLE_FACTS.variantCount);
    expect(figures.dfg.edges[0]).toMatchObject({ source: 'check ticket', target: 'decide', count: 6 });
    const perActivity = Object.fromEntries(figures.activityStatistics.activities.map((a: any) => [a.activity, a.eventFrequency]));
    expect(perActivity).toEqual(RUNNING_EXAMPLE_FACTS.eventsPerActivity);
    expect(figures.performance.cycleTime.caseCount).toBe(RUNNING_EXAMPLE_FACTS.caseCount);
    expect(figures.anomalies).not.toBeNull();
    expect(Array.isArray(figures.insights)).toBe(true);
    expect(figures.quality.dataValidation).toMatchObject({ totalRecords: RUNNING_EXAMPLE_FACTS.eventCount, validRecords: RUNNING_EXAMPLE_FACTS.eventCount, invalidRecords: 0 });
    expect(outcome.result.recordsProcessed).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    expect(outcome.result.totalRecords).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
  });

  it('writes a well-formed SVG map with one node per kept activity', async () => {
    const svg = await readFile(path.join(outcome.outputDir, 'process-map.svg'), 'utf8');
    expectWellFormedXml(svg);
    const figures = outcome.result.figures as any;
    expect(figures.processMap.nodes).toHaveLength(RUNNING_EXAMPLE_FACTS.activityCount);
    // Graphviz writes one <g class="node"> per node, titled with its DOT name: a0.. for
    // activities, start and end for the artificial circles.
    const nodeTitles = [...svg.matchAll(/<g id="node\d+" class="node">\s*<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(nodeTitles.filter((t) => /^a\d+$/.test(t!))).toHaveLength(RUNNING_EXAMPLE_FACTS.activityCount);
    expect(nodeTitles.sort()).toEqual([...Array.from({ length: RUNNING_EXAMPLE_FACTS.activityCount }, (_, i) => `a${i}`), 'end', 'start'].sort());
    for (const activity of ['register request', 'check ticket', 'decide', 'pay compensation']) expect(svg).toContain(activity);
  });

  it('writes the enriched CSV with 42 rows, XES-style core columns and the added columns', async () => {
    const csv = await readFile(path.join(outcome.outputDir, 'enriched-data.csv'), 'utf8');
    const lines = csv.trimEnd().split('\n');
    expect(lines).toHaveLength(43);
    const header = lines[0]!.split(',');
    expect(header.slice(0, 4)).toEqual(['case:concept:name', 'concept:name', 'time:timestamp', 'org:resource']);
    for (const column of ['case_duration_seconds', 'variant_id', 'rework_flag', 'anomaly_flag', 'seconds_since_previous_event']) {
      expect(header).toContain(column);
    }
    expect(outcome.result.artifacts.find((a) => a.type === 'EnrichedDataset')!.recordCount).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    const reingested = await ingestEventLog({ path: path.join(outcome.outputDir, 'enriched-data.csv'), format: 'csv' });
    expect(reingested.log.eventCount).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    expect(reingested.log.caseCount).toBe(RUNNING_EXAMPLE_FACTS.caseCount);
    const variantColumn = header.indexOf('variant_id');
    expect(new Set(lines.slice(1).map((line) => line.split(',')[variantColumn])).size).toBe(RUNNING_EXAMPLE_FACTS.variantCount);
  });

  it('writes a self-contained HTML report with the map inline and a quality section', async () => {
    const html = await readFile(path.join(outcome.outputDir, 'report.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('id="quality"');
    // Scripts are inline; nothing is loaded from elsewhere.
    expect(html).toContain('<script>');
    expect(html).not.toMatch(/<link|@import|url\(|src=|href=/i);
    expect(html).not.toMatch(/<!DOCTYPE svg/i);
  });

  it('reports monotonic progress through the stages in order', () => {
    expectOrderlyProgress(outcome.progress);
  });
});

describe('DataEnrichment on the running example', () => {
  it('writes the enriched dataset as the primary output, to be registered as a dataset', async () => {
    const { result, outputDir, progress } = await run('DataEnrichment', { enrichments: ['caseDuration', 'variant', 'timeSincePrevious'] });
    expectOnePrimary(result);
    expect(result.artifacts).toHaveLength(1);
    const artifact = result.artifacts[0]!;
    expect(artifact).toMatchObject({ type: 'EnrichedDataset', format: 'csv', primary: true, registerAsDataset: true, recordCount: RUNNING_EXAMPLE_FACTS.eventCount });
    const lines = (await readFile(path.join(outputDir, artifact.fileName), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(43);
    const header = lines[0]!.split(',');
    expect(header.slice(-3)).toEqual(['case_duration_seconds', 'variant_id', 'seconds_since_previous_event']);
    expect(header).not.toContain('rework_flag');
    // The first event of each case has no previous event: an empty cell, 6 of them.
    expect(lines.slice(1).filter((line) => line.endsWith(',')).length).toBe(6);
    expectOrderlyProgress(progress);
  });
});

describe('ProcessMining discovery on the running example', () => {
  const RUNNING_EXAMPLE_TREE =
    "->( 'register request', *( ->( +( 'check ticket', X( 'examine casually', 'examine thoroughly' ) ), 'decide' ), 'reinitiate request' ), X( 'pay compensation', 'reject request' ) )";

  it('writes the model as PNML and BPMN with their pictures, and carries the tree in figures', async () => {
    const { result, outputDir, progress } = await run('ProcessMining', { analysisType: 'discovery' });
    expectOnePrimary(result);
    const models = result.artifacts.filter((a) => a.type === 'ProcessModel');
    expect(models.map((a) => [a.fileName, a.format, a.outputType])).toEqual([
      ['process-model.pnml', 'pnml', 'models'],
      ['process-model.bpmn', 'bpmn', 'models'],
      ['process-model-petri-net.svg', 'svg', 'visualizations'],
      ['process-model-bpmn.svg', 'svg', 'visualizations'],
    ]);
    expect((await readdir(outputDir)).sort()).toEqual(result.artifacts.map((a) => a.fileName).sort());
    const roots = await Promise.all(models.map(async (a) => xmlRoot(await readFile(path.join(outputDir, a.fileName), 'utf8'))));
    expect(roots).toEqual(['pnml', 'definitions', 'svg', 'svg']);
    const figures = result.figures as any;
    expect(figures.processModel).toMatchObject({
      algorithm: 'inductive',
      noiseThreshold: 0,
      treeText: RUNNING_EXAMPLE_TREE,
      places: 11,
      transitions: 12,
      silentTransitions: 4,
      sound: true,
      casesMined: RUNNING_EXAMPLE_FACTS.caseCount,
    });
    expect(figures.processModel.tree.operator).toBe('sequence');
    expect(models[0]!.metrics).toMatchObject({ places: 11, transitions: 12, silentTransitions: 4 });
    const html = await readFile(path.join(outputDir, 'report.html'), 'utf8');
    expect(html).toContain('id="process-model"');
    expect(html).toContain('id="petri_net"');
    expect(html).toContain('id="bpmn"');
    expectOrderlyProgress(progress);
  });

  it('uses IMf with the requested noise threshold and names it in figures', async () => {
    const { result } = await run('ProcessMining', { analysisType: 'discovery', discovery: { algorithm: 'inductive-infrequent', noiseThreshold: 0.3 } });
    expect((result.figures as any).processModel).toMatchObject({ algorithm: 'inductive-infrequent', noiseThreshold: 0.3, sound: true });
  });

  it('Analysis discovery: report with the model, figures and the model files', async () => {
    const { result, outputDir } = await run('Analysis', { analysisType: 'discovery' });
    expect(result.artifacts.find((a) => a.primary)).toMatchObject({ type: 'AnalysisResult', format: 'html' });
    expect(result.artifacts.filter((a) => a.type === 'ProcessModel')).toHaveLength(4);
    expect((result.figures as any).processModel.treeText).toBe(RUNNING_EXAMPLE_TREE);
    const html = await readFile(path.join(outputDir, 'analysis-report.html'), 'utf8');
    expect(html).toContain('Process tree');
    expect(html).toContain('register request');
  });
});

describe('Analysis on the running example', () => {
  it('statistics: summary, activity statistics, time span and events per activity', async () => {
    const { result, outputDir, progress } = await run('Analysis', { analysisType: 'statistics' });
    expectOnePrimary(result);
    expect(result.artifacts).toHaveLength(1);
    expect(result.artifacts[0]).toMatchObject({ type: 'AnalysisResult', format: 'html', primary: true });
    const figures = result.figures as any;
    expect(figures.summary).toMatchObject({ caseCount: RUNNING_EXAMPLE_FACTS.caseCount, eventCount: RUNNING_EXAMPLE_FACTS.eventCount, activityCount: RUNNING_EXAMPLE_FACTS.activityCount });
    expect(figures.eventsPerActivity.slice(0, 2)).toEqual([
      { activity: 'check ticket', count: 9 },
      { activity: 'decide', count: 9 },
    ]);
    expect(figures.timeSpan.spanSeconds).toBeGreaterThan(0);
    expect(await readFile(path.join(outputDir, result.artifacts[0]!.fileName), 'utf8')).toContain('Events per activity');
    expect(await readdir(outputDir)).toEqual([result.artifacts[0]!.fileName]);
    expectOrderlyProgress(progress);
  });

  it('variants: six variants of one case each', async () => {
    const figures = (await run('Analysis', { analysisType: 'variants' })).result.figures as any;
    expect(figures.variants.variantCount).toBe(RUNNING_EXAMPLE_FACTS.variantCount);
    expect(figures.variants.variants.every((v: any) => v.caseCount === 1)).toBe(true);
  });

  it('conformance: per-case fitness against an expected path and allowed end activities', async () => {
    const expectedPath = ['register request', 'examine casually', 'check ticket', 'decide', 'pay compensation'];
    const figures = (await run('Analysis', { analysisType: 'conformance', expectedPath, allowedEndActivities: ['pay compensation'] })).result
      .figures as any;
    const c = figures.conformance;
    // Hand-checked: case 6 follows the path exactly; case 2 swaps check ticket and examine casually
    // (one skipped step + one event off the path = 2 deviations, fitness 1 - 2/10 = 0.8).
    expect(c.caseCount).toBe(6);
    expect(c.casesWithInvalidEnd).toBe(3);
    expect(c.variants).toHaveLength(6);
    for (const v of c.variants) {
      expect(v.fitness).toBeGreaterThan(0);
      expect(v.fitness).toBeLessThanOrEqual(1);
    }
    expect(c.conformingCaseCount).toBe(c.variants.filter((v: any) => v.conforming).reduce((n: number, v: any) => n + v.caseCount, 0));
    expect(c.meanViolationsPerCase).toBeGreaterThan(0);
    const exact = c.variants.find((v: any) => v.activities.join('|') === expectedPath.join('|'));
    expect(exact).toMatchObject({ conforming: true, fitness: 1, violationCount: 0 });
    const swapped = c.variants.find((v: any) => v.activities.join('|') === 'register request|check ticket|examine casually|decide|pay compensation');
    expect(swapped).toMatchObject({ conforming: false, fitness: 0.8, violationCount: 2 });
    expect(c.conformingCaseCount).toBe(1);
  });

  it('bottlenecks, performance and resources produce their figures', async () => {
    const bottlenecks = (await run('Analysis', { analysisType: 'bottlenecks' })).result.figures as any;
    expect(bottlenecks.bottlenecks.slowestTransitions.length).toBeGreaterThan(0);
    const perf = (await run('Analysis', { analysisType: 'performance' })).result.figures as any;
    expect(perf.performance.cycleTime.caseCount).toBe(RUNNING_EXAMPLE_FACTS.caseCount);
    const resources = (await run('Analysis', { analysisType: 'resources' })).result.figures as any;
    expect(resources.resources.resources).toHaveLength(RUNNING_EXAMPLE_FACTS.resourceCount);
  });
});

describe('Notebook on the running example', () => {
  it('chains cells: each cell sees the log left by the filters before it', async () => {
    const { result, outputDir, progress } = await run('Notebook', {
      cells: [
        { type: 'calc.caseCount' },
        { type: 'filter.activityPresent', activity: 'reinitiate request' },
        { type: 'calc.caseCount' },
        { type: 'filter.attribute', attribute: 'activity', values: ['pay compensation'], mode: 'include', scope: 'cases' },
        { type: 'calc.caseCount' },
        { type: 'calc.variantTable', top: 3 },
        { type: 'calc.dfg' },
      ],
    });
    expectOnePrimary(result);
    expect(result.artifacts[0]).toMatchObject({ type: 'NotebookResult', format: 'html', primary: true });
    const cells = (result.figures as any).cells;
    expect(cells).toHaveLength(7);
    expect(cells[0].result).toEqual({ caseCount: RUNNING_EXAMPLE_FACTS.caseCount, eventCount: RUNNING_EXAMPLE_FACTS.eventCount });
    // Hand count: cases 3 (9 events) and 5 (13 events) are reinitiated; of those only case 3 ends paid.
    expect(cells[1].output).toEqual({ cases: 2, events: 22 });
    expect(cells[2].input).toEqual({ cases: 2, events: 22 });
    expect(cells[2].result).toEqual({ caseCount: 2, eventCount: 22 });
    expect(cells[4].result).toEqual({ caseCount: 1, eventCount: 9 });
    expect(cells[5].input.cases).toBe(1);
    const html = await readFile(path.join(outputDir, result.artifacts[0]!.fileName), 'utf8');
    expect(html).toContain('Cell 7');
    expectOrderlyProgress(progress);
  });

  it('excludes events by resource and filters by variant', async () => {
    const { result } = await run('Notebook', {
      cells: [
        { type: 'filter.attribute', attribute: 'resource', values: ['Pete'], mode: 'exclude', scope: 'events' },
        { type: 'calc.caseCount' },
        { type: 'filter.variant', top: 1 },
        { type: 'calc.caseCount' },
        { type: 'filter.activityAbsent', activity: 'decide' },
        { type: 'calc.durationStatistics' },
      ],
    });
    const cells = (result.figures as any).cells;
    expect(cells[1].result.eventCount).toBe(RUNNING_EXAMPLE_FACTS.eventCount - cells[0].result.eventsRemoved);
    expect(cells[0].result.eventsRemoved).toBeGreaterThan(0);
    expect(cells[3].result.caseCount).toBe(1);
    expect(cells[5].result.caseCount).toBe(0);
  });
});

/** Parses the document with a conforming XML parser (saxes): any well-formedness error throws. */
/** The root element's local name of a well-formed document (throws when it is not well-formed). */
function xmlRoot(xml: string): string | null {
  const parser = new SaxesParser({ xmlns: true });
  let root: string | null = null;
  let depth = 0;
  parser.on('opentag', (tag) => {
    if (depth === 0) root = tag.local;
    depth++;
  });
  parser.on('closetag', () => void depth--);
  parser.write(xml).close();
  expect(depth).toBe(0);
  return root;
}

function expectWellFormedXml(xml: string): void {
  expect(xmlRoot(xml)).toBe('svg');
}
