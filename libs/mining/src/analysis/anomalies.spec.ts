import { describe, it, expect } from '@jest/globals';
import { analyzeLog } from './analyze-log.js';
import { ANOMALY_FLAG } from './analysis.types.js';
import { eventLogFromRows, type EventRow } from '../testing/event-log-from-rows.js';

const T0 = Date.parse('2024-03-01T00:00:00Z');
const iso = (ms: number): string => new Date(T0 + ms).toISOString();

/** One case per entry: activities spaced evenly over the given duration. */
function casesOf(specs: readonly { activities: readonly string[]; seconds?: number }[]): EventRow[] {
  const rows: EventRow[] = [];
  specs.forEach((spec, index) => {
    const step = (spec.seconds ?? 60) / Math.max(1, spec.activities.length - 1);
    spec.activities.forEach((activity, k) =>
      rows.push({ case: `c${index + 1}`, activity, timestamp: iso(index * 1000 + k * step * 1000) }),
    );
  });
  return rows;
}

describe('anomaly detection', () => {
  it('flags case-duration outliers outside the 1.5 IQR fences', () => {
    const durations = [100, 110, 120, 130, 140, 150, 160, 170, 180, 10000];
    const log = eventLogFromRows(casesOf(durations.map((seconds) => ({ activities: ['a', 'b'], seconds }))));
    const { figures, perCase } = analyzeLog(log, { includeAnomalyDetection: true });
    const anomalies = figures.anomalies!;
    // Type 7: Q1 at position 2.25 -> 122.5, Q3 at 6.75 -> 167.5.
    expect(anomalies.caseDurationFences).toMatchObject({
      q1Seconds: 122.5,
      q3Seconds: 167.5,
      iqrSeconds: 45,
      lowerFenceSeconds: 55,
      upperFenceSeconds: 235,
    });
    expect(anomalies.anomalies).toHaveLength(1);
    expect(anomalies.anomalies[0]).toMatchObject({ caseId: 'c10', kind: 'case_duration_outlier' });
    expect(anomalies.anomalies[0]!.reason).toContain('10000 s');
    expect(anomalies.anomalies[0]!.reason).toContain('235 s');
    expect(perCase.caseAnomalyFlags[9]).toBe(ANOMALY_FLAG.case_duration_outlier);
    expect(anomalies.countsByKind.case_duration_outlier).toBe(1);
  });

  it('has no fences below 4 cases', () => {
    const log = eventLogFromRows(casesOf([{ activities: ['a', 'b'], seconds: 1 }, { activities: ['a', 'b'], seconds: 1000 }]));
    expect(analyzeLog(log, { includeAnomalyDetection: true }).figures.anomalies!.caseDurationFences).toBeNull();
  });

  it('flags rare variants at or below 1% of cases on a big enough log', () => {
    const specs = [
      ...Array.from({ length: 195 }, () => ({ activities: ['a', 'b', 'c'] })),
      ...Array.from({ length: 3 }, () => ({ activities: ['a', 'c', 'b'] })), // 1.5%: not rare
      ...Array.from({ length: 2 }, () => ({ activities: ['a', 'b', 'x', 'c'] })), // 1%: rare
    ];
    const { figures, perCase } = analyzeLog(eventLogFromRows(casesOf(specs)), { includeAnomalyDetection: true });
    const rare = figures.anomalies!.anomalies.filter((a) => a.kind === 'rare_variant');
    expect(figures.anomalies!.rareVariants.applied).toBe(true);
    expect(rare.map((a) => a.caseId)).toEqual(['c199', 'c200']);
    expect(rare[0]!.reason).toBe(
      'Case follows variant V3, shared by 2 of 200 cases (1%), at or below the 1% rare-variant threshold.',
    );
    expect(perCase.caseAnomalyFlags[198]! & ANOMALY_FLAG.rare_variant).toBeTruthy();
    expect(perCase.caseAnomalyFlags[197]! & ANOMALY_FLAG.rare_variant).toBeFalsy();
  });

  it('does not flag every case of a small or highly variable log as rare', () => {
    const unique = (n: number) => Array.from({ length: n }, (_, i) => ({ activities: ['a', `step ${i}`, 'z'] }));
    const small = analyzeLog(eventLogFromRows(casesOf(unique(6))), { includeAnomalyDetection: true }).figures.anomalies!;
    expect(small.rareVariants.applied).toBe(false);
    expect(small.rareVariants.note).toContain('fewer than 20');
    const variable = analyzeLog(eventLogFromRows(casesOf(unique(200))), { includeAnomalyDetection: true }).figures.anomalies!;
    expect(variable.rareVariants.applied).toBe(false);
    expect(variable.rareVariants.note).toContain('more than half');
    expect(variable.countsByKind.rare_variant).toBe(0);
  });

  it('flags start activities outside the inferred 95% set', () => {
    const specs = [
      ...Array.from({ length: 39 }, () => ({ activities: ['receive', 'handle', 'close'] })),
      { activities: ['handle', 'close'] },
    ];
    const figures = analyzeLog(eventLogFromRows(casesOf(specs)), { includeAnomalyDetection: true }).figures.anomalies!;
    expect(figures.startEndBasis).toBe('inferred');
    expect(figures.expectedStartActivities).toEqual(['receive']); // 39/40 = 97.5% ≥ 95%
    expect(figures.anomalies).toEqual([
      {
        caseId: 'c40',
        kind: 'unexpected_start_activity',
        reason:
          "Case starts with 'handle' (1 of 40 cases start with it), which is not among the most common ones covering ≥ 95% of cases ('receive').",
      },
    ]);
  });

  it('judges against explicit expected start/end activities when given', () => {
    const specs = [
      { activities: ['receive', 'close'] },
      { activities: ['receive', 'cancel'] },
      { activities: ['phone', 'close'] },
    ];
    const figures = analyzeLog(eventLogFromRows(casesOf(specs)), {
      includeAnomalyDetection: true,
      expectedStartActivities: ['receive', 'phone'],
      expectedEndActivities: ['close'],
    }).figures.anomalies!;
    expect(figures.startEndBasis).toBe('explicit');
    expect(figures.anomalies.map((a) => [a.caseId, a.kind])).toEqual([['c2', 'unexpected_end_activity']]);
    expect(figures.anomalies[0]!.reason).toContain("ends with 'cancel'");
  });

  it('reports rework cases and combines flags', () => {
    const specs = [
      { activities: ['a', 'b', 'b', 'c'] },
      { activities: ['a', 'b', 'c'] },
      { activities: ['a', 'b', 'a', 'b', 'c'] },
    ];
    const { figures, perCase } = analyzeLog(eventLogFromRows(casesOf(specs)), {
      includeAnomalyDetection: true,
      expectedEndActivities: ['b'],
    });
    expect(figures.rework).toEqual({
      perActivity: [
        { activity: 'b', caseCount: 2, extraOccurrences: 2 },
        { activity: 'a', caseCount: 1, extraOccurrences: 1 },
      ],
      reworkCaseCount: 2,
      reworkCasePercent: 66.6667,
    });
    expect(figures.anomalies!.anomalies.filter((a) => a.caseId === 'c3').map((a) => a.reason)).toEqual([
      "Case repeats activities: 'a' 2 times, 'b' 2 times.",
      "Case ends with 'c' (3 of 3 cases end with it), which is not among the expected ones ('b').",
    ]);
    expect(Array.from(perCase.caseAnomalyFlags)).toEqual([
      ANOMALY_FLAG.rework | ANOMALY_FLAG.unexpected_end_activity,
      ANOMALY_FLAG.unexpected_end_activity,
      ANOMALY_FLAG.rework | ANOMALY_FLAG.unexpected_end_activity,
    ]);
    expect(figures.anomalies!.anomalousCaseCount).toBe(3);
  });

  it('is skipped unless asked for', () => {
    const { figures, perCase } = analyzeLog(eventLogFromRows(casesOf([{ activities: ['a', 'a'] }])));
    expect(figures.anomalies).toBeNull();
    expect(figures.insights).toBeNull();
    expect(figures.performance).toEqual({});
    expect(Array.from(perCase.caseAnomalyFlags)).toEqual([0]);
  });
});
