/**
 * The allowed range of every dataset and training option: one table that the core's validators
 * (CLI, scripts) and the IPC contract (the app) both read, so a value one front door accepts the
 * other accepts too.
 */

/** Ticker symbols: a letter, then up to 9 of A-Z 0-9 . - (BRK.B, BF-B); index files are named without ^ (VIX.csv). */
export const TICKER_PATTERN = /^[A-Z][A-Z0-9.\-]{0,9}$/;
export const TICKER_RULE = 'ticker must be 1-10 of A-Z 0-9 . - starting with a letter';
export const MAX_TICKERS = 50;

/** [min, max] inclusive unless noted. */
export const DATASET_LIMITS = {
  horizon: [1, 60], // trading days
  threshold: [0, 0.2], // fraction of the close: 0.2 = ±20%
  seed: [0, 2 ** 31 - 1],
  signal: [0, 1],
  trainFraction: [0.1, 0.95],
} as const;

export const TRAIN_LIMITS = {
  epochs: [1, 500],
  batchSize: [1, 4096],
  learningRate: [0, 1], // > 0
  decayEvery: [1, 500],
  decayFactor: [0, 1], // > 0
  clipNorm: [0, 100], // > 0
  seqLen: [1, 120],
  dropout: [0, 0.9],
  seed: [0, 2 ** 31 - 1],
} as const;
