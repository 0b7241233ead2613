import { describe, it, expect } from '@jest/globals';
import {
  ANALYTICS_MODEL_TYPE,
  InvalidModelDocumentError,
  loadModel,
  predictNext,
  predictRemainingSeconds,
  serializeModel,
  trainAnalyticsModel,
  type AnalyticsModel,
} from './analytics-model.js';
import { eventLogFromRows, rowsForTraces } from '../testing/event-log-from-rows.js';
import { randomLog } from './testing/random-log.js';
import { runningExampleLog } from '../testing/running-example.js';
import { syntheticLog } from '../testing/synthetic-log.js';
import type { EventLog } from '../event-log.js';

const trainedAt = new Date('2024-06-01T12:00:00Z');

/** Every prefix (including the empty one) of every case, as activity names, plus some unknown-name prefixes. */
function allPrefixes(log: EventLog): string[][] {
  const prefixes: string[][] = [[], ['never seen'], ['never seen', log.activities[0] ?? 'x']];
  for (let c = 0; c < log.caseCount; c++) {
    const names: string[] = [];
    for (let i = log.caseOffsets[c]!; i < log.caseOffsets[c + 1]!; i++) {
      names.push(log.activities[log.eventActivity[i]!]!);
      prefixes.push([...names]);
    }
  }
  return prefixes;
}

function expectSamePredictions(a: AnalyticsModel, b: AnalyticsModel, prefixes: string[][]): void {
  for (const prefix of prefixes) {
    expect(predictNext(b, prefix, 100)).toEqual(predictNext(a, prefix, 100));
    expect(predictRemainingSeconds(b, prefix)).toBe(predictRemainingSeconds(a, prefix));
  }
}

