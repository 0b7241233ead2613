import { describe, it, expect } from '@jest/globals';
import type { EventLog } from '../event-log.js';
import { analyzeLog } from './analyze-log.js';
import { discoverDfgForMap } from './dfg.js';

/** A synthetic log built straight into typed arrays: 100,000 cases of 10 events. */
function syntheticLog(caseCount: number, eventsPerCase: number): EventLog {
  const n = caseCount * eventsPerCase;
  const activities = Array.from({ length: 25 }, (_, i) => `activity ${i}`);
  const resources = Array.from({ length: 60 }, (_, i) => `resource ${i}`);
  const eventCase = new Uint32Array(n);
  const eventActivity = new Uint32Array(n);
  const eventResource = new Int32Array(n);
  const eventTimestamp = new Float64Array(n);
  const eventRow = new Uint32Array(n);
  const caseOffsets = new Uint32Array(caseCount + 1);
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let c = 0; c < caseCount; c++) {
    caseOffsets[c + 1] = (c + 1) * eventsPerCase;
    let t = Date.UTC(2023, 0, 1) + c * 60_000;
    for (let k = 0; k < eventsPerCase; k++) {
      const i = c * eventsPerCase + k;
      eventCase[i] = c;
      // Mostly a fixed path with some random detours, so there are many variants and some rework.
      eventActivity[i] = random() < 0.8 ? k : Math.floor(random() * activities.length);
      eventResource[i] = Math.floor(random() * resources.length);
      t += Math.floor(random() * 86_400_000);
      eventTimestamp[i] = t;
      eventRow[i] = i;
    }
  }
  return {
    eventCount: n,
    caseCount,
    caseIds: Array.from({ length: caseCount }, (_, c) => `case-${c}`),
    activities,
    resources,
    eventCase,
    eventActivity,
    eventResource,
    eventTimestamp,
    eventStart: null,
    eventRow,
    caseOffsets,
    extraColumns: [],
  };
}

describe('scale', () => {
  it('runs every analysis on a 1,000,000-event log with consistent totals (speed: see bench/)', () => {
    const log = syntheticLog(100_000, 10);
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
