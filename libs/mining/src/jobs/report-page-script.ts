/**
 * The scripts an interactive report inlines: the dagre graph-layout library (MIT, from
 * node_modules, with its licence notice) and the report's own page script
 * (`report-page.browser.js`, plain browser JavaScript beside this file). Both are read once
 * per process. Source-map comments are dropped: the report must reference no other file.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inlineScript, jsonScript } from './html.js';

/** Element id of the JSON the page script reads. */
export const REPORT_DATA_ID = 'report-data';

let cachedScripts: Promise<string> | undefined;

function withoutSourceMapComments(source: string): string {
  return source.replace(/^\/\/# sourceMappingURL=.*$/gm, '').replace(/^\/\*! For license information please see .*\*\/$/gm, '');
}

async function loadScripts(): Promise<string> {
  const require = createRequire(import.meta.url);
  const dagreDir = path.join(path.dirname(require.resolve('@dagrejs/dagre/package.json')), 'dist');
  const [dagre, licence, page] = await Promise.all([
    readFile(path.join(dagreDir, 'dagre.min.js'), 'utf8'),
    readFile(path.join(dagreDir, 'dagre.min.js.LEGAL.txt'), 'utf8'),
    readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), 'report-page.browser.js'), 'utf8'),
  ]);
  return inlineScript(`${licence.trim()}\n${withoutSourceMapComments(dagre).trim()}`) + '\n' + inlineScript(withoutSourceMapComments(page).trim()) + '\n';
}

/** The data element and the scripts, to place at the end of the page body. */
export async function reportPageScripts(data: unknown): Promise<string> {
  if (cachedScripts === undefined) {
    cachedScripts = loadScripts().catch((error: unknown) => {
      cachedScripts = undefined;
      throw error;
    });
  }
  return `${jsonScript(REPORT_DATA_ID, data)}\n${await cachedScripts}`;
}
