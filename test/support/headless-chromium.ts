/**
 * Debian's Chromium for the browser suites (`apt-get install -y chromium`, which .ci/run
 * does): where it lives, the flags it runs with, and the loud skip when it is missing
 * (a failure on CI, CI=true).
 */
import { describe } from '@jest/globals';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

/** Without the background-networking flags Chromium tries to reach its services, which this network refuses. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe`, or `describe.skip` with a SKIPPED line when Chromium is not installed (throws on CI). */
export function describeWithChromium(what: string): typeof describe | typeof describe.skip {
  if (existsSync(CHROMIUM)) return describe;
  if (process.env['CI'] === 'true') throw new Error(`${CHROMIUM} is missing on CI: apt-get install -y chromium`);
  console.warn(`SKIPPED: ${CHROMIUM} not found; install it with "apt-get install -y chromium" to run ${what}`);
  return describe.skip;
}
