/**
 * Token replay, alignments and precision against small hand-built nets whose figures are
 * computed by hand below (token counts written out), and against the running example's
 * model imported from BPMN and from PNML.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { RUNNING_EXAMPLE_BPMN, RUNNING_EXAMPLE_PNML } from '../../../../test/support/fixtures.js';
import { analyzeVariants, caseDurations } from '../analysis/index.js';
import { importProcessModel } from '../models/import-process-model.js';
import type { AcceptingPetriNet } from '../models/petri-net.js';
import { runningExampleLog } from '../testing/running-example.js';
import { alignLog, checkModelConformance, compileNet, etcPrecision, replayLog, replayTrace, type ConformanceTrace } from './index.js';

/** A net from `[label | null, inputs, outputs]` rows; source `i`, sink `o`. */
function net(transitions: readonly [string, string | null, readonly string[], readonly string[]][]): AcceptingPetriNet {
  const places = new Set<string>();
  for (const [, , ins, outs] of transitions) [...ins, ...outs].forEach((p) => places.add(p));
  return {
    net: {
      places: [...places].map((id) => ({ id, name: id })),
      transitions: transitions.map(([id, label]) => ({ id, label })),
      arcs: transitions.flatMap(([id, , ins, outs]) => [
        ...ins.map((p) => ({ source: p, target: id, weight: 1 })),
        ...outs.map((p) => ({ source: id, target: p, weight: 1 })),
      ]),
    },
    initialMarking: { i: 1 },
    finalMarking: { o: 1 },
  };
}

const traces = (...rows: [string, number][]): ConformanceTrace[] =>
  rows.map(([word, caseCount], k) => ({ variantId: `V${k + 1}`, activities: word.split(''), caseCount }));

// A, then one of B, C, E, then D:  i -A-> p1 -{B,C,E}-> p2 -D-> o.
const choiceNet = net([
  ['tA', 'A', ['i'], ['p1']],
  ['tB', 'B', ['p1'], ['p2']],
  ['tC', 'C', ['p1'], ['p2']],
  ['tE', 'E', ['p1'], ['p2']],
  ['tD', 'D', ['p2'], ['o']],
]);
const choiceLog = traces(['ABD', 2], ['ACD', 1], ['AD', 1], ['ABBD', 1]);

