/**
 * `parameters.eventClassifier`: what counts as one event of an activity.
 * - `activity`: every event is an execution of its `concept:name` (pm4py's default); each
 *   lifecycle transition is an event of its own.
 * - `activity+lifecycle`: the classifier XES logs declare (`concept:name lifecycle:transition`):
 *   activity and transition joined with `+` as pm4py names it ("A+start", "A+complete"); an
 *   event without a transition keeps the bare name.
 * - `activity-instances`: start and complete transitions of one activity in one case become a
 *   single instance (pm4py's interval conversion): a START is paired with the next COMPLETE of
 *   the same activity in the same case, first in first out; the instance keeps the COMPLETE's
 *   timestamp, resource, source row and attributes, with the START's timestamp as its start.
 *   A COMPLETE (or an event without a transition) with no open START is an instance without a
 *   start. A START never completed in its case is counted as unmatched and is no instance (it
 *   has no completion to place it in the log's order). Other transitions (schedule, assign,
 *   suspend, resume, withdraw, ate_abort, ...) are counted and are no instances; a suspension
 *   counts towards the instance's service time.
 * Default: `activity-instances` when the log has at least one START/COMPLETE pair, else
 * `activity` (without lifecycle data all three give the same log).
 * Linear in the events, typed arrays only.
 */
import type { EventLog } from '../event-log.js';
import { selectEvents } from '../analysis/time-window.js';
import { eventTransitionKinds, TRANSITION_COMPLETE, TRANSITION_START } from './lifecycle-transitions.js';

export const EVENT_CLASSIFIERS = ['activity', 'activity+lifecycle', 'activity-instances'] as const;
export type EventClassifier = (typeof EVENT_CLASSIFIERS)[number];

export interface LifecycleFigures {
  /** Events per transition as written (null: events without one), by count desc, then name. */
  readonly transitions: readonly { readonly transition: string | null; readonly count: number }[];
  /** START transitions paired with a later COMPLETE: instances with a start and a completion. */
  readonly pairedInstances: number;
  /** COMPLETE transitions (or events without one) with no open START: instances without a start. */
  readonly completesWithoutStart: number;
  /** START transitions never completed in their case (no instance). */
  readonly unmatchedStarts: number;
  /** Transitions other than start and complete (no instance). */
  readonly otherTransitions: number;
}

export interface EventClassifierFigures {
  readonly classifier: EventClassifier;
  /** `requested` by `parameters.eventClassifier`, or the `default` for this log. */
  readonly basis: 'requested' | 'default';
  readonly reason: string;
  readonly eventsBefore: number;
  /** Events the analyses see (instances under `activity-instances`). */
  readonly eventsAfter: number;
  /** How the lifecycle transitions pair up; null when the log has no lifecycle data. */
  readonly lifecycle: LifecycleFigures | null;
}

interface Pairing {
  readonly keep: Uint8Array;
  readonly startOf: Float64Array;
  readonly figures: LifecycleFigures;
}

/** Applies the requested classifier, or the log's default when none is requested. */
export function classifyEvents(log: EventLog, requested?: EventClassifier): { log: EventLog; figures: EventClassifierFigures } {
  const kinds = eventTransitionKinds(log);
  const pairing = kinds ? pairInstances(log, kinds) : null;
  const paired = pairing?.figures.pairedInstances ?? 0;
  const classifier: EventClassifier = requested ?? (paired > 0 ? 'activity-instances' : 'activity');
  const reason = requested
    ? 'requested by parameters.eventClassifier'
    : paired > 0
      ? `default: the log has ${paired} start/complete pairs, each one activity instance`
      : kinds
        ? 'default: the log has no start/complete pairs'
        : 'default: the log has no lifecycle transitions';
  let classified = log;
  if (classifier === 'activity-instances' && pairing) {
    // Every instance is one execution: the transitions have done their work.
    const { lifecycles: _names, eventLifecycle: _transitions, ...instances } = selectEvents(log, pairing.keep, pairing.startOf);
    classified = instances;
  } else if (classifier === 'activity+lifecycle' && kinds) {
    classified = withLifecycleInActivity(log);
  }
  return {
    log: classified,
    figures: {
      classifier,
      basis: requested ? 'requested' : 'default',
      reason,
      eventsBefore: log.eventCount,
      eventsAfter: classified.eventCount,
      lifecycle: pairing?.figures ?? null,
    },
  };
}

