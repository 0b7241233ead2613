import { describe, expect, it } from '@jest/globals';
import { validateJobParameters } from './index.js';

const datasetId = '880e8400-e29b-41d4-a716-446655440000';
const fields = (problems: readonly { field: string }[]): string[] => problems.map((p) => p.field);

describe('validateJobParameters', () => {
  it('accepts the reference API example for ProcessMining', () => {
    expect(
      validateJobParameters('ProcessMining', {
        datasetId,
        analysisType: 'comprehensive',
        timeWindow: { startDate: '2024-01-01', endDate: '2024-01-31' },
        includeAnomalyDetection: true,
        includeProcessVariants: true,
        generateInsights: true,
        outputFormat: 'detailed_report',
        performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'],
        qualityChecks: { validateTimestamps: true, checkDuplicates: true, validateActivities: true },
        retryFailedRecords: true,
        increaseMemoryLimit: true,
      }),
    ).toEqual([]);
  });

  it('requires a GUID datasetId on every job type', () => {
    for (const jobType of ['ProcessMining', 'DataEnrichment', 'Analysis', 'Notebook'] as const) {
      expect(fields(validateJobParameters(jobType, {}))).toContain('parameters.datasetId');
      expect(fields(validateJobParameters(jobType, { datasetId: 'not-a-guid' }))).toContain('parameters.datasetId');
    }
  });

  it('names unknown keys, including columnMapping', () => {
    const problems = validateJobParameters('ProcessMining', { datasetId, analysisTyp: 'discovery', columnMapping: { caseId: 'x' } });
    expect(fields(problems)).toEqual(['parameters.analysisTyp', 'parameters.columnMapping']);
    expect(fields(validateJobParameters('DataEnrichment', { datasetId, analysisType: 'statistics' }))).toEqual(['parameters.analysisType']);
  });

  it('rejects an analysisType the job type does not support', () => {
    expect(fields(validateJobParameters('ProcessMining', { datasetId, analysisType: 'statistics' }))).toEqual(['parameters.analysisType']);
    expect(fields(validateJobParameters('Analysis', { datasetId, analysisType: 'comprehensive' }))).toEqual(['parameters.analysisType']);
    expect(fields(validateJobParameters('Analysis', { datasetId }))).toEqual(['parameters.analysisType']);
    expect(validateJobParameters('Analysis', { datasetId, analysisType: 'conformance', expectedPath: ['a', 'b'] })).toEqual([]);
    expect(fields(validateJobParameters('Analysis', { datasetId, analysisType: 'variants', expectedPath: ['a'] }))).toEqual(['parameters.expectedPath']);
  });

  it('names nested fields of timeWindow, performanceMetrics, qualityChecks and enrichments', () => {
    const problems = validateJobParameters('ProcessMining', {
      datasetId,
      timeWindow: { startDate: 'yesterday', endDate: '2024-01-07', mode: 'overlapping' },
      performanceMetrics: ['cycle_time', 'speed'],
      qualityChecks: { validateTimestamps: 'yes', spellCheck: true },
      outputFormat: 'pdf',
    });
    expect(fields(problems).sort()).toEqual(
      [
        'parameters.timeWindow.startDate',
        'parameters.timeWindow.mode',
        'parameters.performanceMetrics[1]',
        'parameters.qualityChecks.validateTimestamps',
        'parameters.qualityChecks.spellCheck',
        'parameters.outputFormat',
      ].sort(),
    );
    expect(fields(validateJobParameters('DataEnrichment', { datasetId, enrichments: ['variant', 'colour'] }))).toEqual(['parameters.enrichments[1]']);
  });

  it('validates notebook cells by index', () => {
    expect(fields(validateJobParameters('Notebook', { datasetId }))).toEqual(['parameters.cells']);
    const problems = validateJobParameters('Notebook', {
      datasetId,
      cells: [
        { type: 'calc.caseCount' },
        { type: 'filter.attribute', attribute: 'resource', values: 'Pete' },
        { type: 'eval', code: 'process.exit()' },
        { type: 'filter.variant' },
        { type: 'filter.timeWindow', startDate: '2011-01-01', mode: 'sometimes' },
        { type: 'calc.variantTable', top: 0, colour: 'red' },
      ],
    });
    expect(fields(problems)).toEqual([
      'parameters.cells[1].values',
      'parameters.cells[2].type',
      'parameters.cells[3]',
      'parameters.cells[4].mode',
      'parameters.cells[5].colour',
      'parameters.cells[5].top',
    ]);
  });

  it('validates the discovery options and where they apply', () => {
    expect(validateJobParameters('ProcessMining', { datasetId, analysisType: 'discovery', discovery: { algorithm: 'inductive-infrequent', noiseThreshold: 0.2 } })).toEqual([]);
    expect(validateJobParameters('ProcessMining', { datasetId, discovery: { noiseThreshold: 0 } })).toEqual([]);
    expect(validateJobParameters('Analysis', { datasetId, analysisType: 'discovery', discovery: { algorithm: 'inductive' } })).toEqual([]);
    const problems = validateJobParameters('ProcessMining', {
      datasetId,
      analysisType: 'performance',
      discovery: { algorithm: 'alpha', noiseThreshold: 1.5, depth: 3 },
    });
    expect(fields(problems).sort()).toEqual(
      ['parameters.discovery', 'parameters.discovery.algorithm', 'parameters.discovery.noiseThreshold', 'parameters.discovery.depth'].sort(),
    );
    expect(fields(validateJobParameters('Analysis', { datasetId, analysisType: 'discovery', discovery: { algorithm: 'inductive', noiseThreshold: 0.2 } }))).toEqual([
      'parameters.discovery.noiseThreshold',
    ]);
    expect(fields(validateJobParameters('Analysis', { datasetId, analysisType: 'discovery', discovery: 'imf' }))).toEqual(['parameters.discovery']);
    expect(fields(validateJobParameters('Analysis', { datasetId, analysisType: 'discovery', discovery: { noiseThreshold: '0.2' } }))).toEqual([
      'parameters.discovery.noiseThreshold',
    ]);
  });
});
