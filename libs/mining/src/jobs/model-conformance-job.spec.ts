/**
 * Conformance jobs against a process model, run by the engine on the running example: an
 * inline BPMN model, an uploaded PNML model (as the node hands it over), the expected-path
 * mode kept, and the submit-time problems naming their field.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RUNNING_EXAMPLE_BPMN, RUNNING_EXAMPLE_CSV, RUNNING_EXAMPLE_PNML } from '../../../../test/support/fixtures.js';
import type { JobExecutionRequest, MiningJobType, ProcessModelFile } from '../job-execution.contract.js';
import { executeJob, validateJobParameters } from './index.js';

const DATASET_ID = '880e8400-e29b-41d4-a716-446655440000';
const MODEL_ID = '990e8400-e29b-41d4-a716-446655440000';
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'conformance-jobs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(jobType: MiningJobType, parameters: Record<string, unknown>, processModel?: ProcessModelFile) {
  const outputDir = await mkdtemp(path.join(root, `${jobType}-`));
  const request: JobExecutionRequest = {
    jobType, parameters: { datasetId: DATASET_ID, ...parameters }, dataset: { path: RUNNING_EXAMPLE_CSV, format: 'csv' }, outputDir, title: 'Running Example',
    ...(processModel && { processModel }),
  };
  const result = await executeJob(request, () => undefined);
  const primary = result.artifacts.find((a) => a.primary)!;
  return { figures: result.figures as any, html: await readFile(path.join(outputDir, primary.fileName), 'utf8') };
}

describe('conformance jobs against a process model', () => {
  it('Analysis with an inline BPMN model: the running example fits its model', async () => {
    const content = await readFile(RUNNING_EXAMPLE_BPMN, 'utf8');
    const { figures, html } = await run('Analysis', { analysisType: 'conformance', model: { format: 'bpmn', content } });
    expect(figures.conformance).toMatchObject({
      mode: 'model',
      model: { source: 'inline', format: 'bpmn', places: 9, transitions: 10 },
      caseCount: 6,
      tokenReplay: { logFitness: 1, averageTraceFitness: 1, fittingTraces: 6, fittingTracePercent: 100, missing: 0, remaining: 0 },
      alignments: { fitness: 1, averageTraceFitness: 1, computedTraces: 6, skippedTraces: 0, reason: null },
    });
    // Every case fits, so consumed = produced (each case: 1 initial + one per firing = final + one per firing).
    expect(figures.conformance.tokenReplay.consumed).toBe(figures.conformance.tokenReplay.produced);
    expect(figures.conformance.precision).toBeGreaterThan(0);
    expect(html).toContain('Token replay log fitness');
  });

  it('ProcessMining with an uploaded PNML model (modelId) reports its deviations', async () => {
    // The model without "reinitiate request": cases 3 and 5 repeat the examination and cannot fit.
    const pnml = (await readFile(RUNNING_EXAMPLE_PNML, 'utf8'))
      .replace('<arc id="a17" source="decided" target="reinitiate" />', '')
      .replace('<arc id="a18" source="reinitiate" target="loop" />', '')
      .replace('<transition id="reinitiate"><name><text>reinitiate request</text></name></transition>', '');
    const file = path.join(root, 'without-reinitiate.pnml');
    await writeFile(file, pnml);
    const { figures, html } = await run(
      'ProcessMining', { analysisType: 'conformance', modelId: MODEL_ID }, { path: file, format: 'pnml', modelId: MODEL_ID, name: 'no rework' },
    );
    const c = figures.conformance;
    expect(c.model).toEqual({ source: 'upload', format: 'pnml', modelId: MODEL_ID, name: 'no rework', places: 9, transitions: 9 });
    expect(c.tokenReplay.fittingTraces).toBe(4);
    expect(c.tokenReplay.logFitness).toBeLessThan(1);
    expect(c.alignments.fitness).toBeLessThan(1);
    expect(c.deviations.deviatingCases).toBe(2);
    expect(c.deviations.cases.flatMap((v: any) => v.exampleCaseIds).sort()).toEqual(['3', '5']);
    // Case 3 loops once, case 5 twice: each repetition (reinitiate, an examination, check ticket,
    // decide) is four log moves: 4 + 8 = 12, no model moves. Which examination is kept is a tie.
    const byActivity = new Map(c.deviations.perActivity.map((d: any) => [d.activity, d]));
    expect(c.deviations.perActivity.reduce((sum: number, d: any) => sum + d.logMoves, 0)).toBe(12);
    expect(c.deviations.perActivity.every((d: any) => d.modelMoves === 0)).toBe(true);
    expect(byActivity.get('check ticket')).toMatchObject({ logMoves: 3 });
    expect(byActivity.get('decide')).toMatchObject({ logMoves: 3 });
    expect(byActivity.get('reinitiate request')).toMatchObject({ inModel: false, logMoves: 3, eventsNotInModel: 3 });
    expect(html).toContain('Deviating variants');
  });

  it('keeps the expected-path mode, now marked as such', async () => {
    const { figures } = await run('Analysis', { analysisType: 'conformance', expectedPath: ['register request', 'decide'] });
    expect(figures.conformance).toMatchObject({ mode: 'expectedPath', basis: 'explicit' });
  });

  it('checks a log given neither model nor path against the model discovered from it: IM fits its own log (fitness 1.0)', async () => {
    const own = await run('ProcessMining', { analysisType: 'conformance' });
    expect(own.figures.conformance).toMatchObject({
      mode: 'model',
      model: { source: 'discovered', format: null, name: 'Inductive Miner' },
      caseCount: 6,
      tokenReplay: { logFitness: 1, averageTraceFitness: 1, fittingTraces: 6, fittingTracePercent: 100, missing: 0, remaining: 0 },
      alignments: { fitness: 1, averageTraceFitness: 1, computedTraces: 6, skippedTraces: 0, reason: null },
      deviations: { deviatingVariants: 0, deviatingCases: 0 },
    });
    expect(own.figures.conformance.precision).toBeGreaterThan(0);
    expect(own.figures.conformance.precision).toBeLessThanOrEqual(1);
    // The job's discovery options choose the miner of the model it checks against.
    const filtered = await run('Analysis', { analysisType: 'conformance', discovery: { algorithm: 'inductive-infrequent', noiseThreshold: 0.9 } });
    expect(filtered.figures.conformance.model).toMatchObject({ source: 'discovered', name: 'Inductive Miner – infrequent (0.9)' });
  });

  it('names the field of every problem with model and modelId at submit', async () => {
    const bpmn = await readFile(RUNNING_EXAMPLE_BPMN, 'utf8');
    const problems = (parameters: Record<string, unknown>) => validateJobParameters('Analysis', { datasetId: DATASET_ID, analysisType: 'conformance', ...parameters });
    expect(problems({ model: { format: 'bpmn', content: bpmn } })).toEqual([]);
    expect(problems({ model: { format: 'yawl', content: bpmn } })).toEqual([{ field: 'parameters.model.format', message: 'must be one of pnml, bpmn' }]);
    expect(problems({ model: { format: 'bpmn' } })).toEqual([{ field: 'parameters.model.content', message: expect.stringMatching(/is required/) }]);
    expect(problems({ model: { format: 'bpmn', content: bpmn.replace('parallelGateway id="and_join"', 'inclusiveGateway id="and_join"') } }))
      .toEqual([{ field: 'parameters.model.content', message: expect.stringMatching(/unsupported BPMN element <inclusiveGateway id="and_join">/) }]);
    expect(problems({ model: { format: 'pnml', content: '<pnml>' } })).toEqual([{ field: 'parameters.model.content', message: expect.stringMatching(/not well-formed XML/) }]);
    expect(problems({ model: { format: 'bpmn', content: bpmn, version: 2 } })).toEqual([{ field: 'parameters.model.version', message: expect.any(String) }]);
    expect(problems({ modelId: 'm1' })).toEqual([{ field: 'parameters.modelId', message: expect.stringMatching(/GUID/) }]);
    expect(problems({ modelId: MODEL_ID, model: { format: 'bpmn', content: bpmn } })).toEqual([{ field: 'parameters.modelId', message: expect.stringMatching(/not both/) }]);
    expect(problems({ modelId: MODEL_ID, expectedPath: ['decide'] })).toEqual([{ field: 'parameters.modelId', message: expect.stringMatching(/expected-path mode/) }]);
    expect(validateJobParameters('Analysis', { datasetId: DATASET_ID, analysisType: 'variants', modelId: MODEL_ID }))
      .toEqual([{ field: 'parameters.modelId', message: 'only applies when analysisType is conformance' }]);
  });
});
