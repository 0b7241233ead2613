/** The up-to-date check `npm start` uses to start from the last build: real files in a temporary folder. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_STAMP, buildInputsDigest, isBuildCurrent } from '../../scripts/build-inputs.mjs';

let root: string;
const write = (relative: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
  writeFileSync(path.join(root, relative), text);
};
/** What the build does once it has compiled: stamp dist/ with the digest of its inputs. */
const stampBuild = () => write(`dist/${BUILD_STAMP}`, `${buildInputsDigest(root)}\n`);

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'build-inputs-'));
  write('apps/api/src/main.ts', 'export const a = 1;\n');
  write('libs/auth/src/token.ts', 'export const b = 2;\n');
  write('test/support/wait-for.ts', 'export const c = 3;\n');
  write('tsconfig.json', '{}\n');
  write('package-lock.json', '{"lockfileVersion":3}\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('isBuildCurrent', () => {
  it('is false without a build, true right after one', () => {
    expect(isBuildCurrent(root)).toBe(false);
    mkdirSync(path.join(root, 'dist'));
    expect(isBuildCurrent(root)).toBe(false);
    stampBuild();
    expect(isBuildCurrent(root)).toBe(true);
  });

  it('is false once a source, tsconfig or the lock file changes, or a source is added or removed', () => {
    for (const change of [
      () => write('libs/auth/src/token.ts', 'export const b = 3;\n'),
      () => write('tsconfig.json', '{"compilerOptions":{}}\n'),
      () => write('package-lock.json', '{"lockfileVersion":3,"packages":{}}\n'),
      () => write('libs/auth/src/new-file.ts', 'export {};\n'),
      () => write('test/support/extra.json', '{}\n'),
      () => rmSync(path.join(root, 'apps/api/src/main.ts')),
    ]) {
      stampBuild();
      change();
      expect(isBuildCurrent(root)).toBe(false);
    }
  });

  it('stays true for a new modification time without new content, a spec file and what runs write under bench/results', () => {
    stampBuild();
    const later = new Date(Date.now() + 60_000);
    utimesSync(path.join(root, 'libs/auth/src/token.ts'), later, later);
    write('libs/auth/src/token.spec.ts', 'it.todo("not built");\n');
    write('bench/results/tmp/run.json', '{}\n');
    expect(isBuildCurrent(root)).toBe(true);
  });

  it('tells a renamed file from its old name', () => {
    stampBuild();
    rmSync(path.join(root, 'apps/api/src/main.ts'));
    write('apps/api/src/main2.ts', 'export const a = 1;\n');
    expect(isBuildCurrent(root)).toBe(false);
  });
});
