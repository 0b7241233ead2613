/**
 * The enriched CSV writer alone, in a fresh process per input: the log read from the Arrow file
 * mining-job.bench.ts ingested (--ingested=DIR of that bench), analysed as a comprehensive job
 * does, then `writeEnrichedCsv` several times. The first write runs cold (the writer's code not
 * yet optimised by V8), the later ones warm; each prints wall and CPU time (the process's, so
 * V8's compiler and GC threads count).
 *
 *   npm run build && node dist/bench/enriched-csv.bench.js --ingested=DIR [--only=xes|csv] [--writes=3]
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { analyzeLog } from '../libs/mining/src/analysis/index.js';
import { readIngestedLog } from '../libs/mining/src/ingest/ingested-log-file.js';
import { writeEnrichedCsv } from '../libs/mining/src/jobs/enriched-csv.js';
import { ENRICHMENTS } from '../libs/mining/src/jobs/validate-parameters.js';
import { classifyEvents } from '../libs/mining/src/log-transforms/index.js';

const { values } = parseArgs({
  options: { ingested: { type: 'string' }, only: { type: 'string' }, writes: { type: 'string', default: '3' }, child: { type: 'string' } },
});

const INPUTS = { xes: 'bpic2012.arrow', csv: 'generated-1m.arrow' } as const;

async function child(file: string, writes: number): Promise<void> {
  const log = classifyEvents(readIngestedLog(file).log, undefined).log;
  const analysis = analyzeLog(log, { includeAnomalyDetection: true });
  const out = path.join(os.tmpdir(), `enriched-csv-bench-${process.pid}.csv`);
  const times: string[] = [];
  try {
    for (let write = 0; write < writes; write++) {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      await writeEnrichedCsv(out, analysis.log, analysis.perCase, new Set(ENRICHMENTS));
      const cpu = process.cpuUsage(cpuBefore);
      times.push(`${write === 0 ? 'cold' : 'warm'} ${((performance.now() - started) / 1000).toFixed(3)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(3)} s CPU`);
    }
  } finally {
    rmSync(out, { force: true });
  }
  console.log(`${path.basename(file)} (${log.eventCount.toLocaleString('en-US')} events): ${times.join(' · ')}`);
}

if (values.child !== undefined) {
  await child(values.child, Number(values.writes));
} else {
  if (values.ingested === undefined) throw new Error('--ingested=DIR: the folder mining-job.bench.js ingested into');
  const inputs = values.only ? [values.only as keyof typeof INPUTS] : (Object.keys(INPUTS) as (keyof typeof INPUTS)[]);
  for (const input of inputs) {
    const file = path.join(values.ingested, INPUTS[input]);
    process.stdout.write(execFileSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${file}`, `--writes=${values.writes}`], { encoding: 'utf8' }));
  }
}
