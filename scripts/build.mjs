// Compiles apps/, libs/, bench/ and test/support/ (benchmarks start the service through it)
// to dist/ with SWC (legacy decorators + metadata, ESM), and bundles the web dashboard
// (packages/dashboard) with Vite into dist/dashboard. The output is built beside dist/
// and swapped in, so a service running from dist/ never sees it half-written. Then the packages
// (packages/sdk, packages/cli) into their own dist/ with tsc -b: strict, with declarations,
// incremental (quick when nothing changed).
// `--if-changed` (or `--if-missing`) skips the build when dist/ was built from the sources as
// they are (the stamp build-inputs.mjs writes and checks), for `npm start` and `npm run token`.
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BUILD_STAMP, buildInputsDigest, isBuildCurrent } from './build-inputs.mjs';

const onlyIfChanged = process.argv.includes('--if-changed') || process.argv.includes('--if-missing');
if (onlyIfChanged && isBuildCurrent('.')) process.exit(0);
// Taken before compiling: a source edited meanwhile makes the next check rebuild.
const digest = buildInputsDigest('.');
const next = `dist.next-${process.pid}`;
const previous = `dist.previous-${process.pid}`;
try {
  execFileSync(
    process.execPath,
    ['node_modules/@swc/cli/bin/swc.js', 'apps', 'libs', 'bench', 'test/support', '-d', next, '--copy-files', '--quiet',
      '--ignore', '**/*.spec.ts'],
    { stdio: 'inherit' },
  );
  const { build: bundle } = await import('vite');
  await bundle({
    configFile: 'packages/dashboard/vite.config.ts', logLevel: 'warn',
    build: { outDir: path.resolve(next, 'dashboard'), emptyOutDir: true },
  });
  if (existsSync('dist')) renameSync('dist', previous);
  renameSync(next, 'dist');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-b', 'packages/sdk', 'packages/cli'], { stdio: 'inherit' });
  // Stamped last: a build that failed anywhere is built again next time.
  writeFileSync(path.join('dist', BUILD_STAMP), `${digest}\n`);
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}
