/**
 * Result types of the process-mining analyses. Everything under `ProcessMiningFigures`
 * is plain JSON (numbers, strings, arrays, objects; no Maps, typed arrays or Dates) so it
 * can be stored, served and rendered as is. Per-case/per-event arrays used to build the
 * enriched dataset live separately in `CaseEnrichment` (typed arrays, not JSON).
 *
 * Units: durations are seconds (suffix `Seconds`), timestamps ISO-8601 UTC strings,
 * percentages 0..100 (suffix `Percent`).
 */
import type { EventLog } from '../event-log.js';
import type { LogMeasures } from './log-measures.js';

// ---------------------------------------------------------------------------
// Options

export type TimeWindowMode = 'events' | 'contained' | 'intersecting';

/** `parameters.timeWindow`. Bounds inclusive; a date-only endDate includes that whole day (UTC). */
export interface TimeWindow {
  readonly startDate?: string;
  readonly endDate?: string;
  /** Default `events`. */
  readonly mode?: TimeWindowMode;
}

export type PerformanceMetricName = 'cycle_time' | 'waiting_time' | 'resource_utilization';

export interface AnalysisOptions {
  /** Applied first when given (the log is filtered before every analysis). */
  readonly timeWindow?: TimeWindow;
  /** Which performance metrics to compute; none when absent/empty. */
  readonly performanceMetrics?: readonly PerformanceMetricName[];
  readonly includeAnomalyDetection?: boolean;
  readonly generateInsights?: boolean;
  /** Rare-variant threshold as a share of cases, 0..1. Default 0.01 (1%). */
  readonly rareVariantShare?: number;
  /** Rare variants are only flagged on logs with at least this many cases. Default 20. */
  readonly rareVariantMinCases?: number;
  /** When given, start/end violations are judged against these instead of the inferred ones. */
  readonly expectedStartActivities?: readonly string[];
  readonly expectedEndActivities?: readonly string[];
}

// ---------------------------------------------------------------------------
// 1. Time window

export interface TimeWindowApplied {
  readonly mode: TimeWindowMode;
  /** Effective inclusive bounds, ISO UTC; null = unbounded. */
  readonly from: string | null;
  readonly to: string | null;
  readonly casesBefore: number;
  readonly casesAfter: number;
  readonly eventsBefore: number;
  readonly eventsAfter: number;
}

// ---------------------------------------------------------------------------
// 2. Summary

export interface LogSummary {
  readonly caseCount: number;
  readonly eventCount: number;
  readonly activityCount: number;
  /** Distinct resources that occur on at least one event. */
  readonly resourceCount: number;
  /** ISO UTC of the earliest timestamp (start timestamps included when present); null on an empty log. */
  readonly firstTimestamp: string | null;
  readonly lastTimestamp: string | null;
  /** null on a log without cases. */
  readonly meanEventsPerCase: number | null;
  readonly hasStartTimestamps: boolean;
}

// ---------------------------------------------------------------------------
// 3. Activity statistics

export interface ActivityCount {
  readonly activity: string;
  readonly count: number;
}

export interface ActivityStatistic {
  readonly activity: string;
  /** Number of events with this activity. */
  readonly eventFrequency: number;
  /** Number of cases containing it at least once. */
  readonly caseFrequency: number;
  /** Number of cases whose first event is this activity. */
  readonly startCount: number;
  /** Number of cases whose last event is this activity. */
  readonly endCount: number;
}

export interface ActivityStatistics {
  /** Sorted by eventFrequency desc, then name. */
  readonly activities: readonly ActivityStatistic[];
  /** Sorted by count desc, then name; only activities that start at least one case. */
  readonly startActivities: readonly ActivityCount[];
  readonly endActivities: readonly ActivityCount[];
}

// ---------------------------------------------------------------------------
// 4. Directly-follows graph

/** Seconds; stdev is the sample standard deviation (n-1), null when count < 2. */
export interface DurationStatistics {
  readonly count: number;
  readonly meanSeconds: number;
  readonly medianSeconds: number;
  readonly minSeconds: number;
  readonly maxSeconds: number;
  readonly stdevSeconds: number | null;
}

export interface DfgEdge {
  readonly source: string;
  readonly target: string;
  readonly count: number;
  /** Time between the two completion timestamps. */
  readonly performance: DurationStatistics;
}

export interface DirectlyFollowsGraph {
  /** Node frequencies (events per activity), sorted by count desc then name. */
  readonly nodes: readonly ActivityCount[];
  /** Sorted by count desc, then source, then target. */
  readonly edges: readonly DfgEdge[];
  /** Artificial start → activity edges: cases whose first event is the activity. */
  readonly startEdges: readonly ActivityCount[];
  /** Artificial activity → end edges: cases whose last event is the activity. */
  readonly endEdges: readonly ActivityCount[];
}

