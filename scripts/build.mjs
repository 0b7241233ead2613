// Compiles apps/, libs/, bench/ and test/support/ (benchmarks start the service through it) to dist/ with SWC (legacy decorators + metadata, ESM).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
execFileSync(
  process.execPath,
  ['node_modules/@swc/cli/bin/swc.js', 'apps', 'libs', 'bench', 'test/support', '-d', 'dist', '--copy-files', '--quiet',
   '--ignore', '**/*.spec.ts'],
  { stdio: 'inherit' },
);
