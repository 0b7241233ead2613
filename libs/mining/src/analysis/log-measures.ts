/**
 * Measures of one log that several analyses and the report's process map read (activity
 * counters, the DFG's edges with their sorted durations, service times by activity, case
 * durations and variants): each
 * computed on first use and then shared, so a job sorts a log's durations once. The log is
 * only read, so what is computed stays valid.
 */
import type { EventLog } from '../event-log.js';
import { type ActivityCounters, countActivities } from './activity-statistics.js';
import { computeDfgCore, type DfgCore } from './dfg.js';
import { caseDurations, serviceTimesByActivity, type ActivityDurations, type CaseDurations } from './performance.js';
import { analyzeVariants, type VariantResult } from './variants.js';

export class LogMeasures {
  private activityCounters: ActivityCounters | undefined;
  private core: DfgCore | undefined;
  private serviceTimesOrNone: ActivityDurations | null | undefined;
  private durations: CaseDurations | undefined;
  private variantResult: VariantResult | undefined;

  constructor(readonly log: EventLog) {}

  get counters(): ActivityCounters {
    return (this.activityCounters ??= countActivities(this.log));
  }

  get dfgCore(): DfgCore {
    return (this.core ??= computeDfgCore(this.log));
  }

  /** Null when the log has no start timestamps. */
  get serviceTimes(): ActivityDurations | null {
    if (this.serviceTimesOrNone === undefined) this.serviceTimesOrNone = serviceTimesByActivity(this.log);
    return this.serviceTimesOrNone;
  }

  get caseDurations(): CaseDurations {
    return (this.durations ??= caseDurations(this.log));
  }

  get variants(): VariantResult {
    return (this.variantResult ??= analyzeVariants(this.log, this.caseDurations.seconds));
  }
}
