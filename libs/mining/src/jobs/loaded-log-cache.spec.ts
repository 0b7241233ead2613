import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp, readFile, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { JobExecutionRequest, ProgressReport } from '../job-execution.contract.js';
import { RUNNING_EXAMPLE_FACTS } from '../testing/running-example-facts.js';
import { executeJob } from './index.js';
import { LoadedLogCache, loadEventLog } from './load-log.js';
import { ProgressTracker } from './progress.js';
import { RUNNING_EXAMPLE_CSV } from '../../../../test/support/fixtures.js';

const DATASET_ID = '880e8400-e29b-41d4-a716-446655440000';

let root: string;
let first: string;
let second: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'loaded-logs-'));
  first = path.join(root, 'first.csv');
  second = path.join(root, 'second.csv');
  await copyFile(RUNNING_EXAMPLE_CSV, first);
  await copyFile(RUNNING_EXAMPLE_CSV, second);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function request(file: string, outputDir = root): JobExecutionRequest {
  return {
    jobType: 'Analysis', parameters: { datasetId: DATASET_ID, analysisType: 'variants' },
    dataset: { path: file, format: 'csv' }, outputDir, title: 'Running Example',
  };
}

const load = (cache: LoadedLogCache, file: string, reports: ProgressReport[] = []) =>
  loadEventLog(request(file), new ProgressTracker((p) => reports.push(p)), cache);

describe('LoadedLogCache', () => {
  it('hands a later job on the same file the log loaded before, with the same progress', async () => {
    const cache = new LoadedLogCache(1000);
    const loadedReports: ProgressReport[] = [];
    const cachedReports: ProgressReport[] = [];
    const loaded = await load(cache, first, loadedReports);
    const again = await load(cache, first, cachedReports);
    expect(again).toBe(loaded);
    expect(cache.heldEvents).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    // A cached log still passes through Loading and Validating, with the exact totals.
    expect(cachedReports.map((r) => r.currentStage)).toEqual(['Loading', 'Validating']);
    expect(cachedReports.at(-1)!.recordsProcessed).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    expect(cachedReports.at(-1)!.totalRecords).toBe(loadedReports.at(-1)!.totalRecords);
  });

  it('loads the file again once it changed, and keeps other ingest settings apart', async () => {
    const cache = new LoadedLogCache(1000);
    const loaded = await load(cache, first);
    const later = new Date(Date.now() + 60_000);
    await utimes(first, later, later);
    const reloaded = await load(cache, first);
    expect(reloaded).not.toBe(loaded);
    expect(reloaded.log.eventCount).toBe(loaded.log.eventCount);
    const mapped = await loadEventLog(
      { ...request(first), dataset: { path: first, format: 'csv', columns: reloaded.quality.columnMapping } },
      new ProgressTracker(() => undefined), cache,
    );
    expect(mapped).not.toBe(reloaded);
  });

  it('holds at most maxEvents events, dropping the least recently used log', async () => {
    const cache = new LoadedLogCache(RUNNING_EXAMPLE_FACTS.eventCount + 1);
    const a = await load(cache, first);
    const b = await load(cache, second);
    expect(cache.heldEvents).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    expect(await load(cache, second)).toBe(b);
    expect(await load(cache, first)).not.toBe(a);
  });

  it('keeps nothing with maxEvents 0, and nothing bigger than maxEvents', async () => {
    const none = new LoadedLogCache(0);
    expect(await load(none, first)).not.toBe(await load(none, first));
    const small = new LoadedLogCache(RUNNING_EXAMPLE_FACTS.eventCount - 1);
    expect(await load(small, first)).not.toBe(await load(small, first));
    expect(small.heldEvents).toBe(0);
  });

  it('gives jobs on a cached log the same outputs as jobs that loaded it themselves', async () => {
    const cache = new LoadedLogCache(1000);
    const outputs = async (dir: string, withCache: boolean) => {
      const outputDir = await mkdtemp(path.join(root, dir));
      const result = await executeJob(request(second, outputDir), () => undefined, withCache ? cache : undefined);
      const files = await Promise.all(result.artifacts.map(async (a) => (await readFile(path.join(outputDir, a.fileName), 'utf8'))
        .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME'))); // reports carry their generation time
      return { figures: result.figures, files };
    };
    const alone = await outputs('alone-', false);
    await outputs('warm-', true);
    const cached = await outputs('cached-', true);
    expect(cache.heldEvents).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
    expect(cached.figures).toEqual(alone.figures);
    expect(cached.files).toEqual(alone.files);
  });
});
