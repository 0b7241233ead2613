/**
 * A comprehensive ProcessMining job on an already-ingested log, in one process, as a job runner
 * runs it: BPI Challenge 2012 (gzipped XES) and the generated 1,000,000-event CSV are ingested
 * ONCE into the Arrow file the dataset import writes (readAndDescribe), then each input gets a
 * fresh child process (the runner's heap limit) that runs the job through `executeJob` several
 * times on that file: the first job (cold: modules, Graphviz, JIT) and the warm ones after it.
 * Prints each job's wall and CPU time, its stages (from the job's progress reports) and the
 * child's peak RSS.
 *
 *   npm run build && node dist/bench/mining-job.bench.js [--only=xes|csv] [--jobs=4]
 *     [--ingested=DIR]      keep the ingested files in DIR and reuse them on the next run
 *     [--keep-outputs=DIR]  keep the first job's artifacts and figures (figures.json) under DIR/<input>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readAndDescribe } from '../libs/datasets/src/import/dataset-description.js';
import { DEFAULT_HEAP_MB } from '../libs/execution-node/src/runner-pool.js';
import type { DatasetFormat } from '../libs/mining/src/job-execution.contract.js';
import { BPIC_2012_XES_GZ, GENERATED_CSV_FILE_NAME, writeGeneratedCsv } from './support/datasets.js';
import { peakRssMegabytes } from './support/peak-rss.js';
import { timeComprehensiveJob, type TimedJob } from './support/timed-job.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    jobs: { type: 'string', default: '4' },
    ingested: { type: 'string' },
    'keep-outputs': { type: 'string' },
    child: { type: 'string' },
  },
});

type Input = 'xes' | 'csv';

/** What the child needs to run the job on one input. */
interface InputFiles {
  readonly label: string;
  readonly source: string;
  readonly format: DatasetFormat;
  readonly ingestedPath: string;
}

interface JobFigures {
  readonly wallSeconds: number;
  /** User + system CPU time of the job: less sensitive than wall time to other load on the machine. */
  readonly cpuSeconds: number;
  readonly stageSeconds: Record<string, number>;
  readonly peakRssMegabytes: number;
}

interface InputFigures {
  readonly label: string;
  events: number;
  cases: number;
  readonly jobs: JobFigures[];
}

async function runJob(input: InputFiles, outputDir: string): Promise<{ figures: JobFigures; result: TimedJob['result'] }> {
  const { result, wallSeconds, cpuSeconds, stageSeconds } = await timeComprehensiveJob(
    { path: input.source, format: input.format, ingestedPath: input.ingestedPath }, outputDir, input.label,
  );
  return { figures: { wallSeconds, cpuSeconds, stageSeconds, peakRssMegabytes: Math.round(peakRssMegabytes()) }, result };
}

async function child(input: InputFiles, jobs: number, keepOutputs: string | undefined): Promise<void> {
  const figures: InputFigures = { label: input.label, events: 0, cases: 0, jobs: [] };
  for (let job = 0; job < jobs; job++) {
    const keep = job === 0 && keepOutputs !== undefined;
    const outputDir = keep ? keepOutputs : mkdtempSync(path.join(os.tmpdir(), 'mining-job-out-'));
    if (keep) mkdirSync(outputDir, { recursive: true });
    try {
      const { figures: jobFigures, result } = await runJob(input, outputDir);
      figures.jobs.push(jobFigures);
      const summary = (result.figures as { summary: { caseCount: number; eventCount: number } }).summary;
      figures.events = summary.eventCount;
      figures.cases = summary.caseCount;
      if (keep) writeFileSync(path.join(outputDir, 'figures.json'), JSON.stringify(result, null, 1));
    } finally {
      if (!keep) rmSync(outputDir, { recursive: true, force: true });
    }
  }
  console.log(JSON.stringify(figures));
}

/** Ingests both inputs as the dataset import does (once; reused when `folder` already has them). */
async function ingestedInputs(folder: string, inputs: readonly Input[]): Promise<Record<Input, InputFiles>> {
  const xes: InputFiles = { label: 'BPIC 2012', source: BPIC_2012_XES_GZ, format: 'xes.gz', ingestedPath: path.join(folder, 'bpic2012.arrow') };
  const csv: InputFiles = { label: 'Generated 1M-event CSV', source: path.join(folder, GENERATED_CSV_FILE_NAME), format: 'csv', ingestedPath: path.join(folder, 'generated-1m.arrow') };
  for (const input of inputs) {
    const files = input === 'xes' ? xes : csv;
    if (existsSync(files.ingestedPath)) continue;
    if (input === 'csv' && !existsSync(files.source)) await writeGeneratedCsv(files.source, 2012);
    const started = performance.now();
    await readAndDescribe({ path: files.source, format: files.format, columns: {}, ingestedLogPath: files.ingestedPath });
    console.log(`ingested ${files.label} in ${((performance.now() - started) / 1000).toFixed(2)} s`);
  }
  return { xes, csv };
}

function printFigures(f: InputFigures): void {
  console.log(`\n${f.label}: ${f.events.toLocaleString('en-US')} events, ${f.cases.toLocaleString('en-US')} cases (load average ${os.loadavg()[0]!.toFixed(1)})`);
  f.jobs.forEach((job, i) => {
    const stages = Object.entries(job.stageSeconds).map(([stage, s]) => `${stage} ${s.toFixed(2)}`).join(' · ');
    console.log(`  job ${i + 1} (${i === 0 ? 'cold' : 'warm'}): wall ${job.wallSeconds.toFixed(2)} s · CPU ${job.cpuSeconds.toFixed(2)} s · peak RSS ${job.peakRssMegabytes} MB · ${stages}`);
  });
}

async function main(): Promise<void> {
  if (values.child !== undefined) {
    return child(JSON.parse(values.child) as InputFiles, Number(values.jobs), values['keep-outputs']);
  }
  const inputs: Input[] = values.only ? [values.only as Input] : ['xes', 'csv'];
  const folder = values.ingested ?? mkdtempSync(path.join(os.tmpdir(), 'mining-job-ingested-'));
  mkdirSync(folder, { recursive: true });
  try {
    const files = await ingestedInputs(folder, inputs);
    const self = fileURLToPath(import.meta.url);
    for (const input of inputs) {
      const keep = values['keep-outputs'] === undefined ? [] : [`--keep-outputs=${path.join(values['keep-outputs'], input)}`];
      const output = execFileSync(
        process.execPath,
        [`--max-old-space-size=${DEFAULT_HEAP_MB}`, self, `--child=${JSON.stringify(files[input])}`, `--jobs=${values.jobs}`, ...keep],
        { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
      );
      printFigures(JSON.parse(output.trim().split('\n').pop()!) as InputFigures);
    }
  } finally {
    if (values.ingested === undefined) rmSync(folder, { recursive: true, force: true });
  }
}

await main();
