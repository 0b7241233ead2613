import { describe, it, expect } from '@jest/globals';
import type { EventLog } from '../event-log.js';
import { predictNext } from './analytics-model.js';
import { trainNextActivityModel } from './next-activity.js';
import { eventLogFromRows, rowsForTraces } from '../testing/event-log-from-rows.js';
import { randomLog } from './testing/random-log.js';
import { runningExampleLog } from '../testing/running-example.js';

const repeat = <T>(count: number, make: (i: number) => T): T[] => Array.from({ length: count }, (_, i) => make(i));

describe('trainNextActivityModel', () => {
  it('is always right on a log where every case is A → B → C', () => {
    const log = eventLogFromRows(rowsForTraces(repeat(10, () => ['A', 'B', 'C'])));
    const { evaluation } = trainNextActivityModel(log);
    // Holdout: 2 cases × 3 prefixes (A, AB, ABC → end).
    expect(evaluation).toEqual({ accuracy: 1, top3Accuracy: 1, evaluatedPredictions: 6, unavailableReason: null });
  });

  it('gets a 50/50 branch right exactly when the tie-break picks the taken branch', () => {
    // c1..c10 alternate A B D / A C D; training c1..c8 has 4 of each, holdout is c9 (ABD) and c10 (ACD).
    const log = eventLogFromRows(rowsForTraces(repeat(10, (i) => (i % 2 === 0 ? ['A', 'B', 'D'] : ['A', 'C', 'D']))));
    const model = trainNextActivityModel(log);
    // After A: B and C are tied 4:4 in context and overall; B has the lower activity index (A0 B1 D2 C3).
    // c9: A→B ✓, AB→D ✓, ABD→end ✓. c10: A→B ✗ (C), AC→D ✓, ACD→end ✓. Top 3 always holds the answer.
    expect(model.evaluation.accuracy).toBe(5 / 6);
    expect(model.evaluation.top3Accuracy).toBe(1);
    expect(model.evaluation.evaluatedPredictions).toBe(6);

    const afterA = predictNext(model, ['A']);
    expect(afterA.ranked).toEqual([
      { activity: 'B', endsCase: false, probability: 0.5, count: 5 },
      { activity: 'C', endsCase: false, probability: 0.5, count: 5 },
    ]);
    expect(afterA.contextLength).toBe(3);
    expect(predictNext(model, ['A', 'C', 'D']).ranked).toEqual([{ activity: null, endsCase: true, probability: 1, count: 5 }]);
  });

  it('uses the longer context when it decides, and only with a long enough window', () => {
    // After M the next activity depends on the first one: P M Q or R M S.
    const log = eventLogFromRows(rowsForTraces(repeat(10, (i) => (i % 2 === 0 ? ['P', 'M', 'Q'] : ['R', 'M', 'S']))));
    expect(trainNextActivityModel(log).evaluation.accuracy).toBe(1);
    // With one symbol of context, after M it is Q 4 : S 4 → Q (lower index); the R M S holdout case misses once.
    expect(trainNextActivityModel(log, { maxContextLength: 1 }).evaluation.accuracy).toBe(5 / 6);
  });

  it('measures with training cases only, then ships a model that also learned the holdout', () => {
    const log = eventLogFromRows(rowsForTraces([...repeat(8, () => ['A', 'B', 'C']), ['A', 'B', 'D'], ['A', 'B', 'D']]));
    const model = trainNextActivityModel(log);
    // Per holdout case: A→B ✓; AB→C ✗ (D was never seen in training); ABD is an unseen context, so the
    // overall counts answer: A, B, C and end are tied at 8, A has the lowest index → ✗, and end is 4th.
    expect(model.evaluation.accuracy).toBe(2 / 6);
    expect(model.evaluation.top3Accuracy).toBe(2 / 6);
    expect(predictNext(model, ['A', 'B']).ranked.map((r) => [r.activity, r.count])).toEqual([
      ['C', 8],
      ['D', 2],
    ]);
  });

  it('falls back to shorter contexts for unseen or unknown activities', () => {
    const log = eventLogFromRows(rowsForTraces(repeat(5, () => ['A', 'B', 'C'])));
    const model = trainNextActivityModel(log);
    // "B" alone was seen (→ C); the unknown "Z" before it only cuts the longer contexts.
    expect(predictNext(model, ['Z', 'B'])).toMatchObject({ contextLength: 1, ranked: [{ activity: 'C', probability: 1 }] });
    // Unknown last activity: only the overall next-symbol frequencies are left (A, B, C, end: 5 each).
    const unknownLast = predictNext(model, ['A', 'Z'], 2);
    expect(unknownLast.contextLength).toBe(0);
    expect(unknownLast.support).toBe(20);
    expect(unknownLast.ranked.map((r) => r.activity)).toEqual(['A', 'B']);
    // The empty prefix predicts the first activity.
    expect(predictNext(model, []).ranked[0]).toMatchObject({ activity: 'A', probability: 1 });
  });

  it('reproduces the hand-computed accuracy on the running example', () => {
    // Training cases 1, 2, 3, 5; holdout 6 (RR EC CT D PC) and 4 (RR CT ET D RJ).
    // Case 6: EC ✓, CT ✓, D ✓, after EC CT D the counts are RI 2 : RJ 1 → RI ✗, end ✓ → 4/5.
    // Case 4: after RR → EC ✗, after RR CT → EC ✗, after ET → CT ✗, after D → RI ✗ (RJ 3rd), end ✓ → 1/5.
    // Top 3 adds nothing in case 6 (after EC CT D only RI and RJ were seen), and RR→CT and D→RJ in case 4.
    const { evaluation } = trainNextActivityModel(runningExampleLog());
    expect(evaluation).toEqual({ accuracy: 0.5, top3Accuracy: 0.7, evaluatedPredictions: 10, unavailableReason: null });
  });

  it('matches a straightforward string-keyed reference on a random log', () => {
    const log = randomLog(400, 7);
    for (const maxContextLength of [0, 1, 2, 3]) {
      const model = trainNextActivityModel(log, { maxContextLength });
      const reference = referenceEvaluation(log, model.split.trainingCases, model.split.holdoutCases, maxContextLength);
      expect(model.evaluation.evaluatedPredictions).toBe(reference.evaluated);
      expect(model.evaluation.accuracy).toBe(reference.top1 / reference.evaluated);
      expect(model.evaluation.top3Accuracy).toBe(reference.top3 / reference.evaluated);
    }
  });

  it('gives null metrics with a reason for degenerate logs, and still a usable model', () => {
    const single = trainNextActivityModel(eventLogFromRows(rowsForTraces([['A', 'B']])));
    expect(single.evaluation).toEqual({
      accuracy: null,
      top3Accuracy: null,
      evaluatedPredictions: 0,
      unavailableReason: expect.stringMatching(/1 case/),
    });
    expect(predictNext(single, ['A']).ranked[0]?.activity).toBe('B');

    const empty = trainNextActivityModel(eventLogFromRows([]));
    expect(empty.evaluation.accuracy).toBeNull();
    expect(predictNext(empty, ['A'])).toEqual({ ranked: [], contextLength: 0, support: 0 });

    const noHoldout = trainNextActivityModel(eventLogFromRows(rowsForTraces([['A'], ['A']])), { holdoutFraction: 0 });
    expect(noHoldout.evaluation.unavailableReason).toMatch(/holdoutFraction is 0/);
  });
});

