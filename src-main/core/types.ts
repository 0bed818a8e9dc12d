/**
 * Domain types shared by every part of the core (dataset, models, trainer, evaluation, CLI).
 * Names follow the domain: ticker, window, horizon, band (threshold), fold, run.
 */

export const DEFAULT_TICKERS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA'] as const;

export const STOCK_FEATURES = [
  'open', 'high', 'low', 'close', 'volume',
  'sma_20', 'rsi_14', 'macd', 'macd_signal', 'bb_upper', 'bb_lower',
] as const;
export const NEWS_FEATURES = ['news_sentiment', 'news_count', 'news_relevance'] as const;
export const MACRO_FEATURES = ['gdp_growth', 'inflation', 'unemployment', 'interest_rate', 'vix'] as const;
export const POLICY_FEATURES = ['policy_event_count', 'policy_impact_score'] as const;

/** The 21 features in the seed's order. */
export const FEATURE_NAMES = [...STOCK_FEATURES, ...NEWS_FEATURES, ...MACRO_FEATURES, ...POLICY_FEATURES] as const;
export const FEATURE_COUNT = FEATURE_NAMES.length; // 21

export type StockFeature = (typeof STOCK_FEATURES)[number];
export type NewsFeature = (typeof NEWS_FEATURES)[number];
export type MacroFeature = (typeof MACRO_FEATURES)[number];
export type PolicyFeature = (typeof POLICY_FEATURES)[number];
export type FeatureName = (typeof FEATURE_NAMES)[number];
export type FeatureGroup = 'stock' | 'news' | 'macro' | 'policy';

export function featureGroup(name: FeatureName): FeatureGroup {
  if ((STOCK_FEATURES as readonly string[]).includes(name)) return 'stock';
  if ((NEWS_FEATURES as readonly string[]).includes(name)) return 'news';
  if ((MACRO_FEATURES as readonly string[]).includes(name)) return 'macro';
  return 'policy';
}

export type SourceKind = 'synthetic' | 'csv';

/** One adjusted daily bar (Adj Close applied to open/high/low/close when present). Dates are ISO `YYYY-MM-DD`. */
export interface PriceBar {
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** News aggregated per ticker and day (calendar day; aligned to the next trading day by the feature builder). */
export interface NewsDay {
  date: string;
  ticker: string;
  sentiment: number; // [-1, 1]
  count: number;
  relevance: number; // [0, 1]
}

export type MacroFrequency = 'daily' | 'monthly' | 'quarterly';

/** A macro series already transformed to its feature's unit (e.g. CPI → YoY %). `date` is the period start as published by FRED. */
export interface MacroSeries {
  feature: MacroFeature;
  sourceId: string; // FRED id or feature name
  frequency: MacroFrequency;
  points: { date: string; value: number }[];
}

export interface PolicyEvent {
  date: string;
  count: number;
  impact: number;
}

/** Everything a source provides. Prices include warm-up history before `start`. */
export interface RawData {
  source: SourceKind;
  prices: Record<string, PriceBar[]>; // ticker → ascending bars
  news: NewsDay[] | null;
  macro: Partial<Record<MacroFeature, MacroSeries>>;
  policy: PolicyEvent[] | null;
  /** Human-readable notes on what was repaired while reading (file: what). */
  repairs: string[];
}

export type Normalisation = 'per_ticker' | 'global';

export interface DatasetConfig {
  source: SourceKind;
  tickers: string[];
  start: string; // first emitted sample day (inclusive)
  end: string; // last emitted day (inclusive)
  horizon: number; // h trading days
  threshold: number; // neutral band θ as a fraction (0.005 = 0.5%)
  seed: number;
  signal: number; // synthetic planted-signal strength 0..1
  prices?: string; // csv: folder of price files
  news?: string; // csv: news file
  macro?: string; // csv: folder of FRED-style series
  policy?: string; // csv: policy events file
  trainFraction: number; // share of dates used for training (2/3 = seed's 2:1)
  normalisation: Normalisation;
}

export type Direction = -1 | 0 | 1;
/** class index = direction + 1 (0 down, 1 neutral, 2 up) */
export type ClassIndex = 0 | 1 | 2;
export const CLASS_NAMES = ['down', 'flat', 'up'] as const;

export type RowPart = 'train' | 'embargo' | 'validation' | 'unlabelled';

/** One (ticker, trading day). `features` are raw (unnormalised), in FEATURE_NAMES order. */
export interface Row {
  date: string;
  ticker: string;
  features: number[];
  target: Direction | null; // null for the last h days of a ticker
  forwardReturn: number | null;
  part: RowPart;
}

export type FeatureProvenance = 'real' | 'filled' | 'partial';

export interface ClassBalance {
  down: number;
  flat: number;
  up: number;
}

export interface DatasetManifest {
  source: SourceKind;
  seed: number;
  signal: number;
  tickers: string[];
  start: string;
  end: string;
  horizon: number;
  threshold: number;
  features: FeatureName[];
  /** per feature: real data, filled with neutral values, or partly filled */
  provenance: Record<FeatureName, FeatureProvenance>;
  filledCounts: Record<FeatureName, number>;
  classBalance: { train: ClassBalance; validation: ClassBalance; all: ClassBalance };
  split: { trainFraction: number; trainEnd: string; validationStart: string; embargoDays: number };
  trainSamples: number;
  valSamples: number;
  rows: number;
  repairs: string[];
  inputs: { prices?: string; news?: string; macro?: string; policy?: string };
  hash: string; // sha256 of the emitted rows
}

/** Per-ticker (or global under key "*") mean/std fitted on training rows only. */
export interface Normaliser {
  kind: Normalisation;
  stats: Record<string, { mean: number[]; std: number[] }>;
}

export interface Dataset {
  config: DatasetConfig;
  rows: Row[]; // sorted by ticker, then date
  manifest: DatasetManifest;
  normaliser: Normaliser;
}

export type ModelKind = 'lstm' | 'dual_tower';
export const MODEL_KINDS: readonly ModelKind[] = ['lstm', 'dual_tower'];

export type TowerSplit = 'group' | 'seed_index';
export type SelectionMetric = 'macro_f1' | 'accuracy' | 'balanced_accuracy' | 'val_loss';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  learningRate: number;
  decayEvery: number; // step decay period in epochs
  decayFactor: number;
  clipNorm: number;
  seqLen: number; // LSTM window length
  dropout: number;
  towerSplit: TowerSplit;
  selectBy: SelectionMetric;
  seed: number;
}

export const DEFAULT_TRAIN_CONFIG: TrainConfig = {
  epochs: 20,
  batchSize: 8,
  learningRate: 1e-3,
  decayEvery: 5,
  decayFactor: 0.5,
  clipNorm: 1.0,
  seqLen: 3,
  dropout: 0.3,
  towerSplit: 'group',
  selectBy: 'macro_f1',
  seed: 42,
};

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  val_macro_f1: number;
  seconds: number;
}

export type Backend = 'tensorflow' | 'wasm' | 'cpu';

export interface PerClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  balanced_accuracy: number;
  macro_f1: number;
  mcc: number;
  log_loss: number;
  per_class: PerClassMetrics[]; // x3 (down, flat, up)
  confusion_matrix: number[][]; // 3x3 counts, rows = true class
}
