/**
 * A small linear congruential generator for test data: the same seed gives the same
 * sequence on every run, so generated logs (and the figures asserted on them) are stable.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}
