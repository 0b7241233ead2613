/**
 * ETConformance precision (Muñoz-Gama & Carmona 2010), as pm4py's
 * `precision_token_based_replay` computes it.
 *
 * For every prefix of every trace (lengths 1 … |trace| − 1), the log continues it with a
 * set of activities ("reflected"); replaying the prefix (token replay, silent transitions
 * walked, stopping at the first missing token) gives a marking in which some visible
 * transitions are enabled, directly or after silent firings ("activated"). Activated but
 * never reflected are escaping edges. With n(prefix) the number of cases continuing that
 * prefix, and the empty prefix counted once per case (activated in the initial marking,
 * reflected = the log's start activities):
 *
 *     precision = 1 − Σ n · |escaping| / Σ n · |activated|
 *
 * over the prefixes whose replay fits. Null when no prefix activates anything (pm4py
 * returns 1 then; nothing was measured). Prefixes are walked as a trie so each distinct
 * prefix is replayed once, extending its parent's marking by one event.
 */
import { labelsEventuallyEnabled, markingKey, type CompiledNet } from './compiled-net.js';
import { replayEvent, startReplay, type ReplayState } from './token-replay.js';

export const ENABLED_SEARCH_STATES = 2_000;

interface PrefixNode {
  readonly children: Map<string, PrefixNode>;
  /** Cases whose trace continues after this prefix. */
  continuing: number;
}

export interface PrecisionResult {
  readonly precision: number | null;
  readonly activated: number;
  readonly escaping: number;
  /** Distinct non-empty prefixes, and those whose replay did not fit (left out). */
  readonly prefixes: number;
  readonly unfitPrefixes: number;
}

export function etcPrecision(net: CompiledNet, traces: readonly { readonly activities: readonly string[]; readonly caseCount: number }[]): PrecisionResult {
  const root: PrefixNode = { children: new Map(), continuing: 0 };
  let cases = 0;
  const startActivities = new Set<string>();
  for (const trace of traces) {
    if (trace.activities.length === 0) continue;
    cases += trace.caseCount;
    startActivities.add(trace.activities[0]!);
    let node = root;
    trace.activities.forEach((activity, i) => {
      if (i > 0) node.continuing += trace.caseCount;
      let child = node.children.get(activity);
      if (!child) {
        child = { children: new Map(), continuing: 0 };
        node.children.set(activity, child);
      }
      node = child;
    });
  }
  let activated = 0;
  let escaping = 0;
  let prefixes = 0;
  let unfitPrefixes = 0;
  // Many prefixes end in the same marking; its activated labels are computed once.
  const activatedIn = new Map<string, Set<string>>();
  const activatedLabels = (marking: Int32Array): Set<string> => {
    const key = markingKey(marking);
    let labels = activatedIn.get(key);
    if (!labels) activatedIn.set(key, (labels = labelsEventuallyEnabled(net, marking, ENABLED_SEARCH_STATES)));
    return labels;
  };
  const initial = activatedLabels(net.initialMarking);
  activated += cases * initial.size;
  escaping += cases * [...initial].filter((label) => !startActivities.has(label)).length;

  const walk = (node: PrefixNode, state: ReplayState): void => {
    for (const [activity, child] of node.children) {
      if (child.continuing > 0) prefixes++;
      const next: ReplayState = { marking: state.marking, counts: { ...state.counts } };
      if (replayEvent(net, next, activity) !== 'fired') {
        unfitPrefixes += countPrefixes(child);
        continue;
      }
      if (child.continuing > 0) {
        const labels = activatedLabels(next.marking);
        activated += child.continuing * labels.size;
        for (const label of labels) if (!child.children.has(label)) escaping += child.continuing;
      }
      walk(child, next);
    }
  };
  walk(root, startReplay(net));
  return { precision: activated > 0 ? 1 - escaping / activated : null, activated, escaping, prefixes, unfitPrefixes };
}

/** Prefixes (nodes some case continues) in the subtree. */
function countPrefixes(node: PrefixNode): number {
  let n = node.continuing > 0 ? 1 : 0;
  for (const child of node.children.values()) n += countPrefixes(child);
  return n;
}
