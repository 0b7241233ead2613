/**
 * Opens the ProcessMining HTML report in headless Chromium: the page must load without
 * console errors and show the inline process-map SVG. Chromium comes from the Debian
 * package (`apt-get install -y chromium`); without it the test is skipped loudly, except
 * on CI (CI=true) where it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { executeJob } from './index.js';
import { RUNNING_EXAMPLE_CSV } from '../../../../test/support/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  if (process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is missing on CI: apt-get install -y chromium`);
  console.warn(`SKIPPED: ${CHROMIUM} not found; install it with "apt-get install -y chromium" to run the report-in-browser test`);
}

function runChromium(args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

describe('ProcessMining report in headless Chromium', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'mining-report-browser-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  (hasChromium ? it : it.skip)('loads without console errors and shows the process map', async () => {
    const outputDir = path.join(workDir, 'out');
    await import('node:fs/promises').then((fs) => fs.mkdir(outputDir));
    const result = await executeJob(
      {
        jobType: 'ProcessMining',
        parameters: { datasetId: '880e8400-e29b-41d4-a716-446655440000', analysisType: 'comprehensive' },
        dataset: { path: RUNNING_EXAMPLE_CSV, format: 'csv' },
        outputDir,
        title: 'Running Example',
      },
      () => undefined,
    );
    const report = result.artifacts.find((a) => a.primary)!;
    const url = pathToFileURL(path.join(outputDir, report.fileName)).href;
    const { stdout, stderr } = await runChromium([
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${path.join(workDir, 'profile')}`,
      '--enable-logging=stderr',
      '--v=0',
      '--dump-dom',
      url,
    ]);
    // Page console messages are logged as `CONSOLE(line)] "message", source: ...`.
    const consoleErrors = stderr.split('\n').filter((line) => /CONSOLE|Uncaught|Failed to load resource|Refused to/i.test(line));
    expect(consoleErrors).toEqual([]);
    expect(stdout).toContain('id="process-map"');
    expect(stdout).toMatch(/<div class="map"><svg[\s\S]*?class="node"/);
    expect(stdout).toContain('check ticket');
  });
});
