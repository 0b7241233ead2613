/**
 * The dataset importer with real import processes (forked from the build, as the service
 * does): it describes a log exactly as reading it in this process would, hands the ingest's
 * typed errors back, reuses a process, runs at most its cap at once, retires a process that
 * holds too much memory or sat idle (but keeps its ready ones), and a process killed
 * mid-import fails only that import.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RUNNING_EXAMPLE_CSV, BPIC_2012_XES_GZ } from '../../../../test/support/fixtures.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import type * as ImporterModule from './dataset-importer.js';
import type * as RegisterModule from '../register-dataset.js';
import type * as IngestModule from '../../../mining/src/ingest/index.js';
import type * as GrowingFileModule from './growing-file.js';

const fromDist = <T>(module: string): Promise<T> => import(path.resolve('dist', module)) as Promise<T>;
let DatasetImporter: typeof ImporterModule.DatasetImporter;
let describeInThisProcess: typeof RegisterModule.describeInThisProcess;
let ingest: typeof IngestModule;
let FileGrowth: typeof GrowingFileModule.FileGrowth;
let folder: string;
const importers: ImporterModule.DatasetImporter[] = [];

beforeAll(async () => {
  ({ DatasetImporter } = await fromDist<typeof ImporterModule>('libs/datasets/src/import/dataset-importer.js'));
  ({ describeInThisProcess } = await fromDist<typeof RegisterModule>('libs/datasets/src/register-dataset.js'));
  ingest = await fromDist<typeof IngestModule>('libs/mining/src/ingest/index.js');
  ({ FileGrowth } = await fromDist<typeof GrowingFileModule>('libs/datasets/src/import/growing-file.js'));
  folder = mkdtempSync(path.join(os.tmpdir(), 'importer-'));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(importers.splice(0).map((importer) => importer.close()));
});

function importer(options: Partial<ImporterModule.DatasetImporterOptions> = {}): ImporterModule.DatasetImporter {
  const created = new DatasetImporter({ maxProcesses: 2, maxRssBytes: 1024 ** 3, idleMs: 60_000, ...options });
  importers.push(created);
  return created;
}

const runningExample = { path: RUNNING_EXAMPLE_CSV, format: 'csv' as const, columns: {} };

describe('DatasetImporter', () => {
  it('describes a log exactly as reading it in this process does, and reuses its process', async () => {
    const imports = importer();
    const expected = await describeInThisProcess(runningExample);
    expect(await imports.describe(runningExample)).toEqual(expected);
    const [pid] = imports.processIds;
    expect(pid).not.toBe(process.pid);
    expect(await imports.describe(runningExample)).toEqual(expected);
    expect(imports.processIds).toEqual([pid]);
  });

  it('hands back the ingest\'s typed errors: missing columns, a malformed log, a log over the limits', async () => {
    const imports = importer();
    const unmapped = path.join(folder, 'unmapped.csv');
    writeFileSync(unmapped, 'a,b\n1,2\n');
    const missing = await imports.describe({ path: unmapped, format: 'csv', columns: {} }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ingest.ColumnMappingError);
    expect((missing as IngestModule.ColumnMappingError).missing).toEqual(['caseId', 'activity', 'timestamp']);
    expect((missing as IngestModule.ColumnMappingError).sourceColumns).toEqual(['a', 'b']);

    const broken = path.join(folder, 'broken.xes');
    writeFileSync(broken, '<log><trace><event></log>');
    const malformed = await imports.describe({ path: broken, format: 'xes', columns: {} }).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(ingest.MalformedEventLogError);
    expect((malformed as Error).message).toMatch(/^not a readable XES event log: /);

    const tooLarge = await imports.describe({ ...runningExample, limits: { maxRecords: 10 } }).catch((e: unknown) => e);
    expect(tooLarge).toBeInstanceOf(ingest.EventLogTooLargeError);
    expect(tooLarge).toMatchObject({ limit: 'records', maximum: 10 });
    // The process survives refusals.
    expect(imports.processIds).toHaveLength(1);
  });

  it('runs at most maxProcesses imports at once and answers every one', async () => {
    const imports = importer({ maxProcesses: 2 });
    let most = 0;
    const sampling = setInterval(() => (most = Math.max(most, imports.processIds.length)), 5);
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => imports.describe(runningExample)));
      expect(answers.map((a) => a.events)).toEqual([42, 42, 42, 42, 42]);
    } finally {
      clearInterval(sampling);
    }
    expect(most).toBeGreaterThanOrEqual(1);
    expect(most).toBeLessThanOrEqual(2);
    expect(imports.processIds.length).toBeLessThanOrEqual(2);
  });

  it('retires a process above the memory ceiling after its import, and an idle one after idleMs', async () => {
    const greedy = importer({ maxRssBytes: 1 });
    await greedy.describe(runningExample);
    await waitFor(() => greedy.processIds.length === 0, 10_000, 20, 'the process over the ceiling to be retired');

    const idle = importer({ idleMs: 100 });
    await idle.describe(runningExample);
    expect(idle.processIds).toHaveLength(1);
    await waitFor(() => idle.processIds.length === 0, 10_000, 20, 'the idle process to stop');
    // A new import starts a new process.
    expect((await idle.describe(runningExample)).events).toBe(42);
  });

  it('keeps readyProcesses started while no import runs, none beside a running one; an upload beside it starts its own', async () => {
    const ready = importer({ readyProcesses: 1, idleMs: 100 });
    await waitFor(() => ready.processIds.length === 1, 10_000, 20, 'a process started before any import');
    const [first] = ready.processIds;
    // An import that runs until its file is complete: no spare process starts beside it (its start would slow it).
    const file = path.join(folder, 'held.xes.gz');
    const whole = readFileSync(BPIC_2012_XES_GZ);
    writeFileSync(file, whole.subarray(0, 1000));
    const growth = new FileGrowth();
    const held = ready.describe({ path: file, format: 'xes.gz', columns: {} }, growth);
    await new Promise((resolve) => setImmediate(resolve));
    expect(ready.processIds).toEqual([first]);
    // An upload beside it gets a process of its own.
    expect((await ready.describe(runningExample)).events).toBe(42);
    expect(ready.processIds).toHaveLength(2);
    appendFileSync(file, whole.subarray(1000));
    growth.finished(whole.length);
    expect((await held).events).toBe(262_200);
    // Idle past idleMs, the importer comes back to its one ready process, not to none.
    await waitFor(() => ready.processIds.length === 1, 10_000, 20, 'the extra idle process to stop');
    expect((await ready.describe(runningExample)).events).toBe(42);
  });

  it('reads a file while it is written, told of its growth, as it reads the whole file (in blocks on two threads, warmed up)', async () => {
    const imports = importer({ readyProcesses: 1, readThreads: 2 });
    const whole = readFileSync(BPIC_2012_XES_GZ);
    const expected = await describeInThisProcess({ path: BPIC_2012_XES_GZ, format: 'xes.gz', columns: {} });
    const file = path.join(folder, 'arriving.xes.gz');
    writeFileSync(file, whole.subarray(0, 1000));
    const growth = new FileGrowth();
    const described = imports.describe({ path: file, format: 'xes.gz', columns: {} }, growth);
    // The rest arrives in pieces; the import waits at each end of what is there.
    for (let offset = 1000; offset < whole.length; offset += 400_000) {
      await new Promise((resolve) => setImmediate(resolve));
      appendFileSync(file, whole.subarray(offset, Math.min(whole.length, offset + 400_000)));
      growth.grew();
    }
    growth.finished(whole.length);
    expect(await described).toEqual(expected);
  });

  it('fails an import whose file is abandoned, and the process serves the next one', async () => {
    const imports = importer({ maxProcesses: 1 });
    const file = path.join(folder, 'abandoned.csv');
    writeFileSync(file, 'case,activity,timestamp\n1,A,2024-01-01T10:00:00Z\n');
    const growth = new FileGrowth();
    const described = imports.describe({ path: file, format: 'csv', columns: {} }, growth);
    growth.abandoned('the client went away');
    await expect(described).rejects.toThrow(/the upload was abandoned: the client went away/);
    expect((await imports.describe(runningExample)).events).toBe(42);
  });

  it('fails only the import whose process was killed, and the next import runs in a fresh process', async () => {
    const imports = importer({ maxProcesses: 1 });
    await imports.describe(runningExample);
    const [pid] = imports.processIds;
    const large = imports.describe({ path: BPIC_2012_XES_GZ, format: 'xes.gz', columns: {} });
    const queued = imports.describe(runningExample); // waits for the only process
    process.kill(pid!, 'SIGKILL');
    await expect(large).rejects.toThrow(/the dataset import process ended \(signal SIGKILL\)/);
    expect((await queued).events).toBe(42);
    expect(imports.processIds).toHaveLength(1);
    expect(imports.processIds[0]).not.toBe(pid);
  });

  it('refuses new imports once closed, and leaves no process behind', async () => {
    const imports = importer();
    await imports.describe(runningExample);
    const [pid] = imports.processIds;
    await imports.close();
    expect(imports.processIds).toEqual([]);
    expect(() => process.kill(pid!, 0)).toThrow();
    await expect(imports.describe(runningExample)).rejects.toThrow(/closed/);
  });
});
