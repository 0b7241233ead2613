/**
 * Full-pipeline benchmark: a ProcessMining `comprehensive` job (ingest, analyses, map,
 * prediction model, report, enriched CSV) on BPI Challenge 2012 (gzipped XES) and on a
 * generated 1,000,000-event CSV. Prints wall time per stage, events/s and peak RSS.
 * Each input runs in its own child process so peak RSS belongs to that input alone.
 *
 *   npm run build && node dist/bench/mining-pipeline.bench.js [--only=xes|csv]
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executeJob } from '../libs/mining/src/jobs/index.js';
import { JOB_STAGES, type DatasetFormat, type JobStage } from '../libs/mining/src/job-execution.contract.js';

const BPIC_2012 = path.resolve(process.cwd(), '../shared/data/bpic2012.xes.gz');
const CASES = 50_000;
const EVENTS_PER_CASE = 20;
const ACTIVITIES = Array.from({ length: 20 }, (_, i) => `Activity ${String.fromCharCode(65 + i)}`);
const RESOURCES = Array.from({ length: 30 }, (_, i) => `user${String(i + 1).padStart(3, '0')}`);
const CONCURRENT_CASES = 1_000;

/** Deterministic PRNG (mulberry32): every run generates the same file. */
function randomGenerator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** 50,000 cases × 20 events, interleaved in waves like a real export, mostly-sequential paths with rework. */
async function generateCsv(filePath: string): Promise<void> {
  const random = randomGenerator(1_000_000);
  const out = createWriteStream(filePath);
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write('case:concept:name,concept:name,time:timestamp,org:resource,cost\n');
  const firstStart = Date.UTC(2023, 0, 1);
  for (let wave = 0; wave < CASES / CONCURRENT_CASES; wave++) {
    const clocks = new Float64Array(CONCURRENT_CASES);
    for (let i = 0; i < CONCURRENT_CASES; i++) clocks[i] = firstStart + (wave * CONCURRENT_CASES + i) * 600_000 * random();
    for (let step = 0; step < EVENTS_PER_CASE; step++) {
      let block = '';
      for (let i = 0; i < CONCURRENT_CASES; i++) {
        clocks[i] += 60_000 + random() * 86_400_000;
        const activity = ACTIVITIES[(step + (random() < 0.2 ? Math.floor(random() * 3) : 0)) % ACTIVITIES.length];
        const resource = RESOURCES[Math.floor(random() * RESOURCES.length)];
        block += `case-${wave * CONCURRENT_CASES + i + 1},${activity},${new Date(clocks[i]).toISOString()},${resource},${(random() * 500).toFixed(2)}\n`;
      }
      await write(block);
    }
  }
  out.end();
  await once(out, 'finish');
}

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
  const outputDir = await mkdtemp(path.join(os.tmpdir(), 'mining-pipeline-out-'));
  try {
    const stageStarted = new Map<JobStage, number>();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const result = await executeJob(
      {
        jobType: 'ProcessMining',
        parameters: { datasetId: '880e8400-e29b-41d4-a716-446655440000', analysisType: 'comprehensive', outputFormat: 'detailed_report' },
        dataset: { path: datasetPath, format },
        outputDir,
        title: label,
      },
      (progress) => {
        if (!stageStarted.has(progress.currentStage)) stageStarted.set(progress.currentStage, performance.now());
      },
    );
    const finished = performance.now();
    const cpu = process.cpuUsage(cpuBefore);
    const stageSeconds: Record<string, number> = {};
    JOB_STAGES.forEach((stage, i) => {
      const from = stageStarted.get(stage);
      if (from === undefined) return;
      const next = JOB_STAGES.slice(i + 1).map((s) => stageStarted.get(s)).find((t) => t !== undefined) ?? finished;
      stageSeconds[stage] = Math.round((next - from) / 10) / 100;
    });
    const summary = (result.figures as { summary: { caseCount: number; eventCount: number } }).summary;
    const artifacts = [];
    for (const a of result.artifacts) {
      artifacts.push({ type: a.type, fileName: a.fileName, bytes: (await stat(path.join(outputDir, a.fileName))).size, ...(a.recordCount !== undefined && { recordCount: a.recordCount }) });
    }
    return {
      label,
      events: summary.eventCount,
      cases: summary.caseCount,
      wallSeconds: Math.round((finished - started) / 10) / 100,
      cpuSeconds: Math.round((cpu.user + cpu.system) / 10_000) / 100,
      stageSeconds,
      // maxRSS is reported in kilobytes.
      peakRssMegabytes: Math.round(process.resourceUsage().maxRSS / 1024),
      artifacts,
    };
  } finally {
    await rm(outputDir, { recursive: true, force: true });
  }
}

async function child(only: 'xes' | 'csv'): Promise<void> {
  let figures: PipelineFigures;
  if (only === 'xes') {
    figures = await runPipeline('BPIC 2012', BPIC_2012, 'xes.gz');
  } else {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'mining-pipeline-csv-'));
    try {
      const csvPath = path.join(folder, 'generated-1m.csv');
      await mkdir(folder, { recursive: true });
      await generateCsv(csvPath);
      // Generation must not count towards the pipeline's peak RSS: it runs before, and its
      // buffers are released; the RSS high-water mark of generation alone is ~100 MB.
      figures = await runPipeline('Generated 1M-event CSV', csvPath, 'csv');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
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
