import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { JobExecutionRequest, ProgressReport } from '../job-execution.contract.js';
import { loadModel } from '../prediction/index.js';
import { executeJob, InvalidJobParametersError } from './index.js';
import { RUNNING_EXAMPLE_CSV } from '../../../../test/support/fixtures.js';

const DATASET_ID = '880e8400-e29b-41d4-a716-446655440000';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mining-jobs-edge-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function request(csv: string | null, parameters: Record<string, unknown>): Promise<JobExecutionRequest> {
  const outputDir = await mkdtemp(path.join(root, 'out-'));
  let datasetPath = RUNNING_EXAMPLE_CSV;
  if (csv !== null) {
    datasetPath = path.join(outputDir, '..', `${path.basename(outputDir)}.csv`);
    await writeFile(datasetPath, csv);
  }
  return {
    jobType: 'ProcessMining',
    parameters: { datasetId: DATASET_ID, ...parameters },
    dataset: { path: datasetPath, format: 'csv' },
    outputDir,
    title: 'Edge case',
  };
}

describe('ProcessMining edge cases', () => {
  it('ships the model with its measured holdout accuracy and remaining-time MAE', async () => {
    const req = await request(null, { analysisType: 'performance' });
    const result = await executeJob(req, () => undefined);
    const artifact = result.artifacts.find((a) => a.type === 'AnalyticsModel')!;
    const model = loadModel(await readFile(path.join(req.outputDir, artifact.fileName), 'utf8'));
    expect(artifact.accuracy).toBe(model.metrics.accuracy!);
    expect(artifact.metrics!['meanAbsoluteErrorSeconds']).toBe(model.metrics.remainingTimeMaeSeconds!);
    expect((result.figures as any).model.accuracy).toBe(artifact.accuracy);
    expect(result.artifacts.map((a) => a.type).sort()).toEqual(['AnalyticsModel', 'ProcessMap', 'ProcessMiningReport']);
  });

  it('is null-safe on a one-case log: model without accuracy, all outputs written', async () => {
    const csv = 'case:concept:name,concept:name,time:timestamp\nc1,A,2024-01-01T10:00:00Z\nc1,B,2024-01-01T11:00:00Z\n';
    const req = await request(csv, { analysisType: 'comprehensive' });
    const result = await executeJob(req, () => undefined);
    const model = result.artifacts.find((a) => a.type === 'AnalyticsModel')!;
    expect(model.accuracy).toBeUndefined();
    expect((result.figures as any).model.accuracy).toBeNull();
    expect((result.figures as any).model.note).toMatch(/unavailable/);
    expect(result.artifacts).toHaveLength(8); // report, map, 4 process-model files, enriched data, prediction model
  });

  it('reports rejected rows as processing errors and dirty data in the quality figures', async () => {
    const csv = [
      'case:concept:name,concept:name,time:timestamp',
      'c1,A,2024-01-01T10:00:00Z',
      'c1,B,not a time',
      'c1,B,2024-01-02',
      ',C,2024-01-01T12:00:00Z',
      'c2,A,2024-01-01T10:00:00Z',
      'c2,A,2024-01-01T10:00:00Z',
    ].join('\n');
    const req = await request(csv, { analysisType: 'discovery' });
    const progress: ProgressReport[] = [];
    const result = await executeJob(req, (p) => progress.push(p));
    expect(result.dataValidation).toMatchObject({ totalRecords: 6, validRecords: 3, invalidRecords: 2, duplicatesRemoved: 1 });
    expect(result.processingErrors.map((e) => e.count).reduce((a, b) => a + b, 0)).toBe(2);
    expect(result.processingErrors.every((e) => e.type === 'InvalidRecord')).toBe(true);
    expect(result.warnings.length).toBeGreaterThan(0);
    expect(result.dataQualityScore).toBeLessThan(100);
    expect(progress[progress.length - 1]).toMatchObject({ errorCount: 2, percentage: 100 });
    const html = await readFile(path.join(req.outputDir, 'report.html'), 'utf8');
    expect(html).toContain('Records rejected');
  });

  it('applies the job time window before the analyses', async () => {
    const req = await request(null, { analysisType: 'discovery', timeWindow: { startDate: '2011-01-01', mode: 'contained' } });
    const figures = (await executeJob(req, () => undefined)).figures as any;
    expect(figures.timeWindow).toMatchObject({ mode: 'contained', casesBefore: 6 });
    expect(figures.summary.caseCount).toBe(figures.timeWindow.casesAfter);
    expect(figures.summary.caseCount).toBeLessThan(6);
  });

  it('reports loading progress at least every 10,000 records with an estimated total, then the exact one', async () => {
    const rows = ['case:concept:name,concept:name,time:timestamp,org:resource'];
    for (let i = 0; i < 35_000; i++) {
      rows.push(`case-${Math.floor(i / 7)},Step ${i % 7},${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},user${i % 5}`);
    }
    const req = await request(rows.join('\n') + '\n', { analysisType: 'discovery' });
    const progress: ProgressReport[] = [];
    await executeJob(req, (p) => progress.push(p));
    const loading = progress.filter((p) => p.currentStage === 'Loading');
    for (let i = 1; i < loading.length; i++) {
      expect(loading[i]!.recordsProcessed - loading[i - 1]!.recordsProcessed).toBeLessThanOrEqual(10_000);
    }
    expect(loading.map((p) => p.recordsProcessed)).toEqual(expect.arrayContaining([10_000, 20_000, 30_000]));
    const midway = loading.find((p) => p.recordsProcessed === 20_000)!;
    expect(midway.totalRecordsEstimated).toBe(true);
    expect(midway.totalRecords).toBeGreaterThanOrEqual(20_000);
    expect(midway.percentage).toBeGreaterThan(0);
    expect(midway.percentage).toBeLessThan(50);
    const after = progress.find((p) => p.currentStage === 'Validating')!;
    expect(after).toMatchObject({ totalRecords: 35_000, recordsProcessed: 35_000 });
    expect(after.totalRecordsEstimated).toBeUndefined();
  });

  it('still writes every output when the time window leaves no events', async () => {
    const req = await request(null, { analysisType: 'comprehensive', timeWindow: { startDate: '2030-01-01' } });
    const result = await executeJob(req, () => undefined);
    expect((result.figures as any).summary.caseCount).toBe(0);
    expect(result.artifacts.map((a) => a.type).sort()).toEqual(['AnalyticsModel', 'EnrichedDataset', 'ProcessMap', 'ProcessMiningReport', ...Array(4).fill('ProcessModel')]);
    expect(result.artifacts.find((a) => a.type === 'EnrichedDataset')!.recordCount).toBe(0);
    // No events: the model is the empty process (τ), still a sound workflow net.
    expect((result.figures as any).processModel).toMatchObject({ treeText: 'tau', sound: true, casesMined: 0 });
  });

  it('refuses invalid parameters before reading the dataset', async () => {
    const req = await request(null, { analysisType: 'statistics' });
    await expect(executeJob(req, () => undefined)).rejects.toBeInstanceOf(InvalidJobParametersError);
  });
});
