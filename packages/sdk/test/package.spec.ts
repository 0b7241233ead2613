/**
 * `npm pack` makes a tarball another project can install and use: built JavaScript and
 * declarations, no sources or tests; a strict TypeScript consumer compiles against it and a
 * plain Node consumer runs it.
 */
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = process.cwd();
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the SDK package', () => {
  it('packs into a tarball that installs and works in another project', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sdk-pack-'));
    try {
      const [packed] = JSON.parse(execFileSync(NPM, ['pack', '--json', '--pack-destination', dir], { cwd: path.join(ROOT, 'packages/sdk'), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
      const files = (packed.files as Array<{ path: string }>).map((f) => f.path);
      expect(files).toEqual(expect.arrayContaining(['package.json', 'openapi.json', 'dist/index.js', 'dist/index.d.ts', 'dist/api-types.d.ts']));
      expect(files.filter((f) => !f.startsWith('dist/') && !['package.json', 'openapi.json', 'README.md'].includes(f))).toEqual([]);

      // Installed as npm would: the package under node_modules, its dependency beside it.
      const modules = path.join(dir, 'consumer/node_modules');
      mkdirSync(path.join(modules, '@pmjobs'), { recursive: true });
      execFileSync('tar', ['-xzf', path.join(dir, packed.filename), '-C', path.join(modules, '@pmjobs')]);
      renameSync(path.join(modules, '@pmjobs/package'), path.join(modules, '@pmjobs/sdk'));
      for (const dependency of ['openapi-fetch', 'openapi-typescript-helpers']) {
        if (existsSync(path.join(ROOT, 'node_modules', dependency))) symlinkSync(path.join(ROOT, 'node_modules', dependency), path.join(modules, dependency), 'dir');
      }
      const consumer = path.join(dir, 'consumer');
      writeFileSync(path.join(consumer, 'package.json'), '{"type":"module","private":true}\n');
      writeFileSync(path.join(consumer, 'use.ts'), [
        "import { PmJobsClient, isTerminal, type JobStatus, type SubmitJobRequest } from '@pmjobs/sdk';",
        "const body: SubmitJobRequest = { jobName: 'n', jobType: 'Analysis', parameters: { datasetId: 'd', analysisType: 'statistics' }, scheduling: { scheduledTime: '2030-01-01T00:00:00Z' } };",
        "const client = new PmJobsClient({ baseUrl: 'http://localhost:3000', token: 't', tenantId: 'a', projectId: 'b' });",
        'export async function run(): Promise<boolean> { const job: JobStatus = await client.getJob((await client.submit(body)).jobId); return isTerminal(job.status); }',
        '',
      ].join('\n'));
      writeFileSync(path.join(consumer, 'tsconfig.json'), JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2023'],
          types: ['node'], typeRoots: [path.join(ROOT, 'node_modules/@types')],
        },
        files: ['use.ts'],
      }));
      execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', consumer], { encoding: 'utf8' });

      writeFileSync(path.join(consumer, 'run.mjs'), [
        "import { PmJobsClient } from '@pmjobs/sdk';",
        "const seen = [];",
        "const fetch = async (request) => { seen.push(`${request.method} ${request.url} ${request.headers.get('authorization')}`);",
        "  return new Response(JSON.stringify({ jobId: 'j', status: 'Completed' }), { headers: { 'Content-Type': 'application/json' } }); };",
        "const client = new PmJobsClient({ baseUrl: 'http://service.test/', token: 'tok', tenantId: 't', projectId: 'p', fetch });",
        "const job = await client.getJob('j');",
        'console.log(JSON.stringify({ status: job.status, seen }));',
        '',
      ].join('\n'));
      const output = JSON.parse(execFileSync(process.execPath, [path.join(consumer, 'run.mjs')], { cwd: consumer, encoding: 'utf8' }));
      expect(output).toEqual({ status: 'Completed', seen: ['GET http://service.test/api/t/p/execution/job/j Bearer tok'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
