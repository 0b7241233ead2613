import type { EventLog } from '../../event-log.js';
import { eventLogFromRows, type EventRow } from '../../testing/event-log-from-rows.js';
import { seededRandom } from '../../testing/seeded-random.js';

/** A seeded random log: cases follow a noisy Markov chain and start at random times. */
export function randomLog(caseCount: number, seed: number): EventLog {
  const random = seededRandom(seed);
  const activities = ['a', 'b', 'c', 'd', 'e', 'f'];
  const rows: EventRow[] = [];
  for (let c = 0; c < caseCount; c++) {
    let t = Date.UTC(2024, 0, 1) + Math.floor(random() * 1e10);
    let current = Math.floor(random() * 2);
    const length = 1 + Math.floor(random() * 8);
    for (let k = 0; k < length; k++) {
      rows.push({ case: `case-${c}`, activity: activities[current]!, timestamp: new Date(t).toISOString() });
      current = random() < 0.7 ? (current + 1) % activities.length : Math.floor(random() * activities.length);
      t += Math.floor(random() * 3_600_000 * 24);
    }
  }
  return eventLogFromRows(rows);
}
