import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DatasetFormat, JobExecutionResult, MiningJobType } from '../job-execution.contract.js';
import { executeJob, validateJobParameters } from './index.js';
import { EMPTY_RESULT_WARNING } from './job-context.js';
import { LIFECYCLE_TRANSITIONS_CSV, LIFECYCLE_TRANSITIONS_XES, RUNNING_EXAMPLE_CSV } from '../../../../test/support/fixtures.js';

const DATASET_ID = '880e8400-e29b-41d4-a716-446655440000';
const JOB_TYPES: readonly MiningJobType[] = ['ProcessMining', 'Analysis', 'DataEnrichment', 'Notebook'];
/** The reference API's example window, on the running example's 2010–2011 events. */
const REFERENCE_WINDOW = { startDate: '2024-01-13', endDate: '2024-01-19' };

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mining-lifecycle-jobs-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function run(
  jobType: MiningJobType,
  parameters: Record<string, unknown>,
  dataset: { path: string; format: DatasetFormat } = { path: RUNNING_EXAMPLE_CSV, format: 'csv' },
): Promise<{ result: JobExecutionResult; primary: string }> {
  const outputDir = await mkdtemp(path.join(root, `${jobType}-`));
  const result = await executeJob(
    { jobType, parameters: { datasetId: DATASET_ID, ...parameters }, dataset, outputDir, title: 'Lifecycle' },
    () => undefined,
  );
  const primary = await readFile(path.join(outputDir, result.artifacts.find((a) => a.primary)!.fileName), 'utf8');
  return { result, primary };
}

function requiredParameters(jobType: MiningJobType): Record<string, unknown> {
  if (jobType === 'Analysis') return { analysisType: 'statistics' };
  if (jobType === 'Notebook') return { cells: [{ type: 'calc.durationStatistics' }] };
  return {};
}

describe('parameters.eventClassifier', () => {
  it.each(JOB_TYPES)('is accepted with each classifier on %s jobs and rejected, naming the field, otherwise', (jobType) => {
    for (const eventClassifier of ['activity', 'activity+lifecycle', 'activity-instances']) {
      expect(validateJobParameters(jobType, { datasetId: DATASET_ID, ...requiredParameters(jobType), eventClassifier })).toEqual([]);
    }
    for (const eventClassifier of ['concept:name', 7]) {
      const problems = validateJobParameters(jobType, { datasetId: DATASET_ID, ...requiredParameters(jobType), eventClassifier });
      expect(problems).toEqual([{ field: 'parameters.eventClassifier', message: 'must be one of activity, activity+lifecycle, activity-instances' }]);
    }
  });

  it('names the classifier used, why, and how the transitions paired, in figures and report', async () => {
    const { result, primary } = await run('ProcessMining', { analysisType: 'performance' }, { path: LIFECYCLE_TRANSITIONS_XES, format: 'xes' });
    const figures = result.figures as any;
    expect(figures.eventClassifier).toMatchObject({
      classifier: 'activity-instances',
      basis: 'default',
      eventsBefore: 15,
      eventsAfter: 7,
      lifecycle: { pairedInstances: 4, completesWithoutStart: 3, unmatchedStarts: 1, otherTransitions: 3 },
    });
    expect(figures.summary.eventCount).toBe(7);
    expect(figures.performance.serviceTime.perActivity.map((a: any) => [a.activity, a.count])).toEqual([['B', 1], ['A', 3]]);
    expect(figures.processMap.nodes.find((n: any) => n.activity === 'A').serviceTime).toEqual({ count: 3, meanSeconds: 1900, medianSeconds: 1800 });
    expect(primary).toContain('Event classifier');
    expect(primary).toContain('default: the log has 4 start/complete pairs, each one activity instance');
    expect(primary).toContain('Service time per activity');
    expect(result.warnings.map((w) => w.type)).not.toContain(EMPTY_RESULT_WARNING);
  });
});

