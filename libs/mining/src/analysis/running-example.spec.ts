import { describe, it, expect } from '@jest/globals';
import { analyzeLog } from './analyze-log.js';
import { runningExampleLog, runningExampleRows, rowsByCase } from '../testing/running-example.js';
import { RUNNING_EXAMPLE_FACTS } from '../testing/running-example-facts.js';
import type { DfgEdge } from './analysis.types.js';

const rows = runningExampleRows();
const log = runningExampleLog();
const all = analyzeLog(log, {
  performanceMetrics: ['cycle_time', 'waiting_time', 'resource_utilization'],
  includeAnomalyDetection: true,
  generateInsights: true,
});
const { figures } = all;

/** Independent reference statistics: plain arrays, Array.sort, textbook formulas. */
function reference(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const mean = s.reduce((x, y) => x + y, 0) / n;
  const median = n % 2 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  const stdev = n < 2 ? null : Math.sqrt(s.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1));
  return { count: n, mean, median, min: s[0]!, max: s[n - 1]!, stdev };
}

/** Directly-follows durations straight from the rows. */
function referencePairs(): Map<string, number[]> {
  const pairs = new Map<string, number[]>();
  for (const events of rowsByCase(rows).values()) {
    for (let i = 1; i < events.length; i++) {
      const key = `${events[i - 1]!.activity} -> ${events[i]!.activity}`;
      const list = pairs.get(key) ?? [];
      list.push((Date.parse(events[i]!.timestamp) - Date.parse(events[i - 1]!.timestamp)) / 1000);
      pairs.set(key, list);
    }
  }
  return pairs;
}

function edge(source: string, target: string): DfgEdge {
  const found = figures.dfg.edges.find((e) => e.source === source && e.target === target);
  if (!found) throw new Error(`no edge ${source} -> ${target}`);
  return found;
}

