/**
 * How the analyses read lifecycle transitions (XES standard lifecycle model: schedule, assign,
 * start, suspend, resume, complete, ...). Only `start` and `complete` delimit an execution; an
 * event without a transition counts as a completion (a log without lifecycle data is a log of
 * completions). Matching ignores case and surrounding spaces.
 */
import type { EventLog } from '../event-log.js';

export const TRANSITION_COMPLETE = 0;
export const TRANSITION_START = 1;
/** schedule, assign, reassign, suspend, resume, withdraw, ate_abort, pi_abort, autoskip, manualskip, unknown, ... */
export const TRANSITION_OTHER = 2;

export function transitionKindOf(transition: string): number {
  const name = transition.trim().toLowerCase();
  if (name === 'complete') return TRANSITION_COMPLETE;
  if (name === 'start') return TRANSITION_START;
  return TRANSITION_OTHER;
}

/**
 * Per event: its transition kind (TRANSITION_*); null when the log has no lifecycle data, so
 * every event is a completion.
 */
export function eventTransitionKinds(log: EventLog): Uint8Array | null {
  const eventLifecycle = log.eventLifecycle;
  const names = log.lifecycles;
  if (!eventLifecycle || !names || names.length === 0) return null;
  const kindOfName = Uint8Array.from(names, transitionKindOf);
  const kinds = new Uint8Array(log.eventCount);
  for (let i = 0; i < log.eventCount; i++) {
    const l = eventLifecycle[i]!;
    kinds[i] = l < 0 ? TRANSITION_COMPLETE : kindOfName[l]!;
  }
  return kinds;
}
