/** refreshAheadCache: polls past 80 % of the age limit get the kept value while one reread runs; none is ever older than the limit. */
import { describe, expect, it } from '@jest/globals';
import { refreshAheadCache } from './cached-statistics.js';

/** A loader whose reads the test settles one by one. */
function controlledLoader() {
  const pending: ((value: number) => void)[] = [];
  let reads = 0;
  return {
    load: () => new Promise<number>((resolve) => { reads += 1; pending.push(resolve); }),
    settle: (value: number) => pending.shift()!(value),
    get reads() { return reads; },
  };
}

describe('refreshAheadCache', () => {
  it('reads once for concurrent callers, answers from the value until 80 % of its age, then rereads in the background', async () => {
    let now = 0;
    const cache = refreshAheadCache<number>(1000, 10, () => now);
    const loader = controlledLoader();
    const first = [cache('a', loader.load), cache('a', loader.load)];
    loader.settle(1);
    expect(await Promise.all(first)).toEqual([1, 1]);
    expect(loader.reads).toBe(1);

    now = 700;
    expect(await cache('a', loader.load)).toBe(1);
    expect(loader.reads).toBe(1);

    now = 850; // past 80 %: the kept value at once, and one reread for everyone
    expect(await cache('a', loader.load)).toBe(1);
    expect(await cache('a', loader.load)).toBe(1);
    expect(loader.reads).toBe(2);
    loader.settle(2);
    await Promise.resolve();
    expect(await cache('a', loader.load)).toBe(2);
  });

  it('waits for a reread once the value reached its age limit, counting its age from before the read', async () => {
    let now = 0;
    const cache = refreshAheadCache<number>(1000, 10, () => now);
    const loader = controlledLoader();
    const first = cache('a', loader.load);
    now = 300; // the read took 300 ms: its value is 300 ms old when it arrives
    loader.settle(1);
    expect(await first).toBe(1);
    now = 1000;
    let answered: number | undefined;
    const late = cache('a', loader.load).then((value) => (answered = value));
    await Promise.resolve();
    expect(answered).toBeUndefined(); // not the 1,000 ms old value
    loader.settle(2);
    await late;
    expect(answered).toBe(2);
    expect(loader.reads).toBe(2);
  });
});
