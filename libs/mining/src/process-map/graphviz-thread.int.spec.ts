/**
 * Layouts on the Graphviz thread: the built renderer (dist/, where the thread's entry is
 * compiled beside it) gives byte for byte what the sources give laying out on the calling
 * thread, answers concurrent layouts each with its own output, reports Graphviz's errors,
 * and does not keep an otherwise idle process alive.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type * as RendererModule from './render-process-map.js';
import { layoutDotAsJson, renderDotToSvg } from './render-process-map.js';

const built = (await import(path.resolve('dist/libs/mining/src/process-map/render-process-map.js'))) as typeof RendererModule;

const chain = (n: number) => `digraph g { rankdir=LR; ${Array.from({ length: n }, (_, i) => `n${i} [label=<step ${i}<BR/>of ${n}>]; n${i} -> n${(i + 1) % n};`).join(' ')} }`;

describe('the Graphviz thread', () => {
  it('lays out exactly as the calling thread does, SVG and JSON, concurrent requests each answered with their own', async () => {
    const sources = [3, 12, 40, 7].map(chain);
    const [threaded, here] = await Promise.all([
      Promise.all(sources.map((dot) => built.renderDotToSvg(dot))),
      Promise.all(sources.map((dot) => renderDotToSvg(dot))),
    ]);
    expect(threaded).toEqual(here);
    expect(threaded[2]).toContain('step 39');
    expect(await built.layoutDotAsJson(sources[1]!)).toEqual(await layoutDotAsJson(sources[1]!));
  });

  it("reports Graphviz's error, and lays out again afterwards", async () => {
    await expect(built.renderDotToSvg('digraph { a -> }')).rejects.toThrow(/Graphviz could not render the process map: .*syntax error/);
    expect(await built.renderDotToSvg(chain(2))).toContain('step 1');
  });

  it('keeps a process alive while it lays out, and not once it is idle', () => {
    const script = `
      const { renderDotToSvg } = await import(${JSON.stringify(path.resolve('dist/libs/mining/src/process-map/render-process-map.js'))});
      const svg = await renderDotToSvg(${JSON.stringify(chain(30))});
      console.log(svg.includes('step 29') ? 'rendered' : 'wrong');`;
    // Without a ref while busy, the top-level await would end the process early (exit code 13);
    // with a ref left behind once idle, it would never exit and the timeout would fail it.
    const folder = mkdtempSync(path.join(os.tmpdir(), 'graphviz-thread-'));
    try {
      writeFileSync(path.join(folder, 'render.mjs'), script);
      const output = execFileSync(process.execPath, [path.join(folder, 'render.mjs')], { encoding: 'utf8', timeout: 20_000 });
      expect(output.trim()).toBe('rendered');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
