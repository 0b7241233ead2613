/**
 * Full-pipeline benchmark: a ProcessMining `comprehensive` job (ingest, analyses, map,
 * prediction model, report, enriched CSV) on BPI Challenge 2012 (gzipped XES) and on a
 * generated 1,000,000-event CSV. Prints wall time per stage, events/s and peak RSS.
 * Each input runs in its own child process so peak RSS belongs to that input alone.
 *
 *   npm run build && node dist/bench/mining-pipeline.bench.js [--only=xes|csv]
 */
import { execFileSync } from 'node:child_process';
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatasetFormat } from '../libs/mining/src/job-execution.contract.js';
import { BPIC_2012_XES_GZ, GENERATED_CSV_FILE_NAME, writeGeneratedCsv } from './support/datasets.js';
import { peakRssMegabytes } from './support/peak-rss.js';
import { timeComprehensiveJob } from './support/timed-job.js';
import { withTemporaryFolder } from './support/temporary-folder.js';

interface PipelineFigures {
  readonly label: string;
  readonly events: number;
  readonly cases: number;
  readonly wallSeconds: number;
  /** User + system CPU time of the job: less sensitive than wall time to other load on the machine. */
  readonly cpuSeconds: number;
  readonly stageSeconds: Record<string, number>;
  readonly peakRssMegabytes: number;
  readonly artifacts: { type: string; fileName: string; bytes: number; recordCount?: number }[];
}

async function runPipeline(label: string, datasetPath: string, format: DatasetFormat): Promise<PipelineFigures> {
  return withTemporaryFolder('mining-pipeline-out-', async (outputDir) => {
    const { result, wallSeconds, cpuSeconds, stageSeconds } = await timeComprehensiveJob({ path: datasetPath, format }, outputDir, label);
    const summary = (result.figures as { summary: { caseCount: number; eventCount: number } }).summary;
    const artifacts = [];
    for (const a of result.artifacts) {
      artifacts.push({ type: a.type, fileName: a.fileName, bytes: (await stat(path.join(outputDir, a.fileName))).size, ...(a.recordCount !== undefined && { recordCount: a.recordCount }) });
    }
    return {
      label,
      events: summary.eventCount,
      cases: summary.caseCount,
      wallSeconds,
      cpuSeconds,
      stageSeconds,
      peakRssMegabytes: Math.round(peakRssMegabytes()),
      artifacts,
    };
  });
}

async function child(only: 'xes' | 'csv'): Promise<void> {
  let figures: PipelineFigures;
  if (only === 'xes') {
    figures = await runPipeline('BPIC 2012', BPIC_2012_XES_GZ, 'xes.gz');
  } else {
    figures = await withTemporaryFolder('mining-pipeline-csv-', async (folder) => {
      const csvPath = path.join(folder, GENERATED_CSV_FILE_NAME);
      await writeGeneratedCsv(csvPath, 1_000_000); // the seed of the recorded figures: same file as before
      // Generation must not count towards the pipeline's peak RSS: it runs before, and its
      // buffers are released; the RSS high-water mark of generation alone is ~100 MB.
      return runPipeline('Generated 1M-event CSV', csvPath, 'csv');
    });
  }
  console.log(JSON.stringify(figures));
}

function printFigures(f: PipelineFigures): void {
  console.log(`\n${f.label}: ${f.events.toLocaleString('en-US')} events, ${f.cases.toLocaleString('en-US')} cases`);
  console.log(`  wall time ${f.wallSeconds.toFixed(2)} s (CPU ${f.cpuSeconds.toFixed(2)} s, load average ${os.loadavg()[0]!.toFixed(1)}) · ${Math.round(f.events / f.wallSeconds).toLocaleString('en-US')} events/s · peak RSS ${f.peakRssMegabytes} MB`);
  console.log(`  stages: ${Object.entries(f.stageSeconds).map(([stage, s]) => `${stage} ${s.toFixed(2)} s`).join(' · ')}`);
  console.log(`  outputs: ${f.artifacts.map((a) => `${a.type} ${(a.bytes / 1024 / 1024).toFixed(1)} MB`).join(' · ')}`);
}

async function main(): Promise<void> {
  const onlyArgument = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  if (process.argv.includes('--child')) return child(onlyArgument as 'xes' | 'csv');
  const inputs = onlyArgument ? [onlyArgument] : ['xes', 'csv'];
  const self = fileURLToPath(import.meta.url);
  for (const input of inputs) {
    const output = execFileSync(process.execPath, [self, '--child', `--only=${input}`], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const figures = JSON.parse(output.trim().split('\n').pop()!) as PipelineFigures;
    printFigures(figures);
  }
  console.log('\nTargets: BPIC 2012 < 5 s, 1M-event CSV < 10 s, peak RSS < 1 GB.');
}

await main();
