export { CLASS_COUNT, argmax, confusionMatrix, rowNormalised, mccFromConfusion, logLoss, computeMetrics, metricsFromPredictions } from './metrics';
export { majorityClass, majorityBaseline, persistenceBaseline, previousLabels, type BaselineScore } from './baselines';
export { mcnemar, mcnemarFromCounts, type McNemarResult } from './mcnemar';
export { tradingReadout, type TradingReadout, type TickerReadout } from './trading';