describe('qualityChecks.checkDuplicates', () => {
  it('removes exact repeats by default, counted in duplicatesRemoved', async () => {
    const { result } = await run('Analysis', { analysisType: 'statistics', eventClassifier: 'activity' }, { path: LIFECYCLE_TRANSITIONS_CSV, format: 'csv' });
    expect(result.dataValidation).toEqual({ totalRecords: 16, validRecords: 15, duplicatesRemoved: 1, invalidRecords: 0 });
    expect((result.figures as any).summary.eventCount).toBe(15);
    expect((result.figures as any).quality.duplicates).toEqual({ checkDuplicates: true, exactRepeats: 1, removed: 1 });
  });

  it('keeps them with checkDuplicates: false, as pm4py does', async () => {
    const { result } = await run(
      'Analysis',
      { analysisType: 'statistics', eventClassifier: 'activity', qualityChecks: { checkDuplicates: false } },
      { path: LIFECYCLE_TRANSITIONS_CSV, format: 'csv' },
    );
    expect(result.dataValidation).toEqual({ totalRecords: 16, validRecords: 16, duplicatesRemoved: 0, invalidRecords: 0 });
    expect(result.recordsProcessed).toBe(16);
    const figures = result.figures as any;
    expect(figures.summary.eventCount).toBe(16);
    expect(figures.activityStatistics.activities.find((a: any) => a.activity === 'C').eventFrequency).toBe(3);
    expect(figures.quality.duplicates).toEqual({ checkDuplicates: false, exactRepeats: 1, removed: 0 });
  });
});

describe('a job whose filters leave no events', () => {
  it('completes with a warning saying so, null figures, and "–" in the report (ProcessMining)', async () => {
    const { result, primary } = await run('ProcessMining', { analysisType: 'comprehensive', timeWindow: REFERENCE_WINDOW });
    const warning = result.warnings.find((w) => w.type === EMPTY_RESULT_WARNING)!;
    expect(warning.message).toBe(
      'No events left after filtering: the time window 2024-01-13T00:00:00.000Z – 2024-01-19T23:59:59.999Z (mode events) keeps none of the 42 events of 6 cases; the figures are empty (null)',
    );
    expect(warning.count).toBe(42);
    const figures = result.figures as any;
    expect(figures.quality.warnings).toContainEqual(warning);
    expect(figures.summary).toMatchObject({ caseCount: 0, eventCount: 0, meanEventsPerCase: null, firstTimestamp: null });
    expect(figures.rework.reworkCasePercent).toBeNull();
    expect(figures.performance.cycleTime).toEqual({
      basis: 'completion', caseCount: 0, meanSeconds: null, medianSeconds: null, p90Seconds: null, minSeconds: null, maxSeconds: null,
    });
    expect(primary).toContain(warning.message);
    const cycleTime = primary.slice(primary.indexOf('<h3>Cycle time</h3>'), primary.indexOf('Basis:'));
    expect(cycleTime).toContain('–');
    expect(cycleTime).not.toContain('0 s');
  });

  it('says so when a notebook filter cell leaves no events', async () => {
    const { result, primary } = await run('Notebook', {
      cells: [{ type: 'filter.activityPresent', activity: 'no such activity' }, { type: 'calc.durationStatistics' }],
    });
    const warning = result.warnings.find((w) => w.type === EMPTY_RESULT_WARNING)!;
    expect(warning).toEqual({
      type: EMPTY_RESULT_WARNING,
      message: "No events left after cell 1 (filter.activityPresent): it keeps none of its 42 input events; the later cells' figures are empty (null)",
      count: 42,
    });
    expect(primary).toContain(warning.message.replace("'", '&#39;'));
  });

  it('says so when no event is an activity instance', async () => {
    const onlyStarts = path.join(root, 'only-starts.csv');
    await writeFile(onlyStarts, 'case,activity,lifecycle,timestamp\n1,A,start,2024-01-01T10:00:00Z\n1,B,schedule,2024-01-01T11:00:00Z\n');
    const { result } = await run('Analysis', { analysisType: 'statistics', eventClassifier: 'activity-instances' }, { path: onlyStarts, format: 'csv' });
    expect(result.warnings.find((w) => w.type === EMPTY_RESULT_WARNING)).toEqual({
      type: EMPTY_RESULT_WARNING,
      message: 'No events left after classification: none of the 2 events is an activity instance under activity-instances (no completions); the figures are empty (null)',
      count: 2,
    });
    expect((result.figures as any).eventClassifier.lifecycle).toMatchObject({ unmatchedStarts: 1, otherTransitions: 1 });
  });

  it.each(['Analysis', 'DataEnrichment', 'Notebook'] as const)('completes with the warning on %s jobs', async (jobType) => {
    const { result, primary } = await run(jobType, { ...requiredParameters(jobType), timeWindow: REFERENCE_WINDOW });
    const warning = result.warnings.find((w) => w.type === EMPTY_RESULT_WARNING);
    expect(warning?.message).toMatch(/^No events left after filtering/);
    if (jobType === 'Analysis') expect((result.figures as any).timeSpan.spanSeconds).toBeNull();
    if (jobType !== 'DataEnrichment') expect(primary).toContain(warning!.message);
  });
});