/** Next-activity evaluation written the plain way: string keys, explicit back-off. */
function referenceEvaluation(log: EventLog, training: Uint32Array, holdout: Uint32Array, maxContextLength: number) {
  const START = 'START';
  const END = 'END';
  const sequence = (c: number): string[] => {
    const names = [];
    for (let i = log.caseOffsets[c]!; i < log.caseOffsets[c + 1]!; i++) names.push(log.activities[log.eventActivity[i]!]!);
    return names;
  };
  const counts = new Map<string, Map<string, number>>();
  const overall = new Map<string, number>();
  for (const c of training) {
    const symbols = [...Array<string>(maxContextLength).fill(START), ...sequence(c), END];
    for (let p = maxContextLength; p < symbols.length; p++) {
      const next = symbols[p]!;
      overall.set(next, (overall.get(next) ?? 0) + 1);
      for (let k = 0; k <= maxContextLength; k++) {
        const key = `${k}|${symbols.slice(p - k, p).join('|')}`;
        const followers = counts.get(key) ?? new Map<string, number>();
        followers.set(next, (followers.get(next) ?? 0) + 1);
        counts.set(key, followers);
      }
    }
  }
  const indexOf = (symbol: string): number => (symbol === END ? log.activities.length + 1 : log.activities.indexOf(symbol));
  let evaluated = 0;
  let top1 = 0;
  let top3 = 0;
  for (const c of holdout) {
    const symbols = [...Array<string>(maxContextLength).fill(START), ...sequence(c), END];
    for (let p = maxContextLength + 1; p < symbols.length; p++) {
      let followers: Map<string, number> | undefined;
      for (let k = maxContextLength; k >= 0 && followers === undefined; k--) followers = counts.get(`${k}|${symbols.slice(p - k, p).join('|')}`);
      const ranked = [...(followers ?? new Map<string, number>())].sort(
        ([a, countA], [b, countB]) => countB - countA || overall.get(b)! - overall.get(a)! || indexOf(a) - indexOf(b),
      );
      const actual = symbols[p]!;
      evaluated++;
      if (ranked[0]?.[0] === actual) top1++;
      if (ranked.slice(0, 3).some(([symbol]) => symbol === actual)) top3++;
    }
  }
  return { evaluated, top1, top3 };
}