function pairInstances(log: EventLog, kinds: Uint8Array): Pairing {
  const activityCount = log.activities.length;
  const keep = new Uint8Array(log.eventCount);
  const startOf = new Float64Array(log.eventCount).fill(Number.NaN);
  // Open STARTs per activity of the current case, as linked lists (head, tail, next) in log order.
  const head = new Int32Array(activityCount).fill(-1);
  const tail = new Int32Array(activityCount).fill(-1);
  const next = new Int32Array(log.eventCount).fill(-1);
  const ts = log.eventTimestamp;
  let pairedInstances = 0;
  let completesWithoutStart = 0;
  let unmatchedStarts = 0;
  let otherTransitions = 0;
  for (let c = 0; c < log.caseCount; c++) {
    const begin = log.caseOffsets[c]!;
    const end = log.caseOffsets[c + 1]!;
    for (let i = begin; i < end; i++) {
      const a = log.eventActivity[i]!;
      const kind = kinds[i]!;
      if (kind === TRANSITION_START) {
        if (tail[a]! < 0) head[a] = i;
        else next[tail[a]!] = i;
        tail[a] = i;
      } else if (kind === TRANSITION_COMPLETE) {
        keep[i] = 1;
        const s = head[a]!;
        if (s >= 0) {
          head[a] = next[s]!;
          if (head[a]! < 0) tail[a] = -1;
          startOf[i] = ts[s]!;
          pairedInstances++;
        } else {
          startOf[i] = log.eventStart ? log.eventStart[i]! : Number.NaN;
          completesWithoutStart++;
        }
      } else {
        otherTransitions++;
      }
    }
    // STARTs still open at the end of the case were never completed.
    for (let i = begin; i < end; i++) {
      const a = log.eventActivity[i]!;
      for (let s = head[a]!; s >= 0; s = next[s]!) unmatchedStarts++;
      head[a] = -1;
      tail[a] = -1;
    }
  }
  return {
    keep,
    startOf,
    figures: { transitions: transitionCounts(log), pairedInstances, completesWithoutStart, unmatchedStarts, otherTransitions },
  };
}

function transitionCounts(log: EventLog): LifecycleFigures['transitions'] {
  const names = log.lifecycles ?? [];
  const counts = new Uint32Array(names.length + 1);
  for (let i = 0; i < log.eventCount; i++) counts[log.eventLifecycle![i]! + 1]!++;
  const result: { transition: string | null; count: number }[] = [];
  for (let l = -1; l < names.length; l++) if (counts[l + 1]! > 0) result.push({ transition: l < 0 ? null : names[l]!, count: counts[l + 1]! });
  return result.sort((x, y) => y.count - x.count || (x.transition ?? '').localeCompare(y.transition ?? ''));
}

/** Activity names "activity+transition", numbered in order of first occurrence. */
function withLifecycleInActivity(log: EventLog): EventLog {
  const transitions = log.lifecycles ?? [];
  const width = transitions.length + 1;
  const idOf = new Int32Array(log.activities.length * width).fill(-1);
  const activities: string[] = [];
  const eventActivity = new Uint32Array(log.eventCount);
  for (let i = 0; i < log.eventCount; i++) {
    const a = log.eventActivity[i]!;
    const l = log.eventLifecycle![i]!;
    const key = a * width + l + 1;
    let id = idOf[key]!;
    if (id < 0) {
      id = idOf[key] = activities.length;
      activities.push(l < 0 ? log.activities[a]! : `${log.activities[a]!}+${transitions[l]!}`);
    }
    eventActivity[i] = id;
  }
  return { ...log, activities, eventActivity };
}
