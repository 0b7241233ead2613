import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ingestEventLog } from './ingest.js';

const NOW = new Date('2024-06-01T00:00:00Z');
const folder = mkdtempSync(path.join(os.tmpdir(), 'xes-blocks-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const attribute = (key: string, values: readonly string[]) => fc.constantFrom(...values).map((value) => `<string key="${key}" value="${value}"/>`);
const eventChild = fc.oneof(
  attribute('concept:name', ['A', 'B', 'Pr&#252;fen', 'C &amp; D', '']),
  fc.constantFrom('2024-01-01T10:00:00Z', '2024-01-02T09:30:00.250+01:00', '2024-01-03', ' ', 'bad', '2024-01-04T00:00:00Z\n')
    .map((value) => `<date key="time:timestamp" value="${value}"/>`),
  attribute('org:resource', ['r1', 'r2', '']),
  attribute('lifecycle:transition', ['start', 'complete', 'COMPLETE']),
  attribute('note', ['x', 'y', 'a "quoted" &lt;note&gt;'.replace(/"/g, '&quot;')]),
  fc.constant('<int key="cost" value="12"/>'),
  fc.constant('<list key="nested"><string key="concept:name" value="not the activity"/></list>'),
  fc.constant('<!-- a comment with <trace> inside -->'),
);
const event = fc.array(eventChild, { maxLength: 5 }).map((children) => `<event>${children.join('')}</event>`);
const traceChild = fc.oneof(
  { weight: 4, arbitrary: event },
  { weight: 1, arbitrary: attribute('concept:name', ['case-1', 'case-2', 'case-3', '']) },
  { weight: 1, arbitrary: attribute('channel', ['web', 'phone']) },
  { weight: 1, arbitrary: fc.constant('<![CDATA[ <trace> in CDATA ]]>') },
);
const trace = fc.array(traceChild, { maxLength: 8 }).map((children) => `<trace>\n  ${children.join('\n  ')}\n</trace>`);
const rootChild = fc.oneof(
  { weight: 6, arbitrary: trace },
  { weight: 1, arbitrary: fc.constant('<!-- <trace><event/></trace> in a comment -->') },
  { weight: 1, arbitrary: fc.constant('<string key="log-level" value="ignored"/>') },
  { weight: 1, arbitrary: fc.constant('<event><string key="concept:name" value="outside a trace"/></event>') },
);
/** A flaw that makes the document not well-formed, somewhere in it. */
const flaw = fc.constantFrom('', '', '', '</event>', '<trace>', 'text', '<string key="k" value="a<b"/>', '&bogus;');

const document = fc.record({
  children: fc.array(rootChild, { maxLength: 25 }),
  flaw,
  flawAt: fc.nat(),
}).map(({ children, flaw, flawAt }) => {
  const body = children.join('\n');
  const at = body.length === 0 ? 0 : flawAt % body.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<log xes.version="1.0">\n<extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>\n${body.slice(0, at)}${flaw}${body.slice(at)}\n</log>\n`;
});

let files = 0;
async function read(xes: string, options: { readThreads?: number; readBlockBytes?: number }): Promise<unknown> {
  const file = path.join(folder, `log-${files++}.xes`);
  writeFileSync(file, xes);
  try {
    return await ingestEventLog({ path: file, format: 'xes' }, { now: NOW, ...options });
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    rmSync(file);
  }
}

describe('the XES read in blocks', () => {
  it('gives the log (or the error, at the same position) of the read on one thread wherever the blocks are cut', async () => {
    await fc.assert(
      fc.asyncProperty(document, fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 3 }), async (xes, blockBytes, threads) => {
        const alone = await read(xes, {});
        expect(await read(xes, { readThreads: threads, readBlockBytes: blockBytes })).toEqual(alone);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a document of many blocks, a trace cut over chunks and comments holding traces included', async () => {
    const traces = Array.from({ length: 600 }, (_, i) =>
      `<trace><string key="concept:name" value="c${i % 211}"/>${i % 9 === 0 ? '<!-- <trace> -->' : ''}` +
      `<event><string key="concept:name" value="step ${i % 7}"/><date key="time:timestamp" value="2024-03-0${1 + (i % 9)}T10:00:00Z"/></event>` +
      `<event><string key="concept:name" value="end"/><date key="time:timestamp" value="2024-03-1${i % 10}T10:00:00Z"/><string key="org:resource" value="r${i % 4}"/></event></trace>\n`);
    const xes = `<log>\n${traces.join('')}<!-- ${traces.slice(1, 3).join('')} -->\n</log>\n`;
    const alone = (await read(xes, {})) as { log: { eventCount: number } };
    expect(alone.log.eventCount).toBe(1200);
    for (const readBlockBytes of [300, 4096, 50_000]) expect(await read(xes, { readThreads: 2, readBlockBytes })).toEqual(alone);
  });
});
