/**
 * The real `pmjobs` binary (node_modules/.bin/pmjobs, linked by the npm workspace) run as a
 * child process against the real built server: login, upload, submit, watch (exit code by
 * outcome), list, results with downloads, cancel, retry, status; no ANSI bars without a terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { filesNamed } from '../../../test/support/files-named.js';
import { RUNNING_EXAMPLE_CSV } from '../../../test/support/fixtures.js';
import { useServiceWithRunningExample, type ServiceFixture } from '../../../test/support/service-fixture.js';

const TENANT = '6e5d4c3b-1111-4111-8111-0123456789ab';
const PROJECT = '6e5d4c3b-2222-4222-8222-0123456789ab';
const PMJOBS = path.resolve('node_modules/.bin/pmjobs');
const ANSI_ESCAPE = '\u001b[';
const home = mkdtempSync(path.join(os.tmpdir(), 'pmjobs-cli-'));
const CONFIG = path.join(home, 'config', 'pmjobs.json');

let fixture: ServiceFixture;
useServiceWithRunningExample({ tenant: TENANT, project: PROJECT, subject: 'cli-user' }, (ready) => (fixture = ready));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function pmjobsWith(config: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(PMJOBS, args, { env: { ...process.env, PMJOBS_CONFIG: config }, timeout: 50_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

function pmjobs(...args: string[]): Promise<Run> {
  return pmjobsWith(CONFIG, args);
}

async function json(...args: string[]): Promise<any> {
  const run = await pmjobs(...args, '--json');
  if (run.code !== 0) throw new Error(`pmjobs ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

async function submitStatistics(datasetId: string, ...extra: string[]): Promise<string> {
  const submitted = await json('jobs', 'submit', '--name', 'CLI statistics', '--type', 'Analysis', '--dataset', datasetId, '-p', 'analysisType=statistics', ...extra);
  return submitted.jobId;
}

beforeAll(async () => {
  const login = await pmjobs('login', '--url', fixture.service.url, '--token', fixture.token);
  if (login.code !== 0) throw new Error(`pmjobs login failed: ${login.stderr}`);
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('pmjobs', () => {
  it('logs in: checks the token, keeps it with the address in a file only its owner reads', async () => {
    const config = path.join(home, 'login-test', 'config.json');
    const refused = await pmjobsWith(config, ['login', '--url', fixture.service.url, '--token', 'not-a-token', '--tenant', TENANT, '--project', PROJECT]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/HTTP 401/);
    expect(existsSync(config)).toBe(false);
    const run = await pmjobsWith(config, ['login', '--url', `${fixture.service.url}/`, '--token', fixture.token]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cli-user');
    expect(JSON.parse(readFileSync(config, 'utf8'))).toEqual({ url: fixture.service.url, token: fixture.token, tenantId: TENANT, projectId: PROJECT });
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const notLoggedIn = await pmjobsWith(path.join(home, 'nobody.json'), ['status']);
    expect(notLoggedIn.code).toBe(1);
    expect(notLoggedIn.stderr).toMatch(/not logged in/);
  });

  it('uploads, submits, watches to Completed (exit 0), lists, and downloads the results named by job', async () => {
    const upload = await pmjobs('datasets', 'upload', RUNNING_EXAMPLE_CSV, '--name', 'from the cli');
    expect(upload.code).toBe(0);
    expect(upload.stdout + upload.stderr).not.toContain(ANSI_ESCAPE);
    const datasetId = /datasetId\s+(\S+)/.exec(upload.stdout)![1]!;
    expect(upload.stdout).toMatch(/cases\s+6/);

    const jobId = await submitStatistics(datasetId);
    const watch = await pmjobs('jobs', 'watch', jobId, '--interval', '100');
    expect(watch.stderr).toBe('');
    expect(watch.code).toBe(0);
    expect(watch.stdout).not.toContain(ANSI_ESCAPE);
    expect(watch.stdout.trim().split('\n').at(-1)).toMatch(/^Completed 100% /);

    const list = await json('jobs', 'list', '--status', 'Completed', '--type', 'Analysis', '--page-size', '100');
    expect(list.jobs.map((j: { jobId: string }) => j.jobId)).toContain(jobId);
    expect((await json('jobs', 'list', '--status', 'Failed')).jobs.map((j: { jobId: string }) => j.jobId)).not.toContain(jobId);
    const table = await pmjobs('jobs', 'list');
    expect(table.stdout).toContain(jobId);
    expect(table.stdout).not.toContain(ANSI_ESCAPE);

    const dir = path.join(home, 'downloads');
    const results = await pmjobs('jobs', 'results', jobId, '--download', dir);
    expect(results.code).toBe(0);
    const saved = readdirSync(dir);
    expect(saved).toContain(`cli-statistics-${jobId.slice(0, 8)}-analysis-report.html`);
    for (const name of saved) {
      expect(name.startsWith(`cli-statistics-${jobId.slice(0, 8)}-`)).toBe(true);
      expect(statSync(path.join(dir, name)).size).toBeGreaterThan(0);
    }
    expect((await json('jobs', 'results', jobId)).summary.recordsProcessed).toBe(42);
  });

  it('watch exits 2 when the job Failed, and retry makes a new attempt', async () => {
    const dataset = await json('datasets', 'upload', RUNNING_EXAMPLE_CSV);
    // Without its files the job cannot read the log; one attempt, so no automatic retry follows.
    for (const file of filesNamed(fixture.service.dataDir, dataset.datasetId)) rmSync(file);
    const jobId = await submitStatistics(dataset.datasetId, '--max-attempts', '1');
    const watch = await pmjobs('jobs', 'watch', jobId, '--interval', '100');
    expect(watch.code).toBe(2);
    expect(watch.stdout).toMatch(/^Failed: /m);
    const failed = await pmjobs('jobs', 'watch', jobId, '--json');
    expect(failed.code).toBe(2);
    expect(JSON.parse(failed.stdout).status).toBe('Failed');
    const retried = await json('jobs', 'retry', jobId, '--reason', 'again', '--priority', 'High');
    expect(retried).toMatchObject({ retryOf: jobId, attempt: 2, priority: 'High' });
  });

  it('cancels a scheduled job; watch then exits 3', async () => {
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const jobId = await submitStatistics(fixture.datasetId, '--at', later);
    const cancelled = await json('jobs', 'cancel', jobId, '--reason', 'not needed');
    expect(cancelled).toMatchObject({ jobId, status: 'Cancelled', cancellation: { reason: 'not needed' }, scheduling: { scheduledTime: later } });
    expect((await pmjobs('jobs', 'watch', jobId)).code).toBe(3);
    const again = await pmjobs('jobs', 'cancel', jobId);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/HTTP 409/);
  });

  it('submits the reference\'s request body from a JSON file, flags winning over it', async () => {
    const file = path.join(home, 'job.json');
    writeFileSync(file, JSON.stringify({
      jobName: 'Weekly Process Analysis', jobDescription: 'Automated weekly analysis of process performance', jobType: 'ProcessMining', priority: 'Normal',
      resource: { resourceType: 'Pipeline', resourceId: '770e8400-e29b-41d4-a716-446655440000' },
      parameters: { datasetId: fixture.datasetId, analysisType: 'comprehensive', includeAnomalyDetection: true, outputFormat: 'detailed_report' },
      scheduling: { executeImmediately: true, scheduledTime: new Date(Date.now() + 3_600_000).toISOString(), timeoutMinutes: 120 },
      notifications: { onCompletion: true, onFailure: true, emailRecipients: ['analyst@company.com'] },
    }));
    const submitted = await json('jobs', 'submit', '-f', file, '--priority', 'Low', '--timeout', '30');
    expect(submitted).toMatchObject({ status: 'Queued', jobName: 'Weekly Process Analysis', priority: 'Low' });
    const job = (await json('jobs', 'cancel', submitted.jobId, '--reason', 'only a test'));
    expect(job).toMatchObject({ jobType: 'ProcessMining', scheduling: { timeoutMinutes: 30 }, parameters: { outputFormat: 'detailed_report' } });
  });

  it('shows the system status, and names the bad field of a refused submit', async () => {
    expect((await json('status')).systemStatus).toMatch(/^(Healthy|Degraded|Unhealthy)$/);
    const bad = await pmjobs('jobs', 'submit', '--type', 'Analysis', '--dataset', fixture.datasetId);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/HTTP 400.*jobName/);
  });
});
