/** Shared settings and small builders for the research tests. */
import { resolveDatasetConfig } from '../../src-main/core/dataset';
import { seededPermutation } from '../../src-main/core/research';
import {
  DEFAULT_TRAIN_CONFIG,
  FEATURE_COUNT,
  FEATURE_NAMES,
  type Dataset,
  type DatasetConfig,
  type Direction,
  type FeatureName,
  type Row,
  type RowPart,
  type TrainConfig,
} from '../../src-main/core/types';

/**
 * The synthetic dataset the model tests train on: 4 of the default tickers × 2½ years, h = 1, θ = 0.5%
 * (2,508 rows; 1,668 training and 832 validation samples). The high-volatility tickers make "flat" the
 * rarest class (~16%), so the planted signal decides most of the up/down calls.
 */
export function studyConfig(signal: number, seed: number): DatasetConfig {
  return resolveDatasetConfig({ tickers: ['AMZN', 'NVDA', 'META', 'TSLA'], start: '2021-01-04', end: '2023-06-30', signal, seed });
}

/** Small but enough to find the signal: 10 epochs, batch 32, a higher learning rate than the seed's 1e-3. */
export const STUDY_TRAIN: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, epochs: 10, batchSize: 32, learningRate: 3e-3, seqLen: 3 };

/** The dataset with its training labels permuted among the training rows (features, validation untouched). */
export function shuffleTrainLabels(ds: Dataset, seed: string): Dataset {
  const train = ds.rows.flatMap((r, i) => (r.part === 'train' ? [i] : []));
  const perm = seededPermutation(train.length, seed);
  const rows = ds.rows.map((r) => ({ ...r }));
  train.forEach((i, k) => (rows[i].target = ds.rows[train[perm[k]]].target));
  return { ...ds, rows };
}

export function isoDay(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A hand-made dataset: `days` consecutive calendar days per ticker, feature k of day d = 1000·k + d (+ 0.5 for
 * the second ticker), target cycling −1, 0, 1; the last `horizon` days unlabelled; the main split by
 * `trainFraction` of the labelled days as the dataset builder does it.
 */
export function handDataset(opts: { tickers?: string[]; days?: number; horizon?: number; trainFraction?: number } = {}): Dataset {
  const tickers = opts.tickers ?? ['AAA', 'BBB'];
  const days = opts.days ?? 20;
  const horizon = opts.horizon ?? 1;
  const trainFraction = opts.trainFraction ?? 2 / 3;
  const labelledDays = days - horizon;
  const trainDays = Math.floor(labelledDays * trainFraction);
  const rows: Row[] = [];
  tickers.forEach((ticker, t) => {
    for (let d = 0; d < days; d++) {
      const labelled = d < labelledDays;
      const part: RowPart = !labelled ? 'unlabelled' : d < trainDays ? 'train' : d < trainDays + horizon ? 'embargo' : 'validation';
      const features = Array.from({ length: FEATURE_COUNT }, (_, k) => 1000 * k + d + 0.5 * t);
      rows.push({ date: isoDay(d), ticker, features, target: labelled ? (((d % 3) - 1) as Direction) : null, forwardReturn: null, part });
    }
  });
  const config: DatasetConfig = {
    source: 'synthetic', tickers, start: isoDay(0), end: isoDay(days - 1), horizon, threshold: 0.005, seed: 1, signal: 0, trainFraction, normalisation: 'per_ticker',
  };
  const zeros = Object.fromEntries(FEATURE_NAMES.map((f) => [f, 0])) as Record<FeatureName, number>;
  const real = Object.fromEntries(FEATURE_NAMES.map((f) => [f, 'real'])) as Dataset['manifest']['provenance'];
  const none = { down: 0, flat: 0, up: 0 };
  return {
    config,
    rows,
    normaliser: { kind: 'per_ticker', stats: {} },
    manifest: {
      source: 'synthetic', seed: 1, signal: 0, tickers, start: config.start, end: config.end, horizon, threshold: 0.005,
      features: [...FEATURE_NAMES], provenance: real, filledCounts: zeros,
      classBalance: { train: none, validation: none, all: none },
      split: { trainFraction, trainEnd: isoDay(trainDays - 1), validationStart: isoDay(trainDays + horizon), embargoDays: horizon },
      trainSamples: 0, valSamples: 0, rows: rows.length, repairs: [], inputs: {}, hash: 'hand',
    },
  };
}
