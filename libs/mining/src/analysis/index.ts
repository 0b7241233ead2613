/** Public API of the process-mining analyses. */
export * from './analysis.types.js';
export { analyzeLog, parseAnalysisOptions, PERFORMANCE_METRICS } from './analyze-log.js';
export { filterByTimeWindow, validateTimeWindow, parseWindowBound, selectEvents } from './time-window.js';
export { summarizeLog } from './summary.js';
export { LogMeasures } from './log-measures.js';
export { activityStatistics, countActivities } from './activity-statistics.js';
export { directlyFollowsGraph, discoverDfgForMap, computeDfgCore, orderEdgesForMap } from './dfg.js';
export { analyzeVariants } from './variants.js';
export { caseDurations, cycleTime, waitingTime, serviceTime, serviceTimesByActivity, resourceUtilization, secondsSincePrevious, SERVICE_TIME_DEFINITION } from './performance.js';
export { analyzeRework } from './rework.js';
export { detectAnomalies, caseDurationFences, inferExpectedActivities } from './anomalies.js';
export { generateInsights } from './insights.js';
export { QUANTILE_METHOD, quantileSorted } from './numeric.js';
