import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { analyzeLog, discoverDfgForMap } from '../analysis/index.js';
import type { EventLog } from '../event-log.js';
import { ingestEventLog } from '../ingest/index.js';
import { runningExampleRows } from '../testing/running-example.js';
import { RUNNING_EXAMPLE_FACTS } from '../testing/running-example-facts.js';
import { classifyEvents, EVENT_CLASSIFIERS, withExactRepeats } from './index.js';
import {
  BPIC_2012_XES_GZ,
  INTERVAL_EVENT_LOG_CSV,
  LIFECYCLE_TRANSITIONS_CSV,
  LIFECYCLE_TRANSITIONS_XES,
  RUNNING_EXAMPLE_CSV,
  RUNNING_EXAMPLE_XES,
} from '../../../../test/support/fixtures.js';

const MINUTE = 60;

function traces(log: EventLog): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (let c = 0; c < log.caseCount; c++) {
    const events: string[] = [];
    for (let i = log.caseOffsets[c]!; i < log.caseOffsets[c + 1]!; i++) events.push(log.activities[log.eventActivity[i]!]!);
    result[log.caseIds[c]!] = events;
  }
  return result;
}

function analyse(log: EventLog) {
  return analyzeLog(log, { performanceMetrics: ['cycle_time', 'waiting_time'], generateInsights: true }).figures;
}

describe.each([
  ['CSV', LIFECYCLE_TRANSITIONS_CSV, 'csv'],
  ['XES', LIFECYCLE_TRANSITIONS_XES, 'xes'],
] as const)('the hand-made lifecycle log (%s)', (_name, file, format) => {
  let log: EventLog;
  beforeAll(async () => {
    const ingested = await ingestEventLog({ path: file, format });
    log = ingested.log;
    expect(ingested.quality.validation).toEqual({ totalRecords: 16, validRecords: 15, duplicatesRemoved: 1, invalidRecords: 0 });
  });

  it('keeps every transition and sets the exact repeat aside', () => {
    expect(log.eventCount).toBe(15);
    expect(log.exactRepeats?.count).toBe(1);
    expect(traces(log)['2']).toEqual(['A', 'A', 'A', 'A', 'B', 'C']);
  });

  it('pairs starts and completes into instances by default, counting what does not pair', () => {
    const { log: instances, figures } = classifyEvents(log);
    expect(figures).toMatchObject({ classifier: 'activity-instances', basis: 'default', eventsBefore: 15, eventsAfter: 7 });
    expect(figures.lifecycle).toEqual({
      transitions: [
        { transition: 'complete', count: 7 },
        { transition: 'start', count: 5 },
        { transition: 'resume', count: 1 },
        { transition: 'schedule', count: 1 },
        { transition: 'suspend', count: 1 },
      ],
      pairedInstances: 4,
      completesWithoutStart: 3,
      unmatchedStarts: 1,
      otherTransitions: 3,
    });
    expect(traces(instances)).toEqual({ '1': ['A', 'B', 'C'], '2': ['A', 'A', 'B', 'C'] });
    // FIFO: the first A start (08:00) goes with the first A complete (08:20), the second with the second.
    const startsOfCase2 = Array.from(instances.eventStart!.subarray(3, 5), (t) => new Date(t).toISOString());
    expect(startsOfCase2).toEqual(['2024-03-05T08:00:00.000Z', '2024-03-05T08:05:00.000Z']);
    expect(Number.isNaN(instances.eventStart![2]!)).toBe(true); // C of case 1: completed without start
  });

  it('measures service, waiting and cycle time on the instances', () => {
    const figures = analyse(classifyEvents(log).log);
    expect(figures.summary.hasStartTimestamps).toBe(true);
    expect(figures.performance.serviceTime!.perActivity).toEqual([
      { activity: 'B', count: 1, meanSeconds: 60 * MINUTE, medianSeconds: 60 * MINUTE, p90Seconds: 60 * MINUTE, maxSeconds: 60 * MINUTE },
      // 30 m, 20 m, 45 m: p90 at position 1.8 of [20, 30, 45] m = 30 + 0.8 × 15 = 42 m.
      { activity: 'A', count: 3, meanSeconds: (95 / 3) * MINUTE, medianSeconds: 30 * MINUTE, p90Seconds: 42 * MINUTE, maxSeconds: 45 * MINUTE },
    ]);
    // Case 1: B starts 20 m after A completes; case 2: the second A overlaps the first (0).
    expect(figures.performance.waitingTime!.perActivity.map((a) => [a.activity, a.count, a.meanSeconds])).toEqual([
      ['B', 1, 20 * MINUTE],
      ['A', 1, 0],
    ]);
    // Case 1 from A's start 09:10 to C at 11:30; case 2 from 08:00 to 10:00.
    expect(figures.performance.cycleTime).toMatchObject({ basis: 'start', caseCount: 2, minSeconds: 120 * MINUTE, maxSeconds: 140 * MINUTE });
    const map = discoverDfgForMap(classifyEvents(log).log);
    const serviceOnMap = Object.fromEntries(map.nodes.map((n) => [n.activity, n.serviceTime]));
    expect(serviceOnMap).toEqual({
      A: { count: 3, meanSeconds: (95 / 3) * MINUTE, medianSeconds: 30 * MINUTE },
      B: { count: 1, meanSeconds: 60 * MINUTE, medianSeconds: 60 * MINUTE },
      C: null,
    });
  });

  it('gives each classifier its own events, and the same rework: executions, never a start and its complete', () => {
    const byActivity = classifyEvents(log, 'activity');
    expect(byActivity.figures).toMatchObject({ classifier: 'activity', basis: 'requested', eventsAfter: 15 });
    const activityFigures = analyse(byActivity.log);
    expect(activityFigures.summary.activityCount).toBe(4);
    expect(activityFigures.summary.hasStartTimestamps).toBe(false);
    expect(activityFigures.dfg.edges.find((e) => e.source === 'A' && e.target === 'A')!.count).toBe(5);

    const withLifecycle = classifyEvents(log, 'activity+lifecycle');
    expect(traces(withLifecycle.log)['1']).toEqual([
      'A+schedule', 'A+start', 'A+complete', 'B+start', 'B+suspend', 'B+resume', 'B+complete', 'C+complete', 'D+start',
    ]);
    const lifecycleFigures = analyse(withLifecycle.log);
    expect(lifecycleFigures.summary.activityCount).toBe(9);

    const instanceFigures = analyse(classifyEvents(log, 'activity-instances').log);
    // Only case 2 executes A twice; case 1's schedule/start/complete of A is one execution.
    const rework = { perActivity: [{ activity: 'A', caseCount: 1, extraOccurrences: 1 }], reworkCaseCount: 1, reworkCasePercent: 50 };
    expect(activityFigures.rework).toEqual(rework);
    expect(instanceFigures.rework).toEqual(rework);
    expect(lifecycleFigures.rework).toEqual({ ...rework, perActivity: [{ ...rework.perActivity[0]!, activity: 'A+complete' }] });
    for (const figures of [activityFigures, lifecycleFigures, instanceFigures]) {
      expect(figures.insights!.filter((i) => i.kind === 'rework_hotspot').map((i) => i.figures['caseCount'])).toEqual([1]);
    }
  });

  it('puts the exact repeat back when asked, at its place in the case', () => {
    const kept = withExactRepeats(log);
    expect(kept.eventCount).toBe(16);
    expect(traces(kept)['2']).toEqual(['A', 'A', 'A', 'A', 'B', 'C', 'C']);
    expect(Array.from(kept.eventRow.subarray(kept.caseOffsets[1]!))).toEqual([9, 10, 11, 12, 13, 14, 15]);
    const figures = analyse(classifyEvents(kept).log);
    expect(figures.summary.eventCount).toBe(8);
    expect(figures.rework.perActivity.map((a) => a.activity).sort()).toEqual(['A', 'C']);
  });
});

