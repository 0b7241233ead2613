import { describe, expect, it } from '@jest/globals';
import { analyzeLog, discoverDfgForMap } from '../analysis/index.js';
import { formatDurationShort } from '../format/duration.js';
import { runningExampleLog } from '../testing/running-example.js';
import { inlineScript, jsonScript } from './html.js';
import { defaultActivityCount, edgesShownAt, MAP_DEFAULT, planReportMap, type MapPageData } from './report-map.js';
import { collapseRepeats, runLabel, variantExplorerData } from './variant-explorer.js';

const log = runningExampleLog();
const analysis = analyzeLog(log, {});
const { page, defaultGraph } = planReportMap(analysis.log, analysis.figures.dfg);

/** The edges the page draws at a level, by the rule the page script follows. */
function edgesAtLevel(data: MapPageData, k: number, pathsPercent: number): [string, string][] {
  const level = data.levels[k - 1]!;
  const rest = data.edges.map((e, i) => ({ e, i })).filter(({ e, i }) => e.source < k && e.target < k && !level.reserved.includes(i));
  const shown = [...level.reserved, ...rest.slice(0, Math.round((pathsPercent / 100) * rest.length)).map(({ i }) => i)];
  return shown.map((i) => [data.activities[data.edges[i]!.source]!.name, data.activities[data.edges[i]!.target]!.name]);
}

describe('report map levels', () => {
  it('ranks the activities by frequency and offers one level per activity count', () => {
    expect(page.activities.map((a) => a.name)).toEqual(discoverDfgForMap(log, { maxActivities: 100, maxEdges: 0 }).nodes.map((n) => n.activity));
    expect(page.levels).toHaveLength(8);
    expect(page.totalActivities).toBe(8);
    expect(page.levels[7]!.candidates).toBe(analysis.figures.dfg.edges.length);
  });

  it('keeps every kept activity connected at 0 % paths and reaches every edge at 100 %', () => {
    for (let k = 2; k <= page.levels.length; k++) {
      const edges = edgesAtLevel(page, k, 0);
      const kept = page.activities.slice(0, k).map((a) => a.name);
      for (const [from, to] of edges) expect(kept.includes(from) && kept.includes(to) && from !== to).toBe(true);
      expect(edgesAtLevel(page, k, 100)).toHaveLength(page.levels[k - 1]!.candidates);
    }
    // With all 8 activities each has an edge in (or from the start) and out (or to the end).
    const atZero = edgesAtLevel(page, 8, 0);
    for (const activity of page.activities) {
      expect(atZero.some(([from]) => from === activity.name) || activity.endCount > 0).toBe(true);
      expect(atZero.some(([, to]) => to === activity.name) || activity.startCount > 0).toBe(true);
    }
    expect(page.activities.find((a) => a.name === 'register request')!.startCount).toBe(6);
  });

  it('draws at its default level exactly the pruned map the job reports', () => {
    const { activities, pathsPercent } = page.defaults;
    expect(activities).toBe(8);
    expect(pathsPercent).toBe(MAP_DEFAULT.pathsPercent);
    const level = page.levels[activities - 1]!;
    const expected = discoverDfgForMap(log, { maxActivities: activities, maxEdges: edgesShownAt(level.reserved.length, level.candidates, pathsPercent) });
    expect(defaultGraph).toEqual(expected);
    expect(new Set(edgesAtLevel(page, activities, pathsPercent).map((e) => e.join(' → ')))).toEqual(
      new Set(defaultGraph.edges.map((e) => `${e.source} → ${e.target}`)),
    );
  });

  it('is the same map from the measures the analyses shared as from its own', () => {
    const timed = analyzeLog(log, { performanceMetrics: ['waiting_time'] });
    const shared = planReportMap(timed.log, timed.figures.dfg, timed.measures);
    const own = planReportMap(timed.log, timed.figures.dfg);
    expect(shared.page).toEqual(own.page);
    expect(shared.defaultGraph).toEqual(own.defaultGraph);
    expect(shared.withDefaultActivities(2).defaultGraph).toEqual(own.withDefaultActivities(2).defaultGraph);
  });

  it('keeps the activities holding 98 % of the events, at most 30', () => {
    expect(defaultActivityCount([50, 30, 15, 4, 1])).toBe(4);
    expect(defaultActivityCount([50, 50])).toBe(2);
    expect(defaultActivityCount(Array.from({ length: 40 }, () => 10))).toBe(30);
    expect(defaultActivityCount([])).toBe(0);
  });

  it('carries the performance labels and encodings the page draws', () => {
    const slowest = analysis.figures.dfg.edges.reduce((a, b) => (b.performance.meanSeconds > a.performance.meanSeconds ? b : a));
    const view = page.edges.find((e) => page.activities[e.source]!.name === slowest.source && page.activities[e.target]!.name === slowest.target)!;
    expect(view.mean).toBe(formatDurationShort(slowest.performance.meanSeconds));
    expect(view.median).toBe(formatDurationShort(slowest.performance.medianSeconds));
    expect(view.meanWidth).toBe(6);
    expect(view.meanColor).toBe('#c62828');
    // No start timestamps in the running example: no service times, and the page says so.
    expect(page.hasServiceTimes).toBe(false);
    expect(page.activities.every((a) => a.serviceTime === null)).toBe(true);
  });
});

