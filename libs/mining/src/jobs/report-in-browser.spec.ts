/**
 * Opens the ProcessMining HTML report in headless Chromium through Playwright and drives
 * its controls: the page must load without console or page errors and without any network
 * request, the sliders and the view switch must change the drawn map, the variant explorer
 * must list variants with repeats collapsed and show a variant's cases, and on BPIC 2012
 * every label must fit its box and the default map a 1400 px window. Without scripts the
 * static map must still show.
 *
 * Chromium comes from the Debian package (`apt-get install -y chromium`); without it the
 * tests are skipped loudly, except on CI (CI=true) where they fail.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { executeJob } from './index.js';
import type { JobExecutionResult } from '../job-execution.contract.js';
import { BPIC_2012_XES_GZ, RUNNING_EXAMPLE_CSV } from '../../../../test/support/fixtures.js';
import { CHROMIUM, CHROMIUM_ARGS, describeWithChromium as describeChromium } from '../../../../test/support/headless-chromium.js';

const describeWithChromium = describeChromium('the report-in-browser tests');
const WINDOW = { width: 1400, height: 900 };

interface OpenedReport {
  readonly page: Page;
  readonly problems: string[];
  readonly requests: string[];
}

describeWithChromium('ProcessMining report in headless Chromium', () => {
  let workDir: string;
  let withScripts: BrowserContext;
  let withoutScripts: BrowserContext;
  let runningExample: { url: string; result: JobExecutionResult };
  let bpic: { url: string; result: JobExecutionResult };

  async function runReport(name: string, dataset: { path: string; format: 'csv' | 'xes.gz' }, analysisType: string): Promise<{ url: string; result: JobExecutionResult }> {
    const outputDir = path.join(workDir, name);
    await mkdir(outputDir);
    const result = await executeJob(
      { jobType: 'ProcessMining', parameters: { datasetId: '880e8400-e29b-41d4-a716-446655440000', analysisType }, dataset, outputDir, title: name },
      () => undefined,
    );
    const report = result.artifacts.find((a) => a.primary)!;
    return { url: pathToFileURL(path.join(outputDir, report.fileName)).href, result };
  }

  async function open(context: BrowserContext, url: string): Promise<OpenedReport> {
    const page = await context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(url, { waitUntil: 'load' });
    return { page, problems, requests };
  }

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(os.tmpdir(), 'mining-report-browser-'));
    [runningExample, bpic] = await Promise.all([
      runReport('running-example', { path: RUNNING_EXAMPLE_CSV, format: 'csv' }, 'comprehensive'),
      runReport('bpic2012', { path: BPIC_2012_XES_GZ, format: 'xes.gz' }, 'discovery'),
    ]);
    const launch = (userDataDir: string, javaScriptEnabled: boolean): Promise<BrowserContext> =>
      chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: WINDOW, javaScriptEnabled });
    withScripts = await launch(path.join(workDir, 'profile-scripts'), true);
    withoutScripts = await launch(path.join(workDir, 'profile-no-scripts'), false);
  }, 120_000);

  afterAll(async () => {
    await withScripts?.close();
    await withoutScripts?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const liveNodes = (page: Page): Promise<number> => page.locator('#map-live svg.process-map g.node:not(.terminal)').count();
  const liveEdges = (page: Page): Promise<number> => page.locator('#map-live svg.process-map g.edge').count();

  it('loads without console errors, page errors or any request but the report itself, and draws the map', async () => {
    const { page, problems, requests } = await open(withScripts, runningExample.url);
    expect(problems).toEqual([]);
    expect(requests).toEqual([runningExample.url]);
    await expect(page.locator('#process-map .map-static').isHidden()).resolves.toBe(true);
    // Every activity of the running example, each with its name and event count.
    const names = await page.locator('#map-live g.node:not(.terminal)').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-activity')));
    expect(names.sort()).toEqual(
      ['check ticket', 'decide', 'examine casually', 'examine thoroughly', 'pay compensation', 'register request', 'reinitiate request', 'reject request'],
    );
    await expect(page.locator('#map-live g.node[data-activity="check ticket"] text').allTextContents()).resolves.toEqual(['check ticket', '9']);
    await page.close();
  });

  it('draws fewer activities when the activity slider moves down (by keyboard)', async () => {
    const { page, problems } = await open(withScripts, runningExample.url);
    const slider = page.getByRole('slider', { name: 'Activities' });
    await expect(slider.inputValue()).resolves.toBe('8');
    expect(await liveNodes(page)).toBe(8);
    await slider.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await liveNodes(page)).toBe(6);
    await page.keyboard.press('Home');
    expect(await liveNodes(page)).toBe(1);
    await expect(page.locator('#map-activities-value').textContent()).resolves.toBe('1 of 8 activities');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('draws fewer paths when the path slider moves down', async () => {
    const { page, problems } = await open(withScripts, runningExample.url);
    const slider = page.getByRole('slider', { name: 'Paths' });
    await slider.fill('100');
    const all = await liveEdges(page);
    await expect(page.locator('#map-paths-value').textContent()).resolves.toMatch(/^(\d+) of \1 paths$/);
    await slider.fill('0');
    const fewest = await liveEdges(page);
    expect(fewest).toBeLessThan(all);
    // At 0 % every activity still has an edge in and out (from the start, to the end or another activity).
    const ends = await page.locator('#map-live g.edge').evaluateAll((groups) => groups.map((g) => [g.getAttribute('data-from'), g.getAttribute('data-to')]));
    const names = await page.locator('#map-live g.node:not(.terminal)').evaluateAll((groups) => groups.map((g) => g.getAttribute('data-activity')));
    for (const name of names) {
      expect(ends.some(([from, to]) => from === name && to !== name)).toBe(true);
      expect(ends.some(([from, to]) => to === name && from !== name)).toBe(true);
    }
    expect(problems).toEqual([]);
    await page.close();
  });

  it('switches to the performance view with durations on the edges, mean or median', async () => {
    const { page, problems } = await open(withScripts, runningExample.url);
    const edgeLabels = (): Promise<string[]> => page.locator('#map-live g.edge text.edge-label').allTextContents();
    const frequencyLabels = await edgeLabels();
    expect(frequencyLabels.every((label) => /^\d[\d,]*$/.test(label))).toBe(true);
    await expect(page.getByRole('radio', { name: 'Median' }).isDisabled()).resolves.toBe(true);
    await page.getByRole('radio', { name: 'Performance' }).check();
    const meanLabels = await edgeLabels();
    const duration = /^\d+(\.\d)? (s|m|h|d)( \d+ (s|m))?$/;
    expect(meanLabels.length).toBeGreaterThan(0);
    for (const label of meanLabels) expect(label).toMatch(duration);
    await expect(page.locator('#map-live svg.process-map').getAttribute('aria-label')).resolves.toMatch(/performance view/);
    await expect(page.locator('#map-legend').textContent()).resolves.toMatch(/mean time between the completions/);
    // The running example has no start times: the legend says why boxes show counts only.
    await expect(page.locator('#map-legend').textContent()).resolves.toMatch(/no start times/);
    await page.getByRole('radio', { name: 'Median' }).check();
    const medianLabels = await edgeLabels();
    for (const label of medianLabels) expect(label).toMatch(duration);
    expect(medianLabels).not.toEqual(meanLabels);
    await page.getByRole('radio', { name: 'Frequency' }).check();
    await expect(edgeLabels()).resolves.toEqual(frequencyLabels);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('lists the variants and shows the cases of the one chosen', async () => {
    const { page, problems } = await open(withScripts, runningExample.url);
    const rows = page.locator('#variant-explorer table.variant-table tbody tr');
    await expect(rows.count()).resolves.toBe(6);
    await expect(page.locator('#variant-explorer .needs-script').count()).resolves.toBe(0);
    const variants = (runningExample.result.figures['variants'] as { variants: { id: string; activities: string[] }[] }).variants;
    const third = variants[2]!;
    await expect(rows.nth(2).locator('.variant-runs .run').allTextContents()).resolves.toEqual(third.activities);
    await page.getByRole('button', { name: `Show the cases of variant ${third.id}`, exact: true }).click();
    await expect(page.locator('#variant-cases h3').textContent()).resolves.toBe(`Cases of ${third.id}`);
    const cases = page.locator('#variant-cases tbody tr');
    await expect(cases.count()).resolves.toBe(1); // every case of the running example is its own variant
    const cells = await cases.first().locator('td').allTextContents();
    expect(cells[1]).toBe(String(third.activities.length));
    expect(cells[3]! <= cells[4]!).toBe(true);
    await expect(page.getByRole('button', { name: `Show the cases of variant ${third.id}`, exact: true }).getAttribute('aria-pressed')).resolves.toBe('true');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the static map and says the explorer needs scripts when scripts are off', async () => {
    const { page, problems, requests } = await open(withoutScripts, runningExample.url);
    expect(problems).toEqual([]);
    expect(requests).toEqual([runningExample.url]);
    await expect(page.locator('#process-map .map-static svg g.node').count()).resolves.toBe(8 + 2);
    await expect(page.locator('#process-map .map-static').isVisible()).resolves.toBe(true);
    await expect(page.locator('#process-map .map-controls').isHidden()).resolves.toBe(true);
    await expect(page.locator('#process-map .map-static').textContent()).resolves.toContain('check ticket');
    await expect(page.locator('#variant-explorer .needs-script').isVisible()).resolves.toBe(true);
    await page.close();
  });

  describe('on BPIC 2012', () => {
    /** Labels whose text box leaves their node's box, as "label: text box vs node box". */
    async function overflowingLabels(page: Page, nodeSelector: string, shapeSelector: string): Promise<string[]> {
      type Measurable = { getBBox(): { x: number; y: number; width: number; height: number } };
      return page.locator(nodeSelector).evaluateAll(
        (groups, shape) =>
          groups.flatMap((group) => {
            const box = (group.querySelector(shape) as unknown as Measurable | null)?.getBBox();
            if (!box) return [];
            return [...group.querySelectorAll('text')].flatMap((text) => {
              const t = (text as unknown as Measurable).getBBox();
              const inside = t.x >= box.x - 0.5 && t.y >= box.y - 0.5 && t.x + t.width <= box.x + box.width + 0.5 && t.y + t.height <= box.y + box.height + 0.5;
              return inside ? [] : [`${text.textContent}: ${JSON.stringify(t)} vs ${JSON.stringify(box)}`];
            });
          }),
        shapeSelector,
      );
    }

    it('fits every label in its box and the default map in a 1400 px window, at every view', async () => {
      const { page, problems, requests } = await open(withScripts, bpic.url);
      expect(problems).toEqual([]);
      expect(requests).toEqual([bpic.url]);
      const processMap = bpic.result.figures['processMap'] as { nodes: unknown[]; edges: unknown[] };
      // The page opens on the level the job reports in its figures and draws as the static map, or on fewer
      // activities if that is still wider than the window with the browser's fonts.
      const opened = await liveNodes(page);
      expect(opened).toBeGreaterThan(processMap.nodes.length / 2);
      expect(opened).toBeLessThanOrEqual(processMap.nodes.length);
      if (opened === processMap.nodes.length) {
        await expect(page.locator('#map-paths-value').textContent()).resolves.toMatch(new RegExp(`^${processMap.edges.length} of \\d+ paths$`));
      }
      const fits = {
        width: await page.locator('#map-live svg.process-map').evaluate((svg) => svg.getBoundingClientRect().width),
        container: await page.locator('#map-live').evaluate((div) => div.clientWidth),
        pageWidth: await page.locator('html').evaluate((html) => html.scrollWidth),
      };
      expect(fits.width).toBeLessThanOrEqual(fits.container);
      expect(fits.pageWidth).toBeLessThanOrEqual(WINDOW.width);
      await expect(overflowingLabels(page, '#map-live g.node:not(.terminal)', 'rect')).resolves.toEqual([]);
      await page.getByRole('radio', { name: 'Performance' }).check();
      await expect(overflowingLabels(page, '#map-live g.node:not(.terminal)', 'rect')).resolves.toEqual([]);
      // Every activity the log has (under its classifier), every path.
      const allActivities = (bpic.result.figures['processMap'] as { totalActivities: number }).totalActivities;
      await page.getByRole('slider', { name: 'Activities' }).fill(String(allActivities));
      await page.getByRole('slider', { name: 'Paths' }).fill('100');
      await expect(liveNodes(page)).resolves.toBe(allActivities);
      await expect(overflowingLabels(page, '#map-live g.node:not(.terminal)', 'rect')).resolves.toEqual([]);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('collapses repeated activities in the variant explorer and bounds the cases it lists', async () => {
      const { page, problems } = await open(withScripts, bpic.url);
      const variants = (bpic.result.figures['variants'] as { variantCount: number; variants: { id: string; activities: string[]; caseCount: number }[] }).variants;
      // The first variant that repeats an activity back to back.
      const index = variants.findIndex((v) => v.activities.some((a, i) => a === v.activities[i + 1]));
      const looping = variants[index]!;
      const expected: string[] = [];
      for (let i = 0; i < looping.activities.length; ) {
        let j = i;
        while (looping.activities[j + 1] === looping.activities[i]) j++;
        expected.push(j > i ? `${looping.activities[i]} ×${j - i + 1}` : looping.activities[i]!);
        i = j + 1;
      }
      const row = page.locator('#variant-explorer table.variant-table tbody tr').nth(index);
      await expect(row.locator('.variant-runs .run').allTextContents()).resolves.toEqual(expected);
      expect(expected.some((run) => / ×\d+$/.test(run))).toBe(true);
      // V1 has thousands of cases: the explorer lists the first 200 and says how many there are.
      await page.getByRole('button', { name: 'Show the cases of variant V1', exact: true }).click();
      await expect(page.locator('#variant-cases tbody tr').count()).resolves.toBe(Math.min(200, variants[0]!.caseCount));
      await expect(page.locator('#variant-cases .note').textContent()).resolves.toBe(`The first 200 of ${variants[0]!.caseCount.toLocaleString('en-US')} cases (in log order).`);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('keeps labels inside their boxes on the static map too', async () => {
      const { page, problems } = await open(withoutScripts, bpic.url);
      expect(problems).toEqual([]);
      await expect(page.locator('.map-static svg g.node').count()).resolves.toBeGreaterThan(2);
      await expect(overflowingLabels(page, '.map-static svg g.node', 'path, polygon')).resolves.toEqual([]);
      // The static map's own width (CSS would scale a wider one down to fit).
      const width = await page.locator('.map-static svg').evaluate((svg) => (svg as unknown as { width: { baseVal: { value: number } } }).width.baseVal.value);
      const container = await page.locator('.map-static').evaluate((div) => div.clientWidth);
      expect(width).toBeLessThanOrEqual(container);
      await page.close();
    });

    it('stays a file of a few MB', async () => {
      const html = await readFile(new URL(bpic.url), 'utf8');
      expect(Buffer.byteLength(html)).toBeLessThan(3 * 1024 * 1024);
    });
  });
});
