/**
 * Once per test run, before any suite: the PGlite templates that test/support/pglite-templates.ts
 * hands out, in a folder named by PM_TEST_PGLITE_TEMPLATES: `data/` (an initialised data folder)
 * and `memory.tar` (its dump, for in-memory databases). Plain JavaScript, since Jest loads it
 * outside the test modules' resolver.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// In a child process: initdb leaves the process that runs it about 500 MB larger.
const MAKE_TEMPLATES = `
import { PGlite } from '@electric-sql/pglite';
import { writeFileSync } from 'node:fs';
const [folder, dumpFile] = process.argv.slice(1);
const db = await PGlite.create(folder);
writeFileSync(dumpFile, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
await db.close();
`;

export default async function globalSetup() {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'pm-test-run-'));
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', MAKE_TEMPLATES, path.join(folder, 'data'), path.join(folder, 'memory.tar')], { timeout: 180_000 });
  process.env.PM_TEST_PGLITE_TEMPLATES = folder;
}
