import { describe, it, expect } from '@jest/globals';
import { discoverDfgForMap, directlyFollowsGraph } from './dfg.js';
import { generateInsights } from './insights.js';
import { analyzeLog } from './analyze-log.js';
import { eventLogFromRows, type EventRow } from '../testing/event-log-from-rows.js';
import { runningExampleLog } from '../testing/running-example.js';

const T0 = Date.parse('2024-06-01T00:00:00Z');

/** Cases from (activities, seconds between consecutive events) pairs. */
function casesWithGaps(specs: readonly { activities: string[]; gaps: number[] }[]): EventRow[] {
  const rows: EventRow[] = [];
  specs.forEach((spec, index) => {
    let t = T0 + index * 1000;
    spec.activities.forEach((activity, k) => {
      if (k > 0) t += spec.gaps[k - 1]! * 1000;
      rows.push({ case: `c${index}`, activity, timestamp: new Date(t).toISOString() });
    });
  });
  return rows;
}

describe('directly-follows graph', () => {
  it('uses the source-row order for equal timestamps and leaves stdev null for single observations', () => {
    const log = eventLogFromRows([
      { case: '1', activity: 'x', timestamp: '2024-01-01T00:00:00Z' },
      { case: '1', activity: 'y', timestamp: '2024-01-01T00:00:00Z' },
      { case: '1', activity: 'z', timestamp: '2024-01-01T00:00:10Z' },
    ]);
    const dfg = directlyFollowsGraph(log);
    expect(dfg.edges.map((e) => [e.source, e.target, e.count, e.performance.meanSeconds, e.performance.stdevSeconds])).toEqual([
      ['x', 'y', 1, 0, null],
      ['y', 'z', 1, 10, null],
    ]);
  });
});

describe('process map pruning', () => {
  it('keeps everything when within limits', () => {
    const map = discoverDfgForMap(runningExampleLog(), { maxActivities: 50, maxEdges: 100 });
    expect(map.nodes).toHaveLength(8);
    expect(map.droppedActivities).toBe(0);
    expect(map.droppedEdges).toBe(0);
    expect(map.edges.length).toBe(map.totalEdges);
    expect(map.edges[0]).toMatchObject({ source: 'check ticket', target: 'decide', count: 6 });
  });

  it('keeps the top activities and the strongest paths, without dangling nodes', () => {
    const map = discoverDfgForMap(runningExampleLog(), { maxActivities: 4, maxEdges: 4 });
    // Top 4 by frequency: check ticket 9, decide 9, examine casually 6, register request 6.
    expect(map.nodes.map((n) => n.activity)).toEqual(['check ticket', 'decide', 'examine casually', 'register request']);
    expect(map.nodes[0]).toMatchObject({ frequency: 9, caseFrequency: 6 });
    expect(map.edges).toHaveLength(4);
    expect(map.droppedActivities).toBe(4);
    const kept = new Set(map.nodes.map((n) => n.activity));
    for (const e of map.edges) expect(kept.has(e.source) && kept.has(e.target)).toBe(true);
    for (const node of map.nodes) {
      const touched = map.edges.some((e) => e.source === node.activity || e.target === node.activity);
      expect(touched).toBe(true);
    }
    expect(map.startEdges).toEqual([{ activity: 'register request', count: 6 }]);
    expect(map.endEdges).toEqual([]); // pay compensation / reject request were dropped
  });
});

describe('insights', () => {
  const log = eventLogFromRows(
    casesWithGaps([
      { activities: ['a', 'b', 'c'], gaps: [60, 3600] },
      { activities: ['a', 'b', 'c'], gaps: [120, 7200] },
      { activities: ['a', 'b', 'b', 'c'], gaps: [60, 30, 1800] },
      { activities: ['a', 'c'], gaps: [999999] }, // slowest edge, but seen once only
    ]),
  );
  const { figures } = analyzeLog(log, { generateInsights: true });
  const insights = figures.insights!;

  it('names the slowest repeated transition as the bottleneck', () => {
    const bottlenecks = insights.filter((i) => i.kind === 'bottleneck');
    expect(bottlenecks[0]!.figures).toMatchObject({ source: 'b', target: 'c', count: 3, meanSeconds: 4200, medianSeconds: 3600 });
    expect(bottlenecks[0]!.message).toBe(
      "The slowest transition is 'b' → 'c': mean 1.2 h, median 1 h, max 2 h over 3 occurrences.",
    );
    expect(bottlenecks.some((i) => i.figures['target'] === 'c' && i.figures['source'] === 'a')).toBe(false);
  });

  it('reports variant coverage, rework hotspots and slow activities', () => {
    expect(insights.find((i) => i.kind === 'top_variants')!.figures).toMatchObject({
      variantCount: 3,
      topCaseCount: 4,
      mostFrequentVariantId: 'V1',
      mostFrequentCaseCount: 2,
      mostFrequentCoveragePercent: 50,
    });
    const rework = insights.filter((i) => i.kind === 'rework_hotspot');
    expect(rework).toHaveLength(1);
    expect(rework[0]!.message).toBe("'b' is repeated in 1 of 4 cases (25%), with 1 extra execution in total.");
    const slow = insights.filter((i) => i.kind === 'slow_activity');
    // c waits 3600, 7200, 1800, 999999 -> mean 253149.75.
    expect(slow[0]!.figures).toMatchObject({ activity: 'c', count: 4, meanSeconds: 253149.75, approximation: 'true' });
    expect(slow[0]!.message).toContain('no start timestamps');
  });

  it('returns no bottleneck on a log without transitions', () => {
    const single = analyzeLog(eventLogFromRows([{ case: '1', activity: 'a', timestamp: '2024-01-01T00:00:00Z' }]), {
      generateInsights: true,
    }).figures;
    expect(generateInsights({ caseCount: 1, dfg: single.dfg, variants: single.variants, rework: single.rework, waitingTime: { approximation: true, definition: '', perActivity: [] } }).map((i) => i.kind)).toEqual(['top_variants']);
  });
});
