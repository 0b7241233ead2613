/**
 * The in-memory event log every analysis reads. Columnar (typed arrays + interned
 * strings) so a million-event log fits in tens of megabytes and scans are cache-friendly.
 *
 * Events are sorted stably by (case, timestamp, original row): the events of case `c`
 * are the indexes `caseOffsets[c] .. caseOffsets[c + 1] - 1`.
 */
export interface EventLog {
  readonly eventCount: number;
  readonly caseCount: number;
  /** Case index -> case id as written in the source. */
  readonly caseIds: readonly string[];
  /** Activity index -> activity name. */
  readonly activities: readonly string[];
  /** Resource index -> resource name. */
  readonly resources: readonly string[];
  /** Per event: case index. */
  readonly eventCase: Uint32Array;
  /** Per event: activity index. */
  readonly eventActivity: Uint32Array;
  /** Per event: resource index, or -1 when the event has no resource. */
  readonly eventResource: Int32Array;
  /** Per event: completion timestamp, epoch milliseconds (UTC). */
  readonly eventTimestamp: Float64Array;
  /** Per event: start timestamp in epoch ms, NaN where unknown; null when the log has none. */
  readonly eventStart: Float64Array | null;
  /** Per event: 0-based index of the source record (data row of a CSV, event of an XES). */
  readonly eventRow: Uint32Array;
  /** Length caseCount + 1; case c owns events [caseOffsets[c], caseOffsets[c + 1]). */
  readonly caseOffsets: Uint32Array;
  /** Source columns/attributes not mapped to the fields above, values per event (sorted order). */
  readonly extraColumns: readonly { readonly name: string; readonly values: readonly (string | null)[] }[];
  /**
   * Lifecycle transitions as written in the source (`lifecycle:transition` of XES, the mapped
   * lifecycle column of a CSV); `eventLifecycle` indexes into it. Absent when the log has none.
   */
  readonly lifecycles?: readonly string[];
  /** Per event: index into `lifecycles`, -1 when the event has no transition; absent/null when the log has none. */
  readonly eventLifecycle?: Int32Array | null;
  /**
   * Exact repeats the ingest removed, kept aside so a job may put them back
   * (`qualityChecks.checkDuplicates: false`, see `withExactRepeats`). Absent/null when none.
   */
  readonly exactRepeats?: ExactRepeats | null;
}

/**
 * Removed duplicates, in log order (case, then timestamp, then source record). Each repeats the
 * case, activity, completion timestamp, resource and lifecycle transition of the kept event
 * `original[k]`; its start timestamp and extra column values are its own.
 */
export interface ExactRepeats {
  readonly count: number;
  /** Per repeat: index of the event in the log it repeats. */
  readonly original: Uint32Array;
  /** Per repeat: 0-based index of its source record. */
  readonly row: Uint32Array;
  /** Per repeat: its start timestamp (NaN when unknown); null when the log has no start timestamps. */
  readonly start: Float64Array | null;
  /** Per extra column (same order as `EventLog.extraColumns`): each repeat's value of it. */
  readonly extraValues: readonly (readonly (string | null)[])[];
}

/** Which source column holds each field. */
export interface ColumnMapping {
  readonly caseId: string;
  readonly activity: string;
  readonly timestamp: string;
  readonly resource?: string;
  readonly startTimestamp?: string;
  /** Lifecycle transition (start, complete, schedule, ...). */
  readonly lifecycle?: string;
}
