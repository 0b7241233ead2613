/**
 * Logs read on block threads: the built reader (dist/, where the thread's entry is compiled
 * beside it) gives exactly the log of the read on one thread, for a CSV with blocks cut inside
 * quoted line breaks and for BPI Challenge 2012, and its idle threads do not keep a process alive.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type * as IngestModule from './ingest.js';

const BUILT_INGEST = path.resolve('dist/libs/mining/src/ingest/ingest.js');
const built = (await import(BUILT_INGEST)) as typeof IngestModule;
const NOW = new Date('2024-06-01T00:00:00Z');

let folder: string;
let file: string;
let xesFile: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'csv-block-thread-'));
  file = path.join(folder, 'log.csv');
  // About 9 MB: many blocks of 1 MiB, a quoted comment with a line break in every 7th row.
  const lines = ['case,activity,timestamp,resource,comment,id'];
  for (let i = 0; i < 120_000; i++) {
    const comment = i % 7 === 0 ? `"first line\nsecond, of ${i}"` : `note ${i % 50}`;
    const minute = String(i % 60).padStart(2, '0');
    lines.push(`case-${i % 4001},activity ${i % 17},2024-02-${String(1 + (i % 28)).padStart(2, '0')}T10:${minute}:00Z,res-${i % 23},${comment},row-${i}`);
  }
  writeFileSync(file, lines.join('\n') + '\n');
  // About 5 MB of gzipped XES: two events a trace, every 50th trace behind a comment that holds a trace of its own.
  xesFile = path.join(folder, 'log.xes.gz');
  const traces = ['<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">'];
  for (let i = 0; i < 30_000; i++) {
    if (i % 50 === 0) traces.push('<!-- <trace><string key="concept:name" value="commented out"/></trace> -->');
    const day = String(1 + (i % 28)).padStart(2, '0');
    traces.push(`<trace><string key="concept:name" value="case-${i}"/><string key="channel" value="${i % 3 === 0 ? 'web' : 'phone'}"/>` +
      `<event><string key="concept:name" value="register"/><date key="time:timestamp" value="2024-04-${day}T08:00:00.000+02:00"/><string key="lifecycle:transition" value="complete"/></event>` +
      `<event><string key="concept:name" value="decide ${i % 5}"/><date key="time:timestamp" value="2024-04-${day}T09:30:00Z"/><string key="org:resource" value="r${i % 9}"/><int key="amount" value="${i % 1000}"/></event></trace>`);
  }
  traces.push('</log>\n');
  writeFileSync(xesFile, gzipSync(traces.join('\n')));
});
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the block read threads', () => {
  it('read the CSV log the one-thread read gives', async () => {
    const alone = await built.ingestEventLog({ path: file, format: 'csv' }, { now: NOW });
    expect(alone.log.eventCount).toBe(120_000);
    const threaded = await built.ingestEventLog({ path: file, format: 'csv' }, { now: NOW, readThreads: 2, readBlockBytes: 1024 * 1024 });
    expect(threaded).toEqual(alone);
  });

  it('read the XES log the one-thread read gives, traces in comments included', async () => {
    const alone = await built.ingestEventLog({ path: xesFile, format: 'xes.gz' }, { now: NOW });
    expect(alone.log.eventCount).toBe(60_000);
    expect(await built.ingestEventLog({ path: xesFile, format: 'xes.gz' }, { now: NOW, readThreads: 2, readBlockBytes: 256 * 1024 })).toEqual(alone);
  });

  it('leave a process free to exit once the read is done', () => {
    const script = `
      const { ingestEventLog } = await import(${JSON.stringify(BUILT_INGEST)});
      const { log } = await ingestEventLog({ path: ${JSON.stringify(file)}, format: 'csv' }, { readThreads: 2, readBlockBytes: 1024 * 1024 });
      console.log('events', log.eventCount);`;
    writeFileSync(path.join(folder, 'read.mjs'), script);
    const output = execFileSync(process.execPath, [path.join(folder, 'read.mjs')], { encoding: 'utf8', timeout: 30_000 });
    expect(output.trim()).toBe('events 120000');
  });
});