describe('token replay', () => {
  it('counts missing, remaining, consumed and produced tokens as worked out by hand', () => {
    const compiled = compileNet(choiceNet);
    // ABD: produced 1 (initial) + 1 (A) + 1 (B) + 1 (D) = 4; consumed 1 + 1 + 1 + 1 (final) = 4; fits.
    expect(replayTrace(compiled, ['A', 'B', 'D'])).toMatchObject({ missing: 0, remaining: 0, consumed: 4, produced: 4, fitness: 1, fits: true });
    // AD: A moves the token to p1; D lacks a token in p2 (missing 1), fires (c 2, p 3);
    // the final marking is consumed (c 3) and p1's token remains (r 1).
    // fitness = ½(1 − 1/3) + ½(1 − 1/3) = 2/3.
    const ad = replayTrace(compiled, ['A', 'D']);
    expect(ad).toMatchObject({ missing: 1, remaining: 1, consumed: 3, produced: 3, fits: false, forcedEvents: [1] });
    expect(ad.fitness).toBeCloseTo(2 / 3, 12);
    // ABBD: A (c1 p2), B (c2 p3), B again lacks p1 (m 1; c3 p4, p2 holds 2), D (c4 p5),
    // final (c5), one token left in p2 (r 1). fitness = ½(1 − 1/5) + ½(1 − 1/5) = 0.8.
    const abbd = replayTrace(compiled, ['A', 'B', 'B', 'D']);
    expect(abbd).toMatchObject({ missing: 1, remaining: 1, consumed: 5, produced: 5, fits: false, forcedEvents: [2] });
    expect(abbd.fitness).toBeCloseTo(0.8, 12);

    // Log: m = 0·2 + 0 + 1 + 1 = 2, r = 2, c = 4·2 + 4 + 3 + 5 = 20, p = 20:
    // fitness = ½(1 − 2/20) + ½(1 − 2/20) = 0.9; mean trace fitness = (1 + 1 + 1 + 2/3 + 0.8) / 5.
    const log = replayLog(compiled, choiceLog);
    expect(log).toMatchObject({ missing: 2, remaining: 2, consumed: 20, produced: 20, fittingCases: 3, caseCount: 5 });
    expect(log.logFitness).toBeCloseTo(0.9, 12);
    expect(log.averageTraceFitness).toBeCloseTo((3 + 2 / 3 + 0.8) / 5, 12);
  });

  it('fires a silent transition to enable the next event, and leaves unknown activities out of the counts', () => {
    // A, then B or skip (tau), then D.
    const skipNet = compileNet(net([
      ['tA', 'A', ['i'], ['p1']],
      ['tB', 'B', ['p1'], ['p2']],
      ['skip', null, ['p1'], ['p2']],
      ['tD', 'D', ['p2'], ['o']],
    ]));
    // AD: A (c1 p2), tau (c2 p3), D (c3 p4), final (c4): no missing, no remaining.
    expect(replayTrace(skipNet, ['A', 'D'])).toMatchObject({ missing: 0, remaining: 0, consumed: 4, produced: 4, fitness: 1, fits: true });
    // AXD: X is in no transition: skipped (counts as AD) but the trace does not fit.
    expect(replayTrace(skipNet, ['A', 'X', 'D'])).toMatchObject({ missing: 0, remaining: 0, consumed: 4, produced: 4, fitness: 1, fits: false, unknownEvents: [1] });
    // A alone (c1 p2): silent firings cannot reach the final marking (D is visible), so
    // consuming it lacks o's token (m 1, c 2) and p1's token remains (r 1).
    const a = replayTrace(skipNet, ['A']);
    expect(a).toMatchObject({ missing: 1, remaining: 1, consumed: 2, produced: 2 });
    expect(a.fitness).toBeCloseTo(0.5, 12);
  });
});

describe('token replay at the end of a trace', () => {
  it('fires silent transitions that bring the marking closest to the final one when it cannot be reached', () => {
    // i -A-> p1 -tau-> o. Trace AA: A (c1 p2); A again lacks i's token (m 1; c2 p3), p1 holds 2.
    // The final marking {o: 1} cannot be reached exactly; one tau firing gives {p1: 1, o: 1}
    // (1 token off, the fewest; a second firing gives {o: 2}, also 1 off, with more firings):
    // c3 p4; final consumed (c4), p1's token remains (r 1): fitness ½(1 − 1/4) + ½(1 − 1/4).
    const compiled = compileNet(net([['tA', 'A', ['i'], ['p1']], ['tau', null, ['p1'], ['o']]]));
    const replay = replayTrace(compiled, ['A', 'A']);
    expect(replay).toMatchObject({ missing: 1, remaining: 1, consumed: 4, produced: 4, fits: false });
    expect(replay.fitness).toBeCloseTo(0.75, 12);
  });
});

