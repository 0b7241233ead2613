/** Conformance checking against accepting Petri nets: token replay, alignments, ETConformance precision. */
export { alignLog, alignTrace, DEFAULT_ALIGNMENT_LIMITS, type AlignmentLimits, type AlignmentMove, type LogAlignments, type TraceAlignment } from './alignments.js';
export {
  checkModelConformance, type ActivityDeviation, type ConformanceTrace, type ModelConformanceFigures, type ModelConformanceOptions,
  type ModelDescription, type VariantDeviation,
} from './check-model-conformance.js';
export { compileNet, type CompiledNet } from './compiled-net.js';
export { etcPrecision, type PrecisionResult } from './precision.js';
export { replayLog, replayTrace, tokenFitness, type LogReplay, type TokenCounts, type TraceReplay } from './token-replay.js';