// ---------------------------------------------------------------------------
// 5. Variants

export interface Variant {
  /** V1, V2, ... in the order of `variants` (frequency desc; ties by first occurrence). */
  readonly id: string;
  readonly activities: readonly string[];
  readonly caseCount: number;
  readonly coveragePercent: number;
  readonly cumulativeCoveragePercent: number;
  /** Mean case duration (cycle-time basis) of the variant's cases, seconds. */
  readonly meanDurationSeconds: number;
}

export interface VariantAnalysis {
  readonly variantCount: number;
  readonly variants: readonly Variant[];
}

// ---------------------------------------------------------------------------
// 6. Performance

export interface CycleTimeFigures {
  /** `start` when the log has start timestamps (case begins at its earliest start), else `completion`. */
  readonly basis: 'start' | 'completion';
  readonly caseCount: number;
  /** null when there are no cases to measure. */
  readonly meanSeconds: number | null;
  readonly medianSeconds: number | null;
  readonly p90Seconds: number | null;
  readonly minSeconds: number | null;
  readonly maxSeconds: number | null;
}

export interface ActivityServiceTime {
  readonly activity: string;
  /** Events of the activity with a known start timestamp. */
  readonly count: number;
  readonly meanSeconds: number;
  readonly medianSeconds: number;
  readonly p90Seconds: number;
  readonly maxSeconds: number;
}

export interface ServiceTimeFigures {
  readonly definition: string;
  /** Sorted by meanSeconds desc, then name; only activities with a measured service time. */
  readonly perActivity: readonly ActivityServiceTime[];
}

export interface ActivityWaitingTime {
  readonly activity: string;
  /** Number of measured waits (events that are not the first of their case). */
  readonly count: number;
  readonly meanSeconds: number;
  readonly medianSeconds: number;
  readonly maxSeconds: number;
}

export interface WaitingTimeFigures {
  /** false: start − previous completion (true waiting); true: time since the previous event's completion. */
  readonly approximation: boolean;
  readonly definition: string;
  /** Sorted by meanSeconds desc, then name. */
  readonly perActivity: readonly ActivityWaitingTime[];
}

export interface ResourceWorkload {
  readonly resource: string;
  readonly eventCount: number;
  readonly caseCount: number;
  readonly eventSharePercent: number;
  readonly firstTimestamp: string;
  readonly lastTimestamp: string;
  /** lastTimestamp − firstTimestamp. */
  readonly activeSpanSeconds: number;
}

export interface Handover {
  readonly from: string;
  readonly to: string;
  readonly count: number;
}

export interface ResourceUtilizationFigures {
  /** Sorted by eventCount desc, then name. */
  readonly resources: readonly ResourceWorkload[];
  readonly eventsWithoutResource: number;
  /** Sparse handover-of-work matrix, sorted by count desc, then from, then to. */
  readonly handovers: readonly Handover[];
}

export interface PerformanceFigures {
  /** Present only when requested. */
  readonly cycleTime?: CycleTimeFigures;
  readonly waitingTime?: WaitingTimeFigures;
  /** With `waiting_time`: completion − start per activity; null when the log has no start timestamps. */
  readonly serviceTime?: ServiceTimeFigures | null;
  readonly resourceUtilization?: ResourceUtilizationFigures;
}

// ---------------------------------------------------------------------------
// 7. Rework

export interface ActivityRework {
  readonly activity: string;
  /** Cases where the activity occurs more than once. */
  readonly caseCount: number;
  /** Occurrences beyond the first, summed over cases. */
  readonly extraOccurrences: number;
}

export interface ReworkFigures {
  /** Only activities with rework; sorted by caseCount desc, extraOccurrences desc, name. */
  readonly perActivity: readonly ActivityRework[];
  readonly reworkCaseCount: number;
  /** null on a log without cases. */
  readonly reworkCasePercent: number | null;
}

// ---------------------------------------------------------------------------
// 8. Anomalies

export type AnomalyKind =
  | 'case_duration_outlier'
  | 'rare_variant'
  | 'rework'
  | 'unexpected_start_activity'
  | 'unexpected_end_activity';

/** Bit per kind in `CaseEnrichment.caseAnomalyFlags`. */
export const ANOMALY_FLAG: Readonly<Record<AnomalyKind, number>> = {
  case_duration_outlier: 1,
  rare_variant: 2,
  rework: 4,
  unexpected_start_activity: 8,
  unexpected_end_activity: 16,
};

export interface Anomaly {
  readonly caseId: string;
  readonly kind: AnomalyKind;
  /** Plain sentence with the figures. */
  readonly reason: string;
}

