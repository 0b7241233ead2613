/**
 * Warms a dataset import process up before its first upload: a freshly started process, and
 * each of its block threads, runs the readers' code cold (V8 interprets it until it has seen
 * enough of it to compile it), which made a process's first large read up to half as slow
 * again as its later ones (ADR 0026). Imports a small generated gzipped XES and CSV log of a
 * few thousand events each as an upload is imported (read in blocks on the threads, the Arrow
 * file written), twice, so the code every import runs is compiled before a real one comes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readAndDescribe } from './dataset-description.js';

/** Small blocks, so every thread parses several of each format. */
const WARM_UP_BLOCK_BYTES = 64 * 1024;
const WARM_UP_TRACES = 2000;

function warmUpXes(): string {
  const traces = ['<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">'];
  for (let i = 0; i < WARM_UP_TRACES; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    let trace = `<trace><string key="concept:name" value="case ${i}"/><date key="REG_DATE" value="2024-01-${day}T08:00:00.000+01:00"/>`;
    for (let e = 0; e < 4; e++) {
      trace += `<event><string key="org:resource" value="r${(i + e) % 7}"/><string key="lifecycle:transition" value="${e % 2 === 0 ? 'start' : 'complete'}"/>` +
        `<string key="concept:name" value="activity ${e % 3}"/><date key="time:timestamp" value="2024-01-${day}T0${e}:15:00.000+01:00"/></event>`;
    }
    traces.push(`${trace}</trace>`);
  }
  traces.push('</log>\n');
  return traces.join('\n');
}

function warmUpCsv(): string {
  const rows = ['case,activity,timestamp,resource,lifecycle,amount'];
  for (let i = 0; i < WARM_UP_TRACES * 4; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    rows.push(`case ${i % WARM_UP_TRACES},activity ${i % 5},2024-02-${day}T10:${String(i % 60).padStart(2, '0')}:00Z,r${i % 7},${i % 2 === 0 ? 'start' : 'complete'},${i % 997}.5`);
  }
  return rows.join('\n') + '\n';
}

/** Imports the generated logs with `readThreads` block threads; resolves when done (it never throws: a warm-up that fails only warms less). */
export async function warmUpImports(readThreads: number): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'warm-up-'));
  try {
    const xes = path.join(folder, 'warm-up.xes.gz');
    const csv = path.join(folder, 'warm-up.csv');
    writeFileSync(xes, gzipSync(warmUpXes()));
    writeFileSync(csv, warmUpCsv());
    const ingestedLogPath = path.join(folder, 'warm-up.arrow');
    for (let round = 0; round < 2; round++) {
      await readAndDescribe({ path: xes, format: 'xes.gz', columns: {}, ingestedLogPath }, { readThreads, readBlockBytes: WARM_UP_BLOCK_BYTES });
      await readAndDescribe({ path: csv, format: 'csv', columns: { lifecycle: 'lifecycle' }, ingestedLogPath }, { readThreads, readBlockBytes: WARM_UP_BLOCK_BYTES });
    }
  } catch {
    // Nothing of a warm-up is needed.
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
