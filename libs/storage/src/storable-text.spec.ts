import { describe, expect, it } from '@jest/globals';
import { inspectJsonValue, unstorableTextReason } from './storable-text.js';

describe('unstorableTextReason', () => {
  it('refuses NUL and unpaired surrogates, keeps any other text', () => {
    expect(unstorableTextReason('a\u0000b')).toMatch(/NUL/);
    expect(unstorableTextReason('a\ud800')).toMatch(/surrogate/);
    expect(unstorableTextReason('\udc00a')).toMatch(/surrogate/);
    expect(unstorableTextReason('ok 😀 \u202e ü')).toBeNull();
  });
});

describe('inspectJsonValue', () => {
  it('names values and keys by their path', () => {
    // A key is judged with its object, before the values below it.
    expect(inspectJsonValue({ a: ['x', 'y\u0000'], 'k\u0000': 1, b: { c: '\ud800' } })).toEqual([
      { field: 'k\u0000', message: expect.stringMatching(/^key .*NUL/) },
      { field: 'a[1]', message: expect.stringMatching(/NUL/) },
      { field: 'b.c', message: expect.stringMatching(/surrogate/) },
    ]);
  });
  it('stops at the depth limit without recursion, even 100,000 levels down', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inspectJsonValue({ x: deep }, '', { maxDepth: 3 })).toEqual([{ field: 'x[0][0]', message: 'is nested deeper than 3 levels' }]);
  });
  it('counts keys and array items over the whole value', () => {
    expect(inspectJsonValue({ a: [1, 2, 3], b: 1 }, '', { maxKeys: 5 })).toEqual([]);
    expect(inspectJsonValue({ a: [1, 2, 3, 4], b: 1 }, '', { maxKeys: 5, wholeName: 'query' }))
      .toEqual([{ field: 'query', message: 'has more than 5 keys and array items in all' }]);
  });
  it('reports at most maxProblems', () => {
    expect(inspectJsonValue(Array(100).fill('\u0000'), '', { maxProblems: 20 })).toHaveLength(20);
  });
});