export interface CaseDurationFences {
  readonly quantileMethod: string;
  readonly q1Seconds: number;
  readonly q3Seconds: number;
  readonly iqrSeconds: number;
  readonly lowerFenceSeconds: number;
  readonly upperFenceSeconds: number;
}

export interface AnomalyFigures {
  /** Ordered by case order of the log, then kind. */
  readonly anomalies: readonly Anomaly[];
  readonly countsByKind: Readonly<Record<AnomalyKind, number>>;
  readonly anomalousCaseCount: number;
  /** null when the log has fewer than 4 cases (no meaningful quartiles). */
  readonly caseDurationFences: CaseDurationFences | null;
  readonly rareVariants: {
    readonly applied: boolean;
    readonly thresholdPercent: number;
    /** Why the rule was (not) applied. */
    readonly note: string;
  };
  readonly expectedStartActivities: readonly string[];
  readonly expectedEndActivities: readonly string[];
  /** `explicit` when given in the options, else inferred (top activities covering ≥ 95% of cases). */
  readonly startEndBasis: 'explicit' | 'inferred';
}

// ---------------------------------------------------------------------------
// 9. Insights

export type InsightKind = 'bottleneck' | 'top_variants' | 'rework_hotspot' | 'slow_activity';

export interface Insight {
  readonly kind: InsightKind;
  readonly message: string;
  readonly figures: Readonly<Record<string, number | string>>;
}

// ---------------------------------------------------------------------------
// 10. Everything together

export interface ProcessMiningFigures {
  /** Present when a time window was applied. */
  readonly timeWindow?: TimeWindowApplied;
  readonly summary: LogSummary;
  readonly activityStatistics: ActivityStatistics;
  readonly dfg: DirectlyFollowsGraph;
  readonly variants: VariantAnalysis;
  /** Contains only the requested metrics (empty object when none were asked). */
  readonly performance: PerformanceFigures;
  readonly rework: ReworkFigures;
  /** null unless includeAnomalyDetection. */
  readonly anomalies: AnomalyFigures | null;
  /** null unless generateInsights. */
  readonly insights: readonly Insight[] | null;
}

/**
 * Per-case and per-event arrays for the enriched dataset (not JSON). Indexes are those of
 * the analysed (possibly time-window filtered) log, which `AnalysisResult.log` holds.
 */
export interface CaseEnrichment {
  /** Per case: cycle time in seconds (same basis as CycleTimeFigures). */
  readonly caseDurationSeconds: Float64Array;
  /** Per case: index into `figures.variants.variants`. */
  readonly caseVariantIndex: Uint32Array;
  /** Per case: variant id (V1, ...) — convenience view of caseVariantIndex. */
  readonly variantIds: readonly string[];
  /** Per case: 1 when some activity occurs more than once. */
  readonly caseRework: Uint8Array;
  /** Per case: bitmask of ANOMALY_FLAG; all zero unless anomaly detection ran. */
  readonly caseAnomalyFlags: Uint8Array;
  /** Per event: seconds since the previous event's completion in the same case; NaN for a case's first event. */
  readonly eventSecondsSincePrevious: Float64Array;
}

// ---------------------------------------------------------------------------
// Process map (pruned DFG for drawing)

export interface ProcessMapOptions {
  /** Keep at most this many activities (by event frequency). Default 30. */
  readonly maxActivities?: number;
  /** Keep at most this many edges between kept activities (by count). Default 60. */
  readonly maxEdges?: number;
}

export interface ProcessMapNode {
  readonly activity: string;
  readonly frequency: number;
  readonly caseFrequency: number;
  readonly startCount: number;
  readonly endCount: number;
  /** Completion − start of the activity's events with a start timestamp; null when none has one. */
  readonly serviceTime: { readonly count: number; readonly meanSeconds: number; readonly medianSeconds: number } | null;
}

export interface ProcessMapEdge {
  readonly source: string;
  readonly target: string;
  readonly count: number;
  readonly meanSeconds: number;
  readonly medianSeconds: number;
}

export interface ProcessMapGraph {
  readonly nodes: readonly ProcessMapNode[];
  readonly edges: readonly ProcessMapEdge[];
  /** Artificial start/end edges of the kept activities. */
  readonly startEdges: readonly ActivityCount[];
  readonly endEdges: readonly ActivityCount[];
  readonly totalActivities: number;
  readonly totalEdges: number;
  readonly droppedActivities: number;
  readonly droppedEdges: number;
}

/** What `analyzeLog` returns: JSON figures plus the non-JSON per-case arrays and the analysed log. */
export interface AnalysisResult {
  readonly figures: ProcessMiningFigures;
  readonly perCase: CaseEnrichment;
  /** The log the figures describe (the time-window filtered one when a window was given). */
  readonly log: EventLog;
  /** Measures of `log` the analyses computed, for the parts of a job that read them too (the process map). */
  readonly measures: LogMeasures;
}