describe('the running example under each classifier', () => {
  const rows = runningExampleRows();
  const repeatingCases = new Set(
    rows.filter((row) => rows.filter((other) => other.case === row.case && other.activity === row.activity).length > 1).map((row) => row.case),
  );

  it.each([
    ['CSV', RUNNING_EXAMPLE_CSV, 'csv'],
    ['XES', RUNNING_EXAMPLE_XES, 'xes'],
  ] as const)('gives the known figures with every classifier (%s); the default is activity', async (_name, file, format) => {
    const { log } = await ingestEventLog({ path: file, format });
    expect(classifyEvents(log).figures).toMatchObject({ classifier: 'activity', basis: 'default', lifecycle: null });
    for (const classifier of EVENT_CLASSIFIERS) {
      const { log: classified, figures: classification } = classifyEvents(log, classifier);
      expect(classification.eventsAfter).toBe(RUNNING_EXAMPLE_FACTS.eventCount);
      const figures = analyse(classified);
      expect(figures.summary).toMatchObject({
        caseCount: RUNNING_EXAMPLE_FACTS.caseCount,
        eventCount: RUNNING_EXAMPLE_FACTS.eventCount,
        activityCount: RUNNING_EXAMPLE_FACTS.activityCount,
        hasStartTimestamps: false,
      });
      expect(figures.variants.variantCount).toBe(RUNNING_EXAMPLE_FACTS.variantCount);
      expect(figures.dfg.edges[0]).toMatchObject({ source: 'check ticket', target: 'decide', count: 6 });
      expect(Object.fromEntries(figures.activityStatistics.activities.map((a) => [a.activity, a.eventFrequency]))).toEqual(
        RUNNING_EXAMPLE_FACTS.eventsPerActivity,
      );
      expect(figures.rework.reworkCaseCount).toBe(repeatingCases.size);
      expect(figures.performance.serviceTime).toBeNull();
    }
  });
});

