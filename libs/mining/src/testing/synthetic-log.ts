import type { EventLog } from '../event-log.js';
import { seededRandom } from './seeded-random.js';

export interface SyntheticLogOptions {
  /**
   * Resources to draw one at random per event; 0 (the default) leaves events without a
   * resource and draws nothing, so the activity/timestamp sequence does not depend on it.
   */
  readonly resourceCount?: number;
}

/**
 * A large log built straight into typed arrays (no row objects, so a million events stay
 * cheap): `caseCount` cases of `eventsPerCase` events over 25 activities, mostly a fixed
 * path with random detours (many variants and some rework). Seeded: the same on every run.
 */
export function syntheticLog(caseCount: number, eventsPerCase: number, options: SyntheticLogOptions = {}): EventLog {
  const resourceCount = options.resourceCount ?? 0;
  const eventCount = caseCount * eventsPerCase;
  const activities = Array.from({ length: 25 }, (_, i) => `activity ${i}`);
  const resources = Array.from({ length: resourceCount }, (_, i) => `resource ${i}`);
  const eventCase = new Uint32Array(eventCount);
  const eventActivity = new Uint32Array(eventCount);
  const eventResource = new Int32Array(eventCount).fill(-1);
  const eventTimestamp = new Float64Array(eventCount);
  const eventRow = new Uint32Array(eventCount);
  const caseOffsets = new Uint32Array(caseCount + 1);
  const random = seededRandom(42);
  for (let c = 0; c < caseCount; c++) {
    caseOffsets[c + 1] = (c + 1) * eventsPerCase;
    let t = Date.UTC(2023, 0, 1) + c * 60_000;
    for (let k = 0; k < eventsPerCase; k++) {
      const i = c * eventsPerCase + k;
      eventCase[i] = c;
      eventActivity[i] = random() < 0.8 ? k % activities.length : Math.floor(random() * activities.length);
      if (resourceCount > 0) eventResource[i] = Math.floor(random() * resourceCount);
      t += Math.floor(random() * 86_400_000);
      eventTimestamp[i] = t;
      eventRow[i] = i;
    }
  }
  return {
    eventCount,
    caseCount,
    caseIds: Array.from({ length: caseCount }, (_, c) => `case-${c}`),
    activities,
    resources,
    eventCase,
    eventActivity,
    eventResource,
    eventTimestamp,
    eventStart: null,
    eventRow,
    caseOffsets,
    extraColumns: [],
  };
}
