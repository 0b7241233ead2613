import { describe, it, expect } from '@jest/globals';
import { analyzeLog } from './analyze-log.js';
import { discoverDfgForMap } from './dfg.js';
import { syntheticLog } from '../testing/synthetic-log.js';

describe('scale', () => {
  it('runs every analysis on a 1,000,000-event log with consistent totals (speed: see bench/)', () => {
    // 100,000 cases of 10 events, with 60 resources for the resource-utilization figures.
    const log = syntheticLog(100_000, 10, { resourceCount: 60 });
    const { figures, perCase } = analyzeLog(log, {
      performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'],
      includeAnomalyDetection: true,
      generateInsights: true,
      timeWindow: { startDate: '2023-01-01', mode: 'intersecting' },
    });
    const map = discoverDfgForMap(log, { maxActivities: 15, maxEdges: 30 });
    expect(figures.summary.eventCount).toBe(1_000_000);
    expect(figures.dfg.edges.reduce((sum, e) => sum + e.count, 0)).toBe(900_000);
    expect(figures.variants.variants.reduce((sum, v) => sum + v.caseCount, 0)).toBe(100_000);
    expect(perCase.eventSecondsSincePrevious).toHaveLength(1_000_000);
    expect(map.nodes).toHaveLength(15);
    expect(map.edges.length).toBeLessThanOrEqual(30);
  });
});
