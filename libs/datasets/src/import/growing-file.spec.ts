import { describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileGrowth, readGrowingFile } from './growing-file.js';

function withFile(test: (file: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'growing-file-'));
    try {
      await test(path.join(folder, 'upload'));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  };
}

describe('readGrowingFile', () => {
  it('waits at the end of what is written until the writer says more came, and ends at the finished length', withFile(async (file) => {
    writeFileSync(file, 'first part|');
    const growth = new FileGrowth();
    const chunks = readGrowingFile(file, growth)[Symbol.asyncIterator]();
    expect(String((await chunks.next()).value)).toBe('first part|');
    // A reader that took the end of the file for the end of the upload would be done here.
    appendFileSync(file, 'second part');
    growth.grew();
    expect(String((await chunks.next()).value)).toBe('second part');
    growth.finished('first part|second part'.length);
    expect((await chunks.next()).done).toBe(true);
  }));

  it('hears a finish that came before it started', withFile(async (file) => {
    writeFileSync(file, 'all of it');
    const growth = new FileGrowth();
    growth.finished(9);
    const read: string[] = [];
    for await (const chunk of readGrowingFile(file, growth)) read.push(String(chunk));
    expect(read.join('')).toBe('all of it');
  }));

  it('fails when the writer abandons the file, and when the file is shorter than its finished length', withFile(async (file) => {
    writeFileSync(file, 'partial');
    const abandoned = new FileGrowth();
    const chunks = readGrowingFile(file, abandoned)[Symbol.asyncIterator]();
    expect(String((await chunks.next()).value)).toBe('partial');
    abandoned.abandoned('the client went away');
    await expect(chunks.next()).rejects.toThrow('the upload was abandoned: the client went away');

    const short = new FileGrowth();
    short.finished(100);
    await expect((async () => {
      for await (const chunk of readGrowingFile(file, short)) void chunk;
    })()).rejects.toThrow('the file ended at 7 of its 100 bytes');
  }));
});
