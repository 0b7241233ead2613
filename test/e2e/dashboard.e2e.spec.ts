/**
 * The web dashboard in headless Chromium against the built server process (embedded store,
 * its in-process worker running the jobs): local sign-in, an upload with its progress bar, a
 * submit whose progress bar reaches Completed through the live feed, the job's map, report
 * and downloads, cancelling a running job, the system page, and a viewer who sees no write
 * controls. Each page's screenshot goes to test-output/dashboard/ (git-ignored) to be looked at.
 * The pages must raise no page error and no console error (a refused script or style, say,
 * under the dashboard's Content-Security-Policy).
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { RUNNING_EXAMPLE_CSV } from '../support/fixtures.js';
import { filesNamed } from '../support/files-named.js';
import { writeGeneratedEventLog } from '../support/generated-event-log.js';
import { CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from '../support/headless-chromium.js';
import { api, removeDataDir, startServiceProcess, uploadDataset, waitFor, type ServiceProcess } from '../support/service-process.js';

const SCREENSHOTS = path.resolve('test-output/dashboard');
const LAPTOP = { width: 1366, height: 768 };
const WIDE_LAPTOP = { width: 1440, height: 900 };

describeWithChromium('the dashboard tests')('web dashboard', () => {
  let service: ServiceProcess;
  let browser: Browser;
  let workDir: string;
  const tenant = randomUUID();
  const project = randomUUID();
  const base = `/api/${tenant}/${project}`;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    workDir = mkdtempSync(path.join(os.tmpdir(), 'pm-dashboard-'));
    [service, browser] = await Promise.all([
      startServiceProcess({ EMBEDDED_WORKER_CAPACITY: '2' }),
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    if (service) removeDataDir(service.dataDir);
    rmSync(workDir, { recursive: true, force: true });
  });

  /** A page at laptop size that records every page error and console error. */
  async function openDashboard(viewport = LAPTOP): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    await page.goto(`${service.url}/dashboard/`);
    return { context, page, problems };
  }

  const screenshot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const rowOf = (page: Page, jobName: string) => page.locator('table.jobs tbody tr', { hasText: jobName });

  it('serves its own files with a strict policy, and /dashboard leads to /dashboard/', async () => {
    const index = await fetch(`${service.url}/dashboard/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await index.text();
    // Every script and stylesheet comes from the service itself.
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((s) => !s.startsWith('data:'));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source.startsWith('/dashboard/')).toBe(true);
    const redirect = await fetch(`${service.url}/dashboard`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/dashboard/');
  });

  it('mints a local token only for a request on this machine, and names a bad field', async () => {
    const body = JSON.stringify({ tenantId: tenant, projectId: project, subject: 'someone', role: 'viewer' });
    const post = (headers: Record<string, string>, payload = body) => new Promise<number>((resolve, reject) => {
      const request = http.request(`${service.url}/dashboard/local-sign-in`, {
        method: 'POST', headers: { 'Content-Type': 'application/json', ...headers },
      }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on('error', reject);
      request.end(payload);
    });
    expect(await post({})).toBe(201);
    // Another host name (a DNS-rebinding page) or a forwarded request (a proxy in front): refused.
    expect(await post({ Host: 'dashboard.example.com' })).toBe(403);
    expect(await post({ 'X-Forwarded-For': '203.0.113.9' })).toBe(403);
    const bad = await api(service.url, null, 'POST', '/dashboard/local-sign-in', { tenantId: 'nope', projectId: project, subject: 'x', role: 'root' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['role', 'tenantId']);
  });

  it('an operator signs in locally, uploads a dataset, submits, watches it complete, opens the map and cancels a running job', async () => {
    const { context, page, problems } = await openDashboard();
    await page.getByRole('heading', { name: 'Local sign-in' }).waitFor();
    await page.getByLabel('Tenant').fill(tenant);
    await page.getByLabel('Project').fill(project);
    await page.getByLabel('Your name').fill('analyst@company.com');
    await page.getByLabel('Role').selectOption('operator');
    await screenshot(page, '01-sign-in');
    await page.getByRole('button', { name: 'Sign in locally' }).click();
    await page.getByRole('heading', { name: 'Queue and jobs' }).waitFor();

    // Upload: the bar reaches 100 % and the dataset is described.
    await page.getByRole('link', { name: 'Datasets' }).click();
    await page.getByLabel('Event log file').setInputFiles(RUNNING_EXAMPLE_CSV);
    await page.getByRole('button', { name: 'Upload' }).click();
    const described = page.locator('[data-dataset-id]');
    await described.waitFor();
    expect(await page.getByRole('progressbar', { name: 'Upload progress' }).getAttribute('aria-valuenow')).toBe('100');
    const datasetId = (await described.getAttribute('data-dataset-id'))!;
    await expect(described.textContent()).resolves.toContain('42');
    await screenshot(page, '02-datasets');

    // Submit from the jobs page; the row's bar reaches 100 % and Completed while the page follows the feed.
    await page.getByRole('link', { name: 'Queue and jobs' }).click();
    await page.getByLabel('Job name').fill('Running example');
    expect(await page.getByLabel('Dataset id').inputValue()).toBe(datasetId);
    await page.getByRole('button', { name: 'Submit job' }).click();
    const row = rowOf(page, 'Running example');
    await row.locator('[data-status="Completed"]').waitFor({ timeout: 45_000 });
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    await expect(page.getByRole('status', { name: 'Updates: Live' }).count()).resolves.toBe(1);
    await screenshot(page, '03-jobs');

    // The job: its map drawn, its report inline, a download link per output, and one download.
    await row.getByRole('link', { name: 'Running example' }).click();
    await page.getByRole('heading', { name: 'Results' }).waitFor();
    const map = page.getByRole('img', { name: /Process map/ });
    await waitFor(() => map.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth > 0), 20_000, 100, 'the map to be drawn');
    // The report inline: its static view (the frame runs no scripts), headed by the job's name.
    await page.frameLocator('iframe[title="Job report"]').getByRole('heading', { level: 1 }).filter({ hasText: 'Running example' }).waitFor();
    const jobId = page.url().split('/').at(-1)!;
    const token = await service.token(tenant, [project], 'test');
    const results = await api(service.url, token, 'GET', `${base}/execution/job/${jobId}/results`);
    const outputs = [results.body.results.primaryOutput, ...results.body.results.additionalOutputs];
    await expect(page.locator('ul.downloads a').count()).resolves.toBe(outputs.length);
    const downloading = page.waitForEvent('download');
    await page.locator(`ul.downloads a[data-artifact-id="${results.body.results.primaryOutput.artifactId}"]`).click();
    expect((await downloading).suggestedFilename()).toMatch(/\.html$/);
    expect(await page.getByRole('heading', { name: 'Timeline' }).isVisible()).toBe(true);
    await expect(page.locator('.timeline li').count()).resolves.toBeGreaterThanOrEqual(3);
    await screenshot(page, '04-job-completed');

    // A job long enough to be caught running (its log parsed on the run: no imported copy), cancelled from its page.
    const bigLog = path.join(workDir, 'big.csv');
    await writeGeneratedEventLog(bigLog, 30_000, 20);
    const bigDataset = await uploadDataset(service, token, base, bigLog);
    for (const imported of filesNamed(service.dataDir, `${bigDataset}.events.arrow`)) rmSync(imported);
    const submitted = await api(service.url, token, 'POST', `${base}/execution/job`, {
      jobName: 'Long analysis', jobType: 'ProcessMining', parameters: { datasetId: bigDataset, analysisType: 'comprehensive' },
    });
    expect(submitted.status).toBe(201);
    await page.goto(`${service.url}/dashboard/#/jobs/${submitted.body.jobId}`);
    await page.locator('.page-head [data-status="Running"]').waitFor({ timeout: 30_000 });
    await page.getByLabel('Reason', { exact: true }).fill('not needed any more');
    await page.getByLabel('Force termination').check();
    await page.getByRole('button', { name: 'Cancel job' }).click();
    await page.locator('.page-head [data-status="Cancelled"]').waitFor({ timeout: 30_000 });
    expect((await api(service.url, token, 'GET', `${base}/execution/job/${submitted.body.jobId}`)).body.status).toBe('Cancelled');
    // A cancelled job offers a retry, with the reference's options.
    await page.getByRole('heading', { name: 'Retry' }).waitFor();
    await screenshot(page, '05-job-cancelled');

    await page.getByRole('link', { name: 'Nodes and system' }).click();
    await page.locator('tr[data-node-id]').first().waitFor();
    await page.locator('tr[data-projection="job_views"]').waitFor();
    await screenshot(page, '06-system');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('a viewer sees the project without write controls, and another tenant sees none of it', async () => {
    const operator = await service.token(tenant, [project], 'scheduler');
    const datasetId = await uploadDataset(service, operator, base);
    // Scheduled an hour ahead, so it stays Queued: an operator would see Cancel on it.
    const queued = await api(service.url, operator, 'POST', `${base}/execution/job`, {
      jobName: 'Scheduled later', jobType: 'Analysis', parameters: { datasetId, analysisType: 'statistics' },
      scheduling: { executeImmediately: false, scheduledTime: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect(queued.status).toBe(201);

    const { context, page, problems } = await openDashboard(WIDE_LAPTOP);
    await page.getByLabel('Bearer token').fill(await service.token(tenant, [project], 'auditor', ['viewer']));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const row = rowOf(page, 'Scheduled later');
    await row.locator('[data-status="Queued"]').waitFor();
    expect(await page.getByText('Submit a job').count()).toBe(0);
    await screenshot(page, '07-viewer-jobs');
    await row.getByRole('link', { name: 'Scheduled later' }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel job' }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Cancel' }).count()).toBe(0);
    await screenshot(page, '08-viewer-job');
    // By keyboard, from a fresh load (the session stays with the tab): the skip link first, then the pages, each a real link.
    await page.reload();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    const focused = page.locator(':focus');
    await page.keyboard.press('Tab');
    await expect(focused.textContent()).resolves.toBe('Skip to content');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(focused.textContent()).resolves.toBe('Datasets');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Describe a dataset' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Upload an event log' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign out' }).click();

    // Another tenant's viewer: the same project id shows nothing of this tenant's.
    await page.getByLabel('Bearer token').fill(await service.token(randomUUID(), [project], 'outsider', ['viewer']));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('link', { name: 'Queue and jobs' }).click();
    await page.getByText('No jobs match.').waitFor();
    await page.goto(`${service.url}/dashboard/#/jobs/${queued.body.jobId}`);
    await page.getByRole('alert').filter({ hasText: 'Not found' }).waitFor();
    expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    await context.close();
  }, 60_000);
});
