// What a build of dist/ is made from, and whether dist/ was built from what is there now:
// `npm start` starts from the last build when nothing it was made from has changed.
// Content, not modification times: a checkout or a `touch` that changes no byte rebuilds nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** Folders compiled (and copied) into dist/ or the packages' own dist/, and the files that decide how. */
export const BUILD_INPUT_FOLDERS = ['apps', 'libs', 'bench', 'test/support', 'packages'];
export const BUILD_INPUT_FILES = ['.swcrc', 'tsconfig.json', 'package-lock.json', 'scripts/build.mjs', 'scripts/build-inputs.mjs'];
/** Written there by runs and builds, not sources. */
const NOT_INPUTS = new Set(['bench/results']);
const NOT_INPUT_NAMES = new Set(['dist', 'node_modules', 'test', 'tsconfig.tsbuildinfo']);
/** Written into dist/ by the build: the digest of the inputs it was made from. */
export const BUILD_STAMP = '.build-inputs';

/** SHA-256 over every input's path and bytes, in a fixed order (spec files are not built, so they do not count). */
export function buildInputsDigest(root) {
  const hash = createHash('sha256');
  const add = (relative) => {
    hash.update(`${relative}\0`);
    hash.update(readFileSync(path.join(root, relative)));
    hash.update('\0');
  };
  for (const file of BUILD_INPUT_FILES) if (existsSync(path.join(root, file))) add(file);
  for (const folder of BUILD_INPUT_FOLDERS) {
    for (const file of filesUnder(root, folder)) if (!file.endsWith('.spec.ts')) add(file);
  }
  return hash.digest('hex');
}

/** True when `dist` holds a build stamped with the digest of the inputs as they are now. */
export function isBuildCurrent(root, dist = 'dist') {
  const stamp = path.join(root, dist, BUILD_STAMP);
  if (!existsSync(stamp)) return false;
  return readFileSync(stamp, 'utf8').trim() === buildInputsDigest(root);
}

function filesUnder(root, folder) {
  if (!existsSync(path.join(root, folder))) return [];
  const found = [];
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = `${relative}/${entry.name}`;
      if (NOT_INPUTS.has(child) || (relative.startsWith('packages/') && NOT_INPUT_NAMES.has(entry.name))) continue;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() || (entry.isSymbolicLink() && statSync(path.join(root, child)).isFile())) found.push(child);
    }
  };
  walk(folder);
  return found;
}
