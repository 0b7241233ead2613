/**
 * What the process-map renderer draws: activities with their event frequency, and
 * directly-follows edges between them, including edges from the artificial start and to
 * the artificial end (use PROCESS_MAP_START / PROCESS_MAP_END as `from` / `to`).
 * Pruning (which activities and edges to keep) happens before; the renderer draws all it gets.
 */

/** Edge endpoint id of the artificial start (before each case's first activity). */
export const PROCESS_MAP_START = '__process_map_start__';
/** Edge endpoint id of the artificial end (after each case's last activity). */
export const PROCESS_MAP_END = '__process_map_end__';

export interface ProcessMapNode {
  /** Unique id, referenced by edges; must not equal PROCESS_MAP_START or PROCESS_MAP_END. */
  readonly id: string;
  /** Text shown in the box (any characters; escaped by the renderer). */
  readonly label: string;
  /** Events of this activity. */
  readonly frequency: number;
}

export interface ProcessMapEdge {
  readonly from: string;
  readonly to: string;
  /** How often `to` directly followed `from` (for start/end edges: cases). */
  readonly frequency: number;
  /** Mean time between the two events, seconds. */
  readonly meanSeconds?: number;
  /** Median time between the two events, seconds. */
  readonly medianSeconds?: number;
}

export interface ProcessMapGraph {
  readonly nodes: readonly ProcessMapNode[];
  readonly edges: readonly ProcessMapEdge[];
}

export interface ProcessMapOptions {
  /** What edge labels show: counts, or durations (mean, else median). Nodes always show their count. Default frequency. */
  readonly label?: 'frequency' | 'performance';
  /** Drawn above the map. */
  readonly title?: string;
  /** Graphviz rank direction; top-to-bottom reads like a flow chart. Default TB. */
  readonly direction?: 'TB' | 'LR';
}