describe('BPI Challenge 2012', () => {
  let log: EventLog;
  beforeAll(async () => {
    log = (await ingestEventLog({ path: BPIC_2012_XES_GZ, format: 'xes.gz' })).log;
  });

  /** Self-loop counts of the COMPLETE transitions alone, read from the raw events. */
  function completionSelfLoops(): Map<string, number> {
    const complete = log.lifecycles!.indexOf('COMPLETE');
    const loops = new Map<string, number>();
    for (let c = 0; c < log.caseCount; c++) {
      let previous = -1;
      for (let i = log.caseOffsets[c]!; i < log.caseOffsets[c + 1]!; i++) {
        if (log.eventLifecycle![i] !== complete) continue;
        const a = log.eventActivity[i]!;
        if (a === previous) loops.set(log.activities[a]!, (loops.get(log.activities[a]!) ?? 0) + 1);
        previous = a;
      }
    }
    return loops;
  }

  it('counts each transition as an event under activity: the self-loops of the issue', () => {
    const figures = analyse(classifyEvents(log, 'activity').log);
    const loop = (activity: string) => figures.dfg.edges.find((e) => e.source === activity && e.target === activity)!.count;
    expect(loop('W_Completeren aanvraag')).toBe(38_004);
    expect(loop('W_Nabellen offertes')).toBe(36_084);
  });

  it('defaults to activity instances: no START→COMPLETE self-loops, service times, no lifecycle pair taken for rework', () => {
    const { log: instances, figures: classification } = classifyEvents(log);
    expect(classification).toMatchObject({ classifier: 'activity-instances', basis: 'default', eventsBefore: 262_200 });
    const completes = classification.lifecycle!.transitions.find((t) => t.transition === 'COMPLETE')!.count;
    expect(classification.eventsAfter).toBe(completes);
    expect(classification.lifecycle!.pairedInstances + classification.lifecycle!.completesWithoutStart).toBe(completes);

    const figures = analyse(instances);
    const selfLoops = new Map(figures.dfg.edges.filter((e) => e.source === e.target).map((e) => [e.source, e.count]));
    // The only self-loops left are one completed instance followed by another of the same activity.
    expect(selfLoops).toEqual(completionSelfLoops());
    expect(selfLoops.get('W_Completeren aanvraag')).toBeLessThan(38_004 / 2);

    expect(figures.summary.hasStartTimestamps).toBe(true);
    const service = new Map(figures.performance.serviceTime!.perActivity.map((a) => [a.activity, a]));
    expect(service.get('W_Completeren aanvraag')!.count).toBeGreaterThan(1000);
    expect(service.get('W_Completeren aanvraag')!.medianSeconds).toBeGreaterThan(0);
    expect(service.has('A_SUBMITTED')).toBe(false); // application states are atomic

    const activityRework = analyse(classifyEvents(log, 'activity').log).rework;
    const hotspot = (rework: typeof activityRework) => rework.perActivity.find((a) => a.activity === 'W_Completeren aanvraag')!.caseCount;
    expect(hotspot(figures.rework)).toBe(hotspot(activityRework));
    // Repeats of the raw events (SCHEDULE, START, COMPLETE) would put it in 56% of the cases.
    expect((100 * hotspot(figures.rework)) / log.caseCount).toBeLessThan(40);
  });
});

describe('the interval log (start and completion per event)', () => {
  it('gets service times per activity, completion − start', async () => {
    const { log, columns } = await ingestEventLog({ path: INTERVAL_EVENT_LOG_CSV, format: 'csv' });
    expect(columns.mapping.startTimestamp).toBe('start_timestamp');
    expect(classifyEvents(log).figures).toMatchObject({ classifier: 'activity', lifecycle: null });
    const service = analyse(classifyEvents(log).log).performance.serviceTime!;
    expect(service.perActivity).toHaveLength(8);

    const lines = readFileSync(INTERVAL_EVENT_LOG_CSV, 'utf8').trim().split('\n').slice(1);
    const seconds = lines
      .map((line) => line.split(','))
      .filter((fields) => fields[1] === 'place order')
      .map(([, , completion, start]) => (Date.parse(completion!.replace(' ', 'T')) - Date.parse(start!.replace(' ', 'T'))) / 1000);
    const placeOrder = service.perActivity.find((a) => a.activity === 'place order')!;
    expect(placeOrder.count).toBe(seconds.length);
    expect(placeOrder.meanSeconds).toBeCloseTo(seconds.reduce((sum, s) => sum + s, 0) / seconds.length, 5);
    expect(placeOrder.maxSeconds).toBe(Math.max(...seconds));
  });
});