describe('alignments', () => {
  it('finds the optimal deviations and fitness worked out by hand', () => {
    const compiled = compileNet(choiceNet);
    const aligned = alignLog(compiled, choiceLog);
    // The empty trace needs 3 model moves (A, one of B/C/E, D): worst cost of a trace = |trace| + 3.
    expect(aligned.emptyTraceModelMoves).toBe(3);
    const [abd, acd, ad, abbd] = aligned.traces;
    expect(abd!.alignment.deviations).toBe(0);
    expect(acd!.fitness).toBe(1);
    // AD: one model move (B, C or E): 1 − 1/(2 + 3) = 0.8.
    expect(ad!.alignment.deviations).toBe(1);
    expect(ad!.alignment.moves.filter((m) => m.kind === 'model')).toHaveLength(1);
    expect(ad!.fitness).toBeCloseTo(0.8, 12);
    // ABBD: one log move (a B): 1 − 1/(4 + 3) = 6/7.
    expect(abbd!.alignment.moves.filter((m) => m.kind === 'log')).toEqual([{ kind: 'log', activity: 'B' }]);
    expect(abbd!.fitness).toBeCloseTo(6 / 7, 12);
    // Log: 1 − (0·2 + 0 + 1 + 1) / (6·2 + 6 + 5 + 7) = 1 − 2/30; mean = (3 + 0.8 + 6/7) / 5.
    expect(aligned.fitness).toBeCloseTo(1 - 2 / 30, 12);
    expect(aligned.averageTraceFitness).toBeCloseTo((3 + 0.8 + 6 / 7) / 5, 12);
    expect(aligned).toMatchObject({ computedTraces: 4, skippedTraces: 0, reason: null });
  });

  it('prefers fewer deviations over fewer silent steps, and silent steps cost no fitness', () => {
    const skipNet = compileNet(net([
      ['tA', 'A', ['i'], ['p1']],
      ['tB', 'B', ['p1'], ['p2']],
      ['skip', null, ['p1'], ['p2']],
      ['tD', 'D', ['p2'], ['o']],
    ]));
    const aligned = alignLog(skipNet, traces(['AD', 1], ['D', 1]));
    expect(aligned.emptyTraceModelMoves).toBe(2); // A, tau, D
    expect(aligned.traces[0]!.alignment.moves).toEqual([
      { kind: 'sync', activity: 'A' }, { kind: 'silent', transitionId: 'skip' }, { kind: 'sync', activity: 'D' },
    ]);
    expect(aligned.traces[0]!.fitness).toBe(1);
    // D: model move A: 1 − 1/(1 + 2) = 2/3.
    expect(aligned.traces[1]!.fitness).toBeCloseTo(2 / 3, 12);
  });

  it('gives null figures with the reason beyond the documented limits, never a partial figure', () => {
    const compiled = compileNet(choiceNet);
    const tight = alignLog(compiled, choiceLog, { maxStatesPerTrace: 8, maxLogEvents: 1000, maxTotalStates: 1000 });
    expect(tight.fitness).toBeNull();
    expect(tight.averageTraceFitness).toBeNull();
    expect(tight.skippedTraces).toBeGreaterThan(0);
    expect(tight.reason).toMatch(/exceeded the search limits/);
    const tooBig = alignLog(compiled, choiceLog, { maxStatesPerTrace: 1000, maxLogEvents: 10, maxTotalStates: 1000 });
    expect(tooBig).toMatchObject({ fitness: null, computedTraces: 0, skippedTraces: 4 });
    expect(tooBig.reason).toMatch(/12 events, more than the 10/);
  });
});

describe('ETConformance precision', () => {
  it('counts activated and escaping edges over the prefixes as worked out by hand', () => {
    // Prefix (cases continuing it): activated | reflected | escaping
    //   ⟨⟩   (5): {A}        | start {A}      | –      → at 5,  ee 0
    //   A    (5): {B, C, E}  | {B, C, D}      | E      → at 15, ee 5
    //   AB   (3): {D}        | {D, B}         | –      → at 3,  ee 0
    //   AC   (1): {D}        | {D}            | –      → at 1,  ee 0
    //   ABB  (1): replay lacks a token → left out
    // precision = 1 − 5/24.
    const result = etcPrecision(compileNet(choiceNet), choiceLog);
    expect(result).toMatchObject({ activated: 24, escaping: 5, prefixes: 4, unfitPrefixes: 1 });
    expect(result.precision).toBeCloseTo(1 - 5 / 24, 12);
  });

  it('sees transitions enabled after silent firings', () => {
    const skipNet = compileNet(net([
      ['tA', 'A', ['i'], ['p1']],
      ['tB', 'B', ['p1'], ['p2']],
      ['skip', null, ['p1'], ['p2']],
      ['tD', 'D', ['p2'], ['o']],
    ]));
    // ⟨⟩ (2): {A} | {A}; A (2): {B, D via tau} | {B, D}; AB (1): {D} | {D}: at 2 + 4 + 1 = 7, ee 0.
    expect(etcPrecision(skipNet, traces(['AD', 1], ['ABD', 1]))).toMatchObject({ activated: 7, escaping: 0, precision: 1 });
    // Only AD: the A prefix activates B too, never seen: ee 1 of at 1 + 2 = 3.
    expect(etcPrecision(skipNet, traces(['AD', 1])).precision).toBeCloseTo(1 - 1 / 3, 12);
  });
});

