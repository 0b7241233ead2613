import type { EventLog } from '../../event-log.js';

/**
 * A large log built straight into typed arrays (no row objects): `caseCount` cases of
 * `eventsPerCase` events over 25 activities, mostly a fixed path with random detours.
 */
export function syntheticLog(caseCount: number, eventsPerCase: number): EventLog {
  const eventCount = caseCount * eventsPerCase;
  const activities = Array.from({ length: 25 }, (_, i) => `activity ${i}`);
  const eventCase = new Uint32Array(eventCount);
  const eventActivity = new Uint32Array(eventCount);
  const eventTimestamp = new Float64Array(eventCount);
  const eventRow = new Uint32Array(eventCount);
  const caseOffsets = new Uint32Array(caseCount + 1);
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let c = 0; c < caseCount; c++) {
    caseOffsets[c + 1] = (c + 1) * eventsPerCase;
    let t = Date.UTC(2023, 0, 1) + c * 60_000;
    for (let k = 0; k < eventsPerCase; k++) {
      const i = c * eventsPerCase + k;
      eventCase[i] = c;
      eventActivity[i] = random() < 0.8 ? k % activities.length : Math.floor(random() * activities.length);
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
    resources: [],
    eventCase,
    eventActivity,
    eventResource: new Int32Array(eventCount).fill(-1),
    eventTimestamp,
    eventStart: null,
    eventRow,
    caseOffsets,
    extraColumns: [],
  };
}
