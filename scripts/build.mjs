// Compiles apps/, libs/, bench/ and test/support/ (benchmarks start the service through it)
// to dist/ with SWC (legacy decorators + metadata, ESM), and bundles the web dashboard
// (packages/dashboard) with Vite into dist/dashboard. The output is built beside dist/
// and swapped in, so a service running from dist/ never sees it half-written. Then the packages
// (packages/sdk, packages/cli) into their own dist/ with tsc -b: strict, with declarations,
// incremental (quick when nothing changed).
// `--if-missing` skips the build when dist/ exists (for quick commands like `npm run token`).
import { execFileSync } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';

if (process.argv.includes('--if-missing') && existsSync('dist')) process.exit(0);
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
} finally {
  rmSync(next, { recursive: true, force: true });
  rmSync(previous, { recursive: true, force: true });
}