describe('the running example against its model, imported from BPMN and from PNML', () => {
  const log = runningExampleLog();
  const variants = analyzeVariants(log, caseDurations(log).seconds).analysis.variants;
  const fromBpmn = importProcessModel('bpmn', readFileSync(RUNNING_EXAMPLE_BPMN, 'utf8'));
  const fromPnml = importProcessModel('pnml', readFileSync(RUNNING_EXAMPLE_PNML, 'utf8'));
  const description = { source: 'inline' as const, format: null, places: 9, transitions: 10 };

  it('imports both to nets of the same shape: 9 places, 8 activities and 2 silent transitions', () => {
    for (const model of [fromBpmn, fromPnml]) {
      expect(model.net.places).toHaveLength(9);
      expect(model.net.transitions.filter((t) => t.label === null)).toHaveLength(2);
      expect(new Set(model.net.transitions.map((t) => t.label).filter((l) => l !== null))).toEqual(new Set(log.activities));
    }
  });

  it('the perfectly fitting log gets fitness 1.0 in token replay and alignments', () => {
    const figures = checkModelConformance(fromBpmn, description, variants.map((v) => ({ variantId: v.id, activities: v.activities, caseCount: v.caseCount })));
    expect(figures.tokenReplay).toMatchObject({ logFitness: 1, averageTraceFitness: 1, fittingTraces: 6, fittingTracePercent: 100, missing: 0, remaining: 0 });
    expect(figures.alignments).toMatchObject({ fitness: 1, averageTraceFitness: 1, computedTraces: 6, skippedTraces: 0 });
    expect(figures.deviations).toMatchObject({ perActivity: [], cases: [], deviatingCases: 0 });
    expect(figures.precision).toBeGreaterThan(0);
    expect(figures.precision).toBeLessThan(1);
  });

  it('BPMN and its PNML equivalent give the same figures, deviations included', () => {
    const withDeviations: ConformanceTrace[] = [
      ...variants.map((v) => ({ variantId: v.id, activities: v.activities, caseCount: v.caseCount })),
      { variantId: 'X1', activities: ['register request', 'decide', 'pay compensation'], caseCount: 3 },
      { variantId: 'X2', activities: ['register request', 'check ticket', 'examine casually', 'decide', 'decide', 'reject request'], caseCount: 2 },
      { variantId: 'X3', activities: ['register request', 'call customer', 'pay compensation'], caseCount: 1 },
    ];
    const a = checkModelConformance(fromBpmn, description, withDeviations);
    const b = checkModelConformance(fromPnml, description, withDeviations);
    expect(a).toEqual(b);
    expect(a.tokenReplay.fittingTraces).toBe(6);
    expect(a.alignments.fitness).toBeLessThan(1);
    // X1 skips examining and checking: two model moves; X3's unknown activity is a log move.
    expect(a.deviations.cases.find((c) => c.variantId === 'X1')).toMatchObject({ logMoves: [], modelMoves: expect.arrayContaining(['check ticket']) });
    expect(a.deviations.cases.find((c) => c.variantId === 'X1')!.modelMoves).toHaveLength(2);
    expect(a.deviations.perActivity.find((d) => d.activity === 'call customer')).toMatchObject({ inModel: false, logMoves: 1, eventsNotInModel: 1 });
  });
});
