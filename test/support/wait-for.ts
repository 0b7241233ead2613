/**
 * Polling for a condition with a deadline: how every suite waits for something to happen
 * (never a fixed sleep). Keep `timeoutMs` below the test's own Jest timeout.
 */

/** Resolves with the probe's first truthy value; throws after `timeoutMs` naming `what`. */
export async function waitFor<T>(
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 30_000, everyMs = 200, what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Waits `ms` on purpose: only for a test whose subject is that nothing happens meanwhile. */
export function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