describe('AnalyticsModel', () => {
  it('describes the running example: split, measured metrics and tables', () => {
    const log = runningExampleLog();
    const model = trainAnalyticsModel(log, { trainedAt });
    expect(model).toMatchObject({
      modelType: ANALYTICS_MODEL_TYPE,
      version: 1,
      trainedAt: '2024-06-01T12:00:00.000Z',
      trainingCases: 4,
      holdoutCases: 2,
      finalModelCases: 6,
      holdoutFraction: 0.2,
      // Case 6 starts 2011-01-06 15:02 +01:00.
      holdoutStartsAt: '2011-01-06T14:02:00.000Z',
    });
    expect(model.metrics).toMatchObject({
      accuracy: 0.5,
      top3Accuracy: 0.7,
      evaluatedPredictions: 10,
      remainingTimeEvaluatedPredictions: 10,
      unavailableReason: null,
    });
    expect(model.metrics.remainingTimeMaeSeconds).toBeGreaterThan(0);
    expect(model.metrics.baselineMaeSeconds).toBeGreaterThan(0);
    // Every case starts with "register request".
    expect(predictNext(model, []).ranked[0]).toMatchObject({ activity: 'register request', probability: 1, count: 6 });
    expect(predictRemainingSeconds(model, ['register request', 'examine casually', 'check ticket', 'decide', 'pay compensation'])).toBe(0);
  });

  it('saves a plain JSON document with the documented fields', () => {
    const model = trainAnalyticsModel(runningExampleLog(), { trainedAt });
    const document = JSON.parse(serializeModel(model)) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(
      expect.arrayContaining(['modelType', 'version', 'trainedAt', 'trainingCases', 'holdoutCases', 'metrics', 'activities', 'nextActivity', 'remainingTime']),
    );
    expect(document['metrics']).toEqual(model.metrics);
    expect(document['activities']).toEqual(model.activities);
    expect(document['symbols']).toEqual({ start: 8, end: 9 });
    const contexts = (document['nextActivity'] as { contexts: { history: number[]; next: number[]; counts: number[] }[] }).contexts;
    // The unconditional context counts every next symbol: 42 events + 6 case ends.
    const unconditional = contexts.find((context) => context.history.length === 0)!;
    expect(unconditional.counts.reduce((a, b) => a + b, 0)).toBe(48);
  });

  it.each([
    ['the running example', () => runningExampleLog()],
    ['a random log', () => randomLog(500, 3)],
    ['a single-case log', () => eventLogFromRows(rowsForTraces([['A', 'B', 'A']]))],
  ])('round-trips %s through JSON with identical predictions', (_, makeLog) => {
    const log = makeLog();
    const model = trainAnalyticsModel(log, { trainedAt });
    const json = serializeModel(model);
    const loaded = loadModel(json);
    expect(loaded.metrics).toEqual(model.metrics);
    expect(loaded.activities).toEqual(model.activities);
    expectSamePredictions(model, loaded, allPrefixes(log));
    // Saving the loaded model writes the same document; an already parsed document loads too.
    expect(serializeModel(loaded)).toBe(json);
    expectSamePredictions(model, loadModel(JSON.parse(json)), allPrefixes(log).slice(0, 20));
  });

  it('keeps null metrics and their reason through a round trip', () => {
    const model = trainAnalyticsModel(eventLogFromRows(rowsForTraces([['A', 'B']])), { trainedAt });
    expect(model.metrics).toEqual({
      accuracy: null,
      top3Accuracy: null,
      evaluatedPredictions: 0,
      remainingTimeMaeSeconds: null,
      baselineMaeSeconds: null,
      remainingTimeEvaluatedPredictions: 0,
      unavailableReason: 'the log has 1 case; a holdout evaluation needs at least 2',
    });
    expect(model.holdoutStartsAt).toBeNull();
    expect(loadModel(serializeModel(model)).metrics).toEqual(model.metrics);

    const empty = trainAnalyticsModel(eventLogFromRows([]), { trainedAt });
    expect(empty.metrics.accuracy).toBeNull();
    expect(empty.metrics.unavailableReason).toMatch(/0 cases/);
    const loadedEmpty = loadModel(serializeModel(empty));
    expect(predictNext(loadedEmpty, ['A']).ranked).toEqual([]);
    expect(predictRemainingSeconds(loadedEmpty, ['A'])).toBeNull();
  });

  it('rejects documents that are not a saved model', () => {
    const json = serializeModel(trainAnalyticsModel(runningExampleLog(), { trainedAt }));
    const edit = (change: (document: Record<string, any>) => void): string => {
      const document = JSON.parse(json) as Record<string, any>;
      change(document);
      return JSON.stringify(document);
    };
    expect(() => loadModel('{not json')).toThrow(InvalidModelDocumentError);
    expect(() => loadModel(edit((d) => (d['modelType'] = 'pickle')))).toThrow(/modelType/);
    expect(() => loadModel(edit((d) => (d['version'] = 2)))).toThrow(/version/);
    expect(() => loadModel(edit((d) => (d['nextActivity'].contexts[0].next[0] = 99)))).toThrow(/out of range/);
    expect(() => loadModel(edit((d) => d['nextActivity'].contexts[0].counts.pop()))).toThrow(/differ in length/);
    expect(() => loadModel(edit((d) => (d['remainingTime'].overall.meanSeconds = 'soon')))).toThrow(/meanSeconds/);
    expect(() => loadModel(edit((d) => (d['metrics'].accuracy = 'high')))).toThrow(/metrics.accuracy/);
  });

  it('trains and evaluates on a 1,000,000-event log (speed: see bench/)', () => {
    const log = syntheticLog(100_000, 10);
    const model = trainAnalyticsModel(log, { trainedAt });
    expect(model.trainingCases).toBe(80_000);
    expect(model.holdoutCases).toBe(20_000);
    expect(model.metrics.evaluatedPredictions).toBe(200_000);
    // The path is 80% fixed, so the n-gram must do much better than guessing among 26 symbols.
    expect(model.metrics.accuracy!).toBeGreaterThan(0.5);
    const json = serializeModel(model);
    expect(loadModel(json).metrics).toEqual(model.metrics);
  });
});
