/**
 * One initialised PGlite database per test run, made by test/support/global-setup.mjs, for
 * the suites to copy instead of running initdb: that takes 3–7 s on a 2-core machine, and
 * many suites open a new database per test or start servers on new data folders. The
 * service's own first start (initdb on an empty folder) stays covered by the suites that
 * ask for a fresh store.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { openSqlClient, type SqlClient } from '../../libs/event-store/src/postgres/sql-client.js';

/** Names the folder holding the templates: `data/` (a data folder) and `memory.tar` (its dump). */
const PGLITE_TEMPLATES_ENV = 'PM_TEST_PGLITE_TEMPLATES';

function templates(): string | undefined {
  const folder = process.env[PGLITE_TEMPLATES_ENV];
  return folder && existsSync(path.join(folder, 'data', 'PG_VERSION')) ? folder : undefined;
}

let memoryTemplate: Blob | undefined;

/** A new, empty in-memory database (by initdb when the run has no template). */
export async function openMemoryPglite(): Promise<SqlClient> {
  const folder = templates();
  if (folder && !memoryTemplate) memoryTemplate = new Blob([readFileSync(path.join(folder, 'memory.tar'))]);
  return openSqlClient({ kind: 'pglite', initialDataDir: memoryTemplate });
}

/**
 * Puts an initialised, empty embedded database where the service looks for it
 * (`<dataDir>/pglite`); without a template the service runs initdb itself.
 */
export function seedEmbeddedStore(dataDir: string, pgliteFolder = path.join(dataDir, 'pglite')): void {
  const folder = templates();
  if (folder && !existsSync(pgliteFolder)) cpSync(path.join(folder, 'data'), pgliteFolder, { recursive: true });
}