describe('variant explorer data', () => {
  it('collapses back-to-back repeats and writes them as "name ×n"', () => {
    const runs = collapseRepeats(['a', 'a', 'a', 'b', 'a', 'c', 'c']);
    expect(runs).toEqual([
      { activity: 'a', times: 3 },
      { activity: 'b', times: 1 },
      { activity: 'a', times: 1 },
      { activity: 'c', times: 2 },
    ]);
    expect(runs.map(runLabel)).toEqual(['a ×3', 'b', 'a', 'c ×2']);
    expect(collapseRepeats([])).toEqual([]);
  });

  it('lists each variant with its cases, their size, duration and span', () => {
    const data = variantExplorerData(analysis.figures.variants, analysis.log, analysis.perCase);
    expect(data.variantCount).toBe(6);
    expect(data.variants).toHaveLength(6);
    for (const [v, variant] of data.variants.entries()) {
      const figures = analysis.figures.variants.variants[v]!;
      expect(variant.id).toBe(figures.id);
      expect(variant.runs).toEqual(figures.activities);
      expect(variant.cases).toHaveLength(1);
      const [caseId, events, duration, start, end] = variant.cases[0]!;
      const c = log.caseIds.indexOf(caseId);
      expect(analysis.perCase.variantIds[c]).toBe(figures.id);
      expect(events).toBe(figures.activities.length);
      expect(duration).toBe(formatDurationShort(analysis.perCase.caseDurationSeconds[c]!));
      expect((Date.parse(end) - Date.parse(start)) / 1000).toBeCloseTo(analysis.perCase.caseDurationSeconds[c]!, 3);
      expect(end).toBe(new Date(log.eventTimestamp[log.caseOffsets[c + 1]! - 1]!).toISOString());
    }
  });
});

describe('inline scripts', () => {
  it('cannot be ended or confused by the source or the data they carry', () => {
    const script = inlineScript('var s = "</script><script>alert(1)</script>"; // <!-- x');
    expect(script.match(/<\/script/gi)).toHaveLength(1);
    expect(script).not.toContain('<!--');
    const data = { name: '</script><b>"&\u2028' };
    const json = jsonScript('report-data', data);
    expect(json.match(/<\/script/gi)).toHaveLength(1);
    const body = json.slice(json.indexOf('>') + 1, json.lastIndexOf('</script>'));
    expect(JSON.parse(body)).toEqual(data);
  });
});
