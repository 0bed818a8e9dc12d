/** Research validity: walk-forward folds, permutation importance, the stratified-random baseline, the trading read-out. */
export {
  walkForwardFolds,
  runWalkForward,
  summariseFolds,
  spread,
  WALK_FORWARD_METRICS,
  type WalkForwardFold,
  type WalkForwardFoldResult,
  type WalkForwardSummary,
  type WalkForwardMetric,
  type WalkForwardHooks,
  type WalkForwardProgress,
  type Spread,
} from './walkForward';
export {
  permutationImportance,
  permutationImportanceWith,
  validationInputs,
  modelProbabilities,
  seededPermutation,
  rankFeatures,
  FEATURE_GROUPS,
  type PermutationImportance,
  type FeatureImportance,
  type GroupImportance,
  type ImportanceInputs,
  type ImportanceOptions,
  type ProbabilityFn,
} from './importance';
export { tradingReport, maxDrawdown, type TradingReport, type TradingStats, type TickerTrading, type EquityPoint } from './trading';
export {
  stratifiedBaseline,
  expectedStratifiedAccuracy,
  classFrequencies,
  binomialStandardError,
  type StratifiedBaseline,
} from './baselines';
