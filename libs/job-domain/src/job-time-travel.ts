/**
 * Time travel: the job as it stood at a point of its stream, folded with the same `evolve`
 * the write side and the projection use. A point is a revision (after that event) or a
 * time (after the last event the store recorded at or before it).
 */
import type { RecordedEvent } from '../../event-store/src/event-store.port.js';
import type { JobEvent } from './job.events.js';
import { evolve, type JobState } from './job.state.js';

export type JobPointInTime = { readonly revision: number } | { readonly time: Date };

/** The job at `point`, or null when its stream had no event by then (not submitted yet). */
export function jobAsOf(recorded: readonly RecordedEvent[], point: JobPointInTime): JobState | null {
  const until = 'revision' in point ? null : point.time.getTime();
  let state: JobState | null = null;
  for (const e of recorded) {
    const revision = Number(e.revision);
    if ('revision' in point ? revision > point.revision : Date.parse(e.recordedAt) > until!) break;
    state = evolve(state, { type: e.type, data: e.data } as JobEvent, revision, e.recordedAt);
  }
  return state;
}
