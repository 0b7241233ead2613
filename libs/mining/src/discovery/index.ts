/** Public API of process discovery. */
export { foldTree, mineProcessTree, type InductiveMinerOptions } from './inductive-miner.js';
export { variantLogFromSequences, variantLogOf, VariantLogBuilder, type VariantLog } from './variant-log.js';
export {
  DEFAULT_NOISE_THRESHOLD,
  DISCOVERY_ALGORITHMS,
  discoverProcessModel,
  discoverySettings,
  type DiscoveredProcessModel,
  type DiscoveryAlgorithm,
  type DiscoverySettings,
  type ProcessModelFigures,
} from './discover-process-model.js';
