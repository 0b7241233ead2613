import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { analyzeLog, parseAnalysisOptions } from './analyze-log.js';
import { eventLogFromRows } from '../testing/event-log-from-rows.js';
import { resourceUtilization } from './performance.js';

describe('performance with start timestamps', () => {
  // Case 1: a 09:00-09:30, b starts 10:00 (waits 30 min), c starts 10:30 but b ends 11:00 (overlap: waits 0).
  // Case 2: a 08:00-08:10, b starts 09:10 (waits 60 min); c has no start timestamp (not measured).
  const log = eventLogFromRows([
    { case: '1', activity: 'a', start: '2024-05-01T09:00:00Z', timestamp: '2024-05-01T09:30:00Z', resource: 'r1' },
    { case: '1', activity: 'b', start: '2024-05-01T10:00:00Z', timestamp: '2024-05-01T11:00:00Z', resource: 'r2' },
    { case: '1', activity: 'c', start: '2024-05-01T10:30:00Z', timestamp: '2024-05-01T11:15:00Z', resource: 'r2' },
    { case: '2', activity: 'a', start: '2024-05-01T08:00:00Z', timestamp: '2024-05-01T08:10:00Z', resource: 'r1' },
    { case: '2', activity: 'b', start: '2024-05-01T09:10:00Z', timestamp: '2024-05-01T09:20:00Z' },
    { case: '2', activity: 'c', timestamp: '2024-05-01T09:50:00Z', resource: 'r1' },
  ]);
  const { figures, perCase } = analyzeLog(log, { performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'] });

  it('measures true waiting time, flagged as not approximate', () => {
    const waiting = figures.performance.waitingTime!;
    expect(waiting.approximation).toBe(false);
    expect(waiting.perActivity).toEqual([
      { activity: 'b', count: 2, meanSeconds: 2700, medianSeconds: 2700, maxSeconds: 3600 },
      { activity: 'c', count: 1, meanSeconds: 0, medianSeconds: 0, maxSeconds: 0 },
    ]);
  });

  it('measures cycle time from the first start', () => {
    expect(figures.summary.hasStartTimestamps).toBe(true);
    expect(figures.summary.firstTimestamp).toBe('2024-05-01T08:00:00.000Z');
    expect(Array.from(perCase.caseDurationSeconds)).toEqual([8100, 6600]); // 09:00-11:15, 08:00-09:50
    expect(figures.performance.cycleTime).toMatchObject({ basis: 'start', meanSeconds: 7350, medianSeconds: 7350, p90Seconds: 7950 });
  });

  it('counts workload and skips handovers involving events without a resource', () => {
    const util = figures.performance.resourceUtilization!;
    expect(util.eventsWithoutResource).toBe(1);
    expect(util.resources.map((r) => [r.resource, r.eventCount, r.caseCount, r.eventSharePercent])).toEqual([
      ['r1', 3, 2, 50],
      ['r2', 2, 1, 33.3333],
    ]);
    expect(util.resources[0]!.activeSpanSeconds).toBe(6000); // 08:10 .. 09:50
    expect(util.handovers).toEqual([{ from: 'r1', to: 'r2', count: 1 }]);
  });
});

describe('analysis options from job parameters', () => {
  it('reads valid parameters', () => {
    const { options, problems } = parseAnalysisOptions({
      timeWindow: { startDate: '2024-01-01', mode: 'intersecting' },
      performanceMetrics: ['cycle_time', 'cycle_time', 'waiting_time'],
      includeAnomalyDetection: true,
      generateInsights: false,
      expectedStartActivities: ['a'],
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      timeWindow: { startDate: '2024-01-01', mode: 'intersecting' },
      performanceMetrics: ['cycle_time', 'waiting_time'],
      includeAnomalyDetection: true,
      generateInsights: false,
      expectedStartActivities: ['a'],
    });
  });

  it('reports field-level problems', () => {
    const { problems } = parseAnalysisOptions({
      performanceMetrics: ['speed'],
      includeAnomalyDetection: 'yes',
      rareVariantShare: 2,
      expectedEndActivities: [],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'parameters.performanceMetrics',
      'parameters.includeAnomalyDetection',
      'parameters.rareVariantShare',
      'parameters.expectedEndActivities',
    ]);
  });
});

describe('handovers of work (random logs)', () => {
  it('counts every pair of consecutive events by different resources, ordered by count, from, to', () => {
    const row = fc.record({
      case: fc.constantFrom('1', '2', '3'),
      activity: fc.constantFrom('a', 'b'),
      minute: fc.nat({ max: 300 }),
      resource: fc.option(fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r10'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 50 }), (rows) => {
        const log = eventLogFromRows(
          rows.map((r) => ({ case: r.case, activity: r.activity, timestamp: new Date(Date.UTC(2024, 0, 1) + r.minute * 60_000).toISOString(), ...(r.resource && { resource: r.resource }) })),
        );
        const expected = new Map<string, { from: string; to: string; count: number }>();
        for (let c = 0; c < log.caseCount; c++) {
          for (let i = log.caseOffsets[c]! + 1; i < log.caseOffsets[c + 1]!; i++) {
            const [from, to] = [log.eventResource[i - 1]!, log.eventResource[i]!];
            if (from < 0 || to < 0 || from === to) continue;
            const key = `${from}>${to}`;
            const entry = expected.get(key) ?? { from: log.resources[from]!, to: log.resources[to]!, count: 0 };
            entry.count++;
            expected.set(key, entry);
          }
        }
        const order = (x: { from: string; to: string; count: number }, y: typeof x): number =>
          y.count - x.count || (x.from < y.from ? -1 : x.from > y.from ? 1 : 0) || (x.to < y.to ? -1 : x.to > y.to ? 1 : 0);
        expect(resourceUtilization(log).handovers).toEqual([...expected.values()].sort(order));
      }),
      { numRuns: 1_000 },
    );
  });
});
