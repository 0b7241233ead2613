/**
 * Mining on the miner thread: the built module (dist/, where the thread's entry is compiled
 * beside it) gives the tree the sources mine on the calling thread, refuses an invalid
 * threshold as mineProcessTree does, and does not keep an otherwise idle process alive.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mineProcessTree } from './inductive-miner.js';
import type * as MineOffThreadModule from './mine-off-thread.js';
import { variantLogFromMessage, variantLogToMessage } from './mine-off-thread.js';
import { variantLogFromSequences } from './variant-log.js';

const builtPath = path.resolve('dist/libs/mining/src/discovery/mine-off-thread.js');
const built = (await import(builtPath)) as typeof MineOffThreadModule;

const traces = fc.array(fc.record({ activities: fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 8 }), count: fc.integer({ min: 1, max: 5 }) }), {
  minLength: 1,
  maxLength: 25,
});

describe('the miner thread', () => {
  it('carries a variant log through its message unchanged (random logs)', () => {
    fc.assert(
      fc.property(traces, (sequences) => {
        const { variants } = variantLogFromSequences(sequences);
        expect(variantLogFromMessage(variantLogToMessage(variants))).toEqual(variants);
      }),
    );
  });

  it('mines the tree mineProcessTree mines, IM and IMf, concurrent requests each answered with their own (random logs)', async () => {
    const logs = fc.sample(traces, { numRuns: 60, seed: 2012 }).map((sequences) => variantLogFromSequences(sequences));
    for (const noiseThreshold of [0, 0.2]) {
      const threaded = await Promise.all(logs.map(({ variants, activities }) => built.mineProcessTreeOffThread(variants, activities, { noiseThreshold })));
      expect(threaded).toEqual(logs.map(({ variants, activities }) => mineProcessTree(variants, activities, { noiseThreshold })));
    }
  });

  it('refuses a threshold outside [0, 1] as mineProcessTree does, and mines again afterwards', async () => {
    const { variants, activities } = variantLogFromSequences([{ activities: ['a', 'b'], count: 2 }]);
    expect(() => built.mineProcessTreeOffThread(variants, activities, { noiseThreshold: 1.5 })).toThrow(RangeError);
    expect(await built.mineProcessTreeOffThread(variants, activities)).toEqual(mineProcessTree(variants, activities));
  });

  it('keeps a process alive while it mines, and not once it is idle', () => {
    const script = `
      const { mineProcessTreeOffThread } = await import(${JSON.stringify(builtPath)});
      const tree = await mineProcessTreeOffThread({ traces: [[0, 1], [0, 2, 1]], counts: [3, 1] }, ['a', 'b', 'c']);
      console.log(JSON.stringify(tree).includes('"c"') ? 'mined' : 'wrong');`;
    // Without a ref while busy, the top-level await would end the process early (exit code 13);
    // with a ref left behind once idle, it would never exit and the timeout would fail it.
    const folder = mkdtempSync(path.join(os.tmpdir(), 'miner-thread-'));
    try {
      writeFileSync(path.join(folder, 'mine.mjs'), script);
      const output = execFileSync(process.execPath, [path.join(folder, 'mine.mjs')], { encoding: 'utf8', timeout: 20_000 });
      expect(output.trim()).toBe('mined');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