describe('analyses on the running example', () => {
  it('summarizes the log', () => {
    expect(figures.summary).toEqual({
      caseCount: RUNNING_EXAMPLE_FACTS.caseCount,
      eventCount: RUNNING_EXAMPLE_FACTS.eventCount,
      activityCount: RUNNING_EXAMPLE_FACTS.activityCount,
      resourceCount: RUNNING_EXAMPLE_FACTS.resourceCount,
      firstTimestamp: '2010-12-30T10:02:00.000Z', // case 1 register request, 11:02+01:00
      lastTimestamp: '2011-01-24T13:56:00.000Z', // case 5 reject request, 14:56+01:00
      meanEventsPerCase: 7,
      hasStartTimestamps: false,
    });
  });

  it('counts events, cases, starts and ends per activity', () => {
    const byName = Object.fromEntries(figures.activityStatistics.activities.map((a) => [a.activity, a]));
    expect(Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, v.eventFrequency]))).toEqual(RUNNING_EXAMPLE_FACTS.eventsPerActivity);
    expect(figures.activityStatistics.activities.map((a) => a.activity).slice(0, 2)).toEqual(['check ticket', 'decide']);
    expect(byName['examine casually']!.caseFrequency).toBe(4); // cases 2, 3, 5 (three times), 6
    expect(byName['reinitiate request']!.caseFrequency).toBe(2); // cases 3 and 5
    expect(byName['decide']!.caseFrequency).toBe(6);
    expect(byName['register request']).toMatchObject({ startCount: 6, endCount: 0 });
    expect(byName['pay compensation']).toMatchObject({ startCount: 0, endCount: 3 });
    expect(figures.activityStatistics.startActivities).toEqual([{ activity: 'register request', count: 6 }]);
    expect(figures.activityStatistics.endActivities).toEqual([
      { activity: 'pay compensation', count: 3 },
      { activity: 'reject request', count: 3 },
    ]);
  });

  it('builds the directly-follows graph with counts and performance', () => {
    expect(figures.dfg.edges[0]).toMatchObject({ source: 'check ticket', target: 'decide', count: 6 });
    expect(figures.dfg.startEdges).toEqual([{ activity: 'register request', count: 6 }]);
    expect(figures.dfg.endEdges).toEqual([
      { activity: 'pay compensation', count: 3 },
      { activity: 'reject request', count: 3 },
    ]);
    // 42 events in 6 cases -> 36 directly-follows pairs.
    expect(figures.dfg.edges.reduce((sum, e) => sum + e.count, 0)).toBe(36);

    // By hand: register -> examine casually in case 3 (34 min), 6 (64 min), 5 (25 h 14 min).
    const reg = edge('register request', 'examine casually');
    expect(reg.count).toBe(3);
    expect(reg.performance.minSeconds).toBe(2040);
    expect(reg.performance.medianSeconds).toBe(3840);
    expect(reg.performance.maxSeconds).toBe(90840);
    expect(reg.performance.meanSeconds).toBeCloseTo(32240, 6);
    expect(reg.performance.stdevSeconds).toBeCloseTo(Math.sqrt((30200 ** 2 + 28400 ** 2 + 58600 ** 2) / 2), 4);
    // By hand: decide -> pay compensation in case 3 (6 d 50 min), 2 (3 d 43 min), 6 (9 d − 5 h 5 min).
    const pay = edge('decide', 'pay compensation');
    expect(pay.performance).toMatchObject({ count: 3, medianSeconds: 521400, minSeconds: 261780, maxSeconds: 759300 });
    expect(pay.performance.meanSeconds).toBeCloseTo(514160, 6);

    // Every edge against a straightforward loop over the rows.
    const pairs = referencePairs();
    expect(figures.dfg.edges).toHaveLength(pairs.size);
    for (const e of figures.dfg.edges) {
      const ref = reference(pairs.get(`${e.source} -> ${e.target}`)!);
      expect(e.count).toBe(ref.count);
      expect(e.performance.meanSeconds).toBeCloseTo(ref.mean, 4);
      expect(e.performance.medianSeconds).toBeCloseTo(ref.median, 4);
      expect(e.performance.minSeconds).toBe(ref.min);
      expect(e.performance.maxSeconds).toBe(ref.max);
      if (ref.stdev === null) expect(e.performance.stdevSeconds).toBeNull();
      else expect(e.performance.stdevSeconds).toBeCloseTo(ref.stdev, 4);
    }
  });

  it('finds six variants, one per case, in case order', () => {
    const { variants } = figures;
    expect(variants.variantCount).toBe(RUNNING_EXAMPLE_FACTS.variantCount);
    expect(variants.variants.map((v) => v.id)).toEqual(['V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(variants.variants.map((v) => v.caseCount)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(variants.variants.map((v) => v.coveragePercent)).toEqual([16.6667, 16.6667, 16.6667, 16.6667, 16.6667, 16.6667]);
    expect(variants.variants.map((v) => v.cumulativeCoveragePercent)).toEqual([16.6667, 33.3333, 50, 66.6667, 83.3333, 100]);
    // Case 3 comes first in the file, so its variant is V1.
    expect(variants.variants[0]!.activities).toEqual([
      'register request',
      'examine casually',
      'check ticket',
      'decide',
      'reinitiate request',
      'examine thoroughly',
      'check ticket',
      'decide',
      'pay compensation',
    ]);
    expect(variants.variants[0]!.meanDurationSeconds).toBe(1368780);
    expect(log.caseIds).toEqual(['3', '2', '1', '6', '5', '4']);
    expect(all.perCase.variantIds).toEqual(['V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(Array.from(all.perCase.caseVariantIndex)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('measures cycle time per case and overall', () => {
    // By hand, cases 3, 2, 1, 6, 5, 4: last − first completion.
    expect(Array.from(all.perCase.caseDurationSeconds)).toEqual([1368780, 779580, 703320, 852300, 1576440, 520920]);
    expect(figures.performance.cycleTime).toEqual({
      basis: 'completion',
      caseCount: 6,
      meanSeconds: 966890,
      medianSeconds: 815940,
      p90Seconds: 1472610, // position 4.5 between 1368780 and 1576440
      minSeconds: 520920,
      maxSeconds: 1576440,
    });
  });

  it('approximates waiting time by the time since the previous event', () => {
    const waiting = figures.performance.waitingTime!;
    expect(waiting.approximation).toBe(true);
    const reference_ = new Map<string, number[]>();
    for (const events of rowsByCase(rows).values()) {
      for (let i = 1; i < events.length; i++) {
        const list = reference_.get(events[i]!.activity) ?? [];
        list.push((Date.parse(events[i]!.timestamp) - Date.parse(events[i - 1]!.timestamp)) / 1000);
        reference_.set(events[i]!.activity, list);
      }
    }
    expect(waiting.perActivity).toHaveLength(7); // register request is always first
    for (const a of waiting.perActivity) {
      const ref = reference(reference_.get(a.activity)!);
      expect(a.count).toBe(ref.count);
      expect(a.meanSeconds).toBeCloseTo(ref.mean, 4);
      expect(a.medianSeconds).toBeCloseTo(ref.median, 4);
      expect(a.maxSeconds).toBe(ref.max);
    }
    // Per-event view: first events NaN, the second event of case 3 after 34 minutes.
    expect(Number.isNaN(all.perCase.eventSecondsSincePrevious[0]!)).toBe(true);
    expect(all.perCase.eventSecondsSincePrevious[1]).toBe(2040);
  });

  it('measures resource workload and handover of work', () => {
    const util = figures.performance.resourceUtilization!;
    expect(util.resources.map((r) => [r.resource, r.eventCount])).toEqual([
      ['Sara', 12],
      ['Mike', 11],
      ['Ellen', 7],
      ['Pete', 7],
      ['Sean', 3],
      ['Sue', 2],
    ]);
    expect(util.eventsWithoutResource).toBe(0);
    const sara = util.resources[0]!;
    expect(sara.caseCount).toBe(6);
    expect(sara.eventSharePercent).toBeCloseTo((12 / 42) * 100, 3);
    // Sara: first decide 2011-01-05 11:22+01, last decide 2011-01-23 13:12+01.
    expect(sara.firstTimestamp).toBe('2011-01-05T10:22:00.000Z');
    expect(sara.lastTimestamp).toBe('2011-01-23T12:12:00.000Z');
    expect(sara.activeSpanSeconds).toBe(18 * 86400 + 110 * 60);

    const refHandovers = new Map<string, number>();
    for (const events of rowsByCase(rows).values()) {
      for (let i = 1; i < events.length; i++) {
        const [a, b] = [events[i - 1]!.resource!, events[i]!.resource!];
        if (a !== b) refHandovers.set(`${a}>${b}`, (refHandovers.get(`${a}>${b}`) ?? 0) + 1);
      }
    }
    expect(Object.fromEntries(util.handovers.map((h) => [`${h.from}>${h.to}`, h.count]))).toEqual(Object.fromEntries(refHandovers));
    // By hand: Sara hands over to Ellen after decide in cases 3, 2, 4 and after reinitiate in case 5.
    expect(util.handovers.find((h) => h.from === 'Sara' && h.to === 'Ellen')!.count).toBe(4);
    expect(util.handovers.some((h) => h.from === h.to)).toBe(false);
  });

  it('finds rework in cases 3 and 5', () => {
    expect(figures.rework).toEqual({
      perActivity: [
        { activity: 'check ticket', caseCount: 2, extraOccurrences: 3 },
        { activity: 'decide', caseCount: 2, extraOccurrences: 3 },
        { activity: 'examine casually', caseCount: 1, extraOccurrences: 2 },
        { activity: 'reinitiate request', caseCount: 1, extraOccurrences: 1 },
      ],
      reworkCaseCount: 2,
      reworkCasePercent: 33.3333,
    });
    expect(Array.from(all.perCase.caseRework)).toEqual([1, 0, 0, 0, 1, 0]);
  });

  it('flags only the rework cases as anomalies', () => {
    const anomalies = figures.anomalies!;
    expect(anomalies.caseDurationFences).toMatchObject({
      q1Seconds: 722385,
      q3Seconds: 1239660,
      iqrSeconds: 517275,
      upperFenceSeconds: 2015572.5,
      lowerFenceSeconds: -53527.5,
    });
    expect(anomalies.rareVariants.applied).toBe(false);
    expect(anomalies.expectedStartActivities).toEqual(['register request']);
    expect(anomalies.expectedEndActivities).toEqual(['pay compensation', 'reject request']);
    expect(anomalies.anomalies.map((a) => [a.caseId, a.kind])).toEqual([
      ['3', 'rework'],
      ['5', 'rework'],
    ]);
    expect(anomalies.anomalies[1]!.reason).toBe(
      "Case repeats activities: 'examine casually' 3 times, 'check ticket' 3 times, 'decide' 3 times, 'reinitiate request' 2 times.",
    );
    expect(anomalies.anomalousCaseCount).toBe(2);
    expect(Array.from(all.perCase.caseAnomalyFlags)).toEqual([4, 0, 0, 0, 4, 0]);
  });

  it('derives insights from the figures', () => {
    const insights = figures.insights!;
    const pairs = referencePairs();
    const slowest = [...pairs]
      .filter(([, d]) => d.length >= 2)
      .map(([k, d]) => [k, reference(d).mean] as const)
      .sort((a, b) => b[1] - a[1])[0]!;
    const bottleneck = insights.find((i) => i.kind === 'bottleneck')!;
    expect(`${bottleneck.figures['source']} -> ${bottleneck.figures['target']}`).toBe(slowest[0]);
    expect(bottleneck.figures['meanSeconds']).toBeCloseTo(slowest[1], 4);
    const top = insights.find((i) => i.kind === 'top_variants')!;
    expect(top.figures).toMatchObject({ variantCount: 6, topCaseCount: 3, topCoveragePercent: 50 });
    expect(top.message).toContain('3 of 6 cases (50%)');
    expect(insights.filter((i) => i.kind === 'rework_hotspot').map((i) => i.figures['activity'])).toEqual([
      'check ticket',
      'decide',
      'examine casually',
    ]);
    expect(insights.filter((i) => i.kind === 'slow_activity')).toHaveLength(3);
  });

  it('produces JSON-serialisable figures', () => {
    expect(JSON.parse(JSON.stringify(figures))).toEqual(figures);
  });
});
