/**
 * Small hand-made Datasets for model/training tests (the real dataset builder is tested elsewhere).
 * Features are seeded Gaussian noise; the target follows a learnable rule on one feature.
 */
import seedrandom from 'seedrandom';
import {
  FEATURE_COUNT,
  FEATURE_NAMES,
  type ClassBalance,
  type Dataset,
  type DatasetConfig,
  type Direction,
  type FeatureName,
  type Normaliser,
  type Row,
  type RowPart,
} from '../../src-main/core/types';

export interface TinyOptions {
  tickers?: string[];
  days?: number; // rows per ticker
  seed?: number;
  /** target from the day's features; default: sign of `close` (index 3) against a band of ±0.4 */
  rule?: (features: number[]) => Direction;
  trainFraction?: number;
  horizon?: number;
}

export const CLOSE_RULE = (f: number[]): Direction => (f[3] > 0.4 ? 1 : f[3] < -0.4 ? -1 : 0);

export function isoDay(i: number): string {
  return new Date(Date.UTC(2024, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
}

function gaussian(rng: seedrandom.PRNG): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

function balance(rows: Row[]): ClassBalance {
  const b = { down: 0, flat: 0, up: 0 };
  for (const r of rows) {
    if (r.target === -1) b.down++;
    else if (r.target === 0) b.flat++;
    else if (r.target === 1) b.up++;
  }
  return b;
}

/** Per-ticker mean/std fitted on the train rows only (population std). */
export function fitNormaliser(rows: Row[]): Normaliser {
  const stats: Normaliser['stats'] = {};
  for (const ticker of new Set(rows.map((r) => r.ticker))) {
    const train = rows.filter((r) => r.ticker === ticker && r.part === 'train');
    const mean = new Array<number>(FEATURE_COUNT).fill(0);
    const std = new Array<number>(FEATURE_COUNT).fill(0);
    for (const r of train) r.features.forEach((v, f) => (mean[f] += v / train.length));
    for (const r of train) r.features.forEach((v, f) => (std[f] += (v - mean[f]) ** 2 / train.length));
    stats[ticker] = { mean, std: std.map(Math.sqrt) };
  }
  return { kind: 'per_ticker', stats };
}

export function makeTinyDataset(opts: TinyOptions = {}): Dataset {
  const tickers = opts.tickers ?? ['AAA', 'BBB'];
  const days = opts.days ?? 60;
  const seed = opts.seed ?? 7;
  const rule = opts.rule ?? CLOSE_RULE;
  const horizon = opts.horizon ?? 1;
  const trainFraction = opts.trainFraction ?? 2 / 3;
  const rng = seedrandom(String(seed));
  const labelledDays = days - horizon;
  const trainDays = Math.floor(labelledDays * trainFraction);

  const rows: Row[] = [];
  for (const ticker of [...tickers].sort()) {
    for (let d = 0; d < days; d++) {
      const features = Array.from({ length: FEATURE_COUNT }, () => gaussian(rng));
      const labelled = d < labelledDays;
      const part: RowPart = !labelled ? 'unlabelled' : d < trainDays ? 'train' : d < trainDays + horizon ? 'embargo' : 'validation';
      const target = labelled ? rule(features) : null;
      rows.push({ date: isoDay(d), ticker, features, target, forwardReturn: target === null ? null : target * 0.01, part });
    }
  }
  const config: DatasetConfig = {
    source: 'synthetic',
    tickers,
    start: isoDay(0),
    end: isoDay(days - 1),
    horizon,
    threshold: 0.005,
    seed,
    signal: 0,
    trainFraction,
    normalisation: 'per_ticker',
  };
  const provenance = Object.fromEntries(FEATURE_NAMES.map((f) => [f, 'real'])) as Dataset['manifest']['provenance'];
  const filledCounts = Object.fromEntries(FEATURE_NAMES.map((f) => [f, 0])) as Record<FeatureName, number>;
  const train = rows.filter((r) => r.part === 'train');
  const val = rows.filter((r) => r.part === 'validation');
  return {
    config,
    rows,
    normaliser: fitNormaliser(rows),
    manifest: {
      source: 'synthetic',
      seed,
      signal: 0,
      tickers,
      start: config.start,
      end: config.end,
      horizon,
      threshold: 0.005,
      features: [...FEATURE_NAMES],
      provenance,
      filledCounts,
      classBalance: { train: balance(train), validation: balance(val), all: balance(rows) },
      split: { trainFraction, trainEnd: isoDay(trainDays - 1), validationStart: isoDay(trainDays + horizon), embargoDays: horizon },
      trainSamples: train.length,
      valSamples: val.length,
      rows: rows.length,
      repairs: [],
      inputs: {},
      hash: `tiny-${seed}`,
    },
  };
}
