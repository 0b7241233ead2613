/**
 * Ingest benchmark: BPI Challenge 2012 (gzipped XES) and a generated 1,000,000-event CSV.
 * Prints wall time, the process's CPU time (all threads: gunzip and GC run beside the main
 * one), events/s and the process's peak RSS after each input. `--repeat=N` reads each input N
 * times in the one process: the first read runs on a cold JIT, later ones show the warm figure
 * of a long-lived import process. `--read-threads=N` reads in blocks on N block threads (ADR 0026;
 * 0, the default, on the one thread alone); run each setting in a process of its own to compare
 * cold reads, since the threads, once started, stay warm for the reads after.
 *
 *   npm run build && node dist/bench/ingest.bench.js [--only=xes|csv] [--repeat=N] [--read-threads=N]
 */
import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ingestEventLog, type IngestSource } from '../libs/mining/src/ingest/index.js';
import { BPIC_2012_XES_GZ, GENERATED_CSV_EVENTS, GENERATED_CSV_FILE_NAME, writeGeneratedCsv } from './support/datasets.js';
import { peakRssMegabytes } from './support/peak-rss.js';
import { withTemporaryFolder } from './support/temporary-folder.js';

async function measure(label: string, source: IngestSource, repeat: number, readThreads: number): Promise<void> {
  for (let run = 1; run <= repeat; run++) await measureOnce(repeat === 1 ? label : `${label} #${run}`, source, readThreads);
}

async function measureOnce(label: string, source: IngestSource, readThreads: number): Promise<void> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { log, quality } = await ingestEventLog(source, { readThreads });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const sizeMb = (await stat(source.path)).size / 1024 / 1024;
  console.log(
    `${label}: ${log.eventCount.toLocaleString('en-US')} events, ${log.caseCount.toLocaleString('en-US')} cases ` +
      `(${sizeMb.toFixed(1)} MB file) in ${seconds.toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s) = ${Math.round(log.eventCount / seconds).toLocaleString('en-US')} events/s; ` +
      `valid ${quality.validation.validRecords}/${quality.validation.totalRecords}; peak RSS so far ${peakRssMegabytes().toFixed(0)} MB`,
  );
}

async function main(): Promise<void> {
  const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  const repeat = Number(process.argv.find((arg) => arg.startsWith('--repeat='))?.slice('--repeat='.length) ?? 1);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat must be a positive integer');
  const readThreads = Number(process.argv.find((arg) => arg.startsWith('--read-threads='))?.slice('--read-threads='.length) ?? 0);
  if (!Number.isInteger(readThreads) || readThreads < 0) throw new Error('--read-threads must be a whole number');
  console.log(`Ingest benchmark on ${os.cpus().length} CPU(s), Node ${process.version}, ${readThreads} block read thread(s)`);
  if (only === undefined || only === 'xes') {
    await measure('bpic2012.xes.gz', { path: BPIC_2012_XES_GZ, format: 'xes.gz' }, repeat, readThreads);
  }
  if (only === undefined || only === 'csv') {
    await withTemporaryFolder('ingest-bench-', async (folder) => {
      const csvPath = path.join(folder, GENERATED_CSV_FILE_NAME);
      const generationStarted = performance.now();
      await writeGeneratedCsv(csvPath, 2012); // the seed of the recorded figures: same file as before
      console.log(`generated ${GENERATED_CSV_EVENTS} events in ${((performance.now() - generationStarted) / 1000).toFixed(1)} s`);
      await measure('generated 1M-event CSV', { path: csvPath, format: 'csv' }, repeat, readThreads);
    });
  }
}

await main();
