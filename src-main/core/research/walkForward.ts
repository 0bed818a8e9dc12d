/**
 * Walk-forward evaluation: k chronological folds with an expanding training window, an embargo of h dates
 * before each validation block, and a normaliser fitted on each fold's own training rows. Both models are
 * trained per fold, so a metric comes with its spread over time instead of one lucky (or unlucky) cut.
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { buildManifest } from '../dataset/manifest';
import { fitNormaliser, type Split } from '../dataset/split';
import { WorkbenchError } from '../errors';
import { computeMetrics } from '../evaluation/metrics';
import { majorityBaseline, persistenceBaseline, previousLabels, type BaselineScore } from '../evaluation/baselines';
import { trainModel, type BatchProgress } from '../training/train';
import { FEATURE_NAMES, MODEL_KINDS, type Dataset, type EpochRecord, type ModelKind, type Row, type RowPart, type TrainConfig } from '../types';
import { stratifiedBaseline } from './baselines';

export interface WalkForwardFold {
  /** 1-based */
  fold: number;
  trainStart: string;
  trainEnd: string;
  /** the h labelled dates between trainEnd and validationStart */
  embargo: string[];
  validationStart: string;
  validationEnd: string;
  /** a dataset of the rows up to validationEnd, re-split and re-normalised for this fold (rows share feature arrays with the parent) */
  dataset: Dataset;
}

/** Rows of one ticker are contiguous in ds.rows (sorted by ticker, then date), so t+h is h rows later. */
function labelEnds(rows: readonly Row[], horizon: number): (string | null)[] {
  return rows.map((row, i) => {
    if (row.target === null) return null;
    const end = rows[i + horizon];
    return end && end.ticker === row.ticker ? end.date : null;
  });
}

/**
 * k folds over the unique labelled dates, as scikit-learn's TimeSeriesSplit(n_splits=k, gap=h) splits them:
 * every validation block has ⌊U/(k+1)⌋ dates, the blocks are the last k of the range, and fold i trains on all
 * dates before its block except the last h (the embargo). A training row whose label window still reaches the
 * block (a ticker with a gap in its bars) moves to the embargo, as in the dataset's own split.
 */
export function walkForwardFolds(ds: Dataset, k: number, horizon = ds.config.horizon): WalkForwardFold[] {
  if (!Number.isInteger(k) || k < 1) throw new WorkbenchError('BAD_INPUT', `walk-forward needs a whole number of folds ≥ 1, got ${k}`);
  // an embargo shorter than the label horizon would let training labels reach into the validation block
  if (!Number.isInteger(horizon) || horizon < ds.config.horizon) {
    throw new WorkbenchError('BAD_INPUT', `the walk-forward embargo must be a whole number of days ≥ the horizon (${ds.config.horizon}), got ${horizon}`);
  }
  const labelled = [...new Set(ds.rows.filter((r) => r.target !== null).map((r) => r.date))].sort();
  const u = labelled.length;
  const block = Math.floor(u / (k + 1));
  const firstBlock = u - k * block;
  if (block < 1 || firstBlock - horizon < 1) {
    throw new WorkbenchError(
      'BAD_INPUT',
      `${u} labelled trading days are too few for ${k} walk-forward folds with a ${horizon}-day embargo; use fewer folds or a longer range`,
    );
  }
  const ends = labelEnds(ds.rows, horizon);
  const filled = FEATURE_NAMES.map((name) => ds.manifest.filledCounts[name] ?? 0);
  const { provenance, filledCounts } = ds.manifest; // filled counts are known for the parent's rows only
  const folds: WalkForwardFold[] = [];
  for (let f = 0; f < k; f++) {
    const start = firstBlock + f * block;
    const trainEnd = labelled[start - horizon - 1];
    const validationStart = labelled[start];
    const validationEnd = labelled[start + block - 1];
    const rows: Row[] = [];
    ds.rows.forEach((row, i) => {
      if (row.date > validationEnd) return; // the fold's world ends with its validation block
      let part: RowPart;
      if (row.target === null) part = 'unlabelled';
      else if (row.date <= trainEnd) part = (ends[i] ?? '\uffff') < validationStart ? 'train' : 'embargo';
      else part = row.date < validationStart ? 'embargo' : 'validation';
      rows.push({ ...row, part });
    });
    const config = { ...ds.config, trainFraction: (start - horizon) / (start + block) };
    const split: Split = { trainEnd, validationStart, parts: rows.map((r) => r.part) };
    const dataset: Dataset = {
      config,
      rows,
      normaliser: fitNormaliser(rows, ds.config.normalisation),
      manifest: { ...buildManifest(config, rows, split, filled, [...ds.manifest.repairs]), provenance, filledCounts },
    };
    folds.push({
      fold: f + 1,
      trainStart: labelled[0],
      trainEnd,
      embargo: labelled.slice(start - horizon, start),
      validationStart,
      validationEnd,
      dataset,
    });
  }
  return folds;
}

/** The headline metrics summarised across folds. */
export const WALK_FORWARD_METRICS = ['accuracy', 'balanced_accuracy', 'macro_f1', 'mcc', 'log_loss'] as const;
export type WalkForwardMetric = (typeof WALK_FORWARD_METRICS)[number];

/** Mean and sample standard deviation (n − 1; 0 for a single fold) across folds. */
export interface Spread {
  mean: number;
  std: number;
}

export interface WalkForwardFoldResult {
  fold: number;
  train_start: string;
  train_end: string;
  validation_start: string;
  validation_end: string;
  train_samples: number;
  val_samples: number;
  models: Partial<Record<ModelKind, Record<WalkForwardMetric, number> & { best_epoch: number }>>;
  baselines: { majority: BaselineScore; persistence: BaselineScore; stratified: BaselineScore };
}

/** Goes into training_summary.json under `walk_forward`. */
export interface WalkForwardSummary {
  k: number;
  horizon: number;
  /** scikit-learn TimeSeriesSplit semantics: expanding window, gap = horizon */
  scheme: 'expanding';
  folds: WalkForwardFoldResult[];
  models: Partial<Record<ModelKind, Record<WalkForwardMetric, Spread>>>;
  baselines: Record<'majority' | 'persistence' | 'stratified', Record<'accuracy' | 'macro_f1', Spread>>;
}

export interface WalkForwardProgress {
  fold: number;
  folds: number;
  kind: ModelKind;
}

export interface WalkForwardHooks {
  /** a model starts training on a fold */
  onFold?(p: WalkForwardProgress): void;
  onEpoch?(p: WalkForwardProgress, record: EpochRecord): void;
  onBatch?(p: WalkForwardProgress, batch: BatchProgress): void;
  signal?: AbortSignal;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { mean: 0, std: 0 };
  return { mean: mean([...values]), std: values.length > 1 ? sampleStandardDeviation([...values]) : 0 };
}

/**
 * Trains every model in `cfg` on every fold (in this process, one after another) and scores each on its
 * fold's validation block beside the majority, persistence and stratified-random baselines.
 */
export async function runWalkForward(
  ds: Dataset,
  k: number,
  cfg: Partial<Record<ModelKind, TrainConfig>>,
  hooks: WalkForwardHooks = {},
): Promise<WalkForwardSummary> {
  const kinds = MODEL_KINDS.filter((kind) => cfg[kind] !== undefined);
  if (kinds.length === 0) throw new WorkbenchError('BAD_INPUT', 'walk-forward needs at least one model to train');
  const horizon = ds.config.horizon;
  const folds = walkForwardFolds(ds, k, horizon);
  const results: WalkForwardFoldResult[] = [];
  for (const fold of folds) {
    const fds = fold.dataset;
    const models: WalkForwardFoldResult['models'] = {};
    let reference: { valTrue: number[]; valKeys: { ticker: string; date: string }[]; trainSamples: number } | null = null;
    for (const kind of kinds) {
      const progress: WalkForwardProgress = { fold: fold.fold, folds: folds.length, kind };
      hooks.onFold?.(progress);
      const r = await trainModel(kind, fds, cfg[kind] as TrainConfig, {
        signal: hooks.signal,
        onEpoch: (record) => hooks.onEpoch?.(progress, record),
        onBatch: (b) => hooks.onBatch?.(progress, b),
      });
      r.model.dispose();
      if (reference && (reference.valTrue.length !== r.valTrue.length || reference.valKeys.some((key, i) => key.date !== r.valKeys[i].date || key.ticker !== r.valKeys[i].ticker))) {
        // differing seqLen per model would give them different samples; McNemar-style pairing needs the same ones
        throw new WorkbenchError('BAD_INPUT', 'walk-forward: the models were validated on different samples (use the same sequence length for both)');
      }
      reference ??= { valTrue: r.valTrue, valKeys: r.valKeys, trainSamples: r.trainSamples };
      const m = computeMetrics(r.valTrue, r.valProbs);
      models[kind] = {
        accuracy: m.accuracy,
        balanced_accuracy: m.balanced_accuracy,
        macro_f1: m.macro_f1,
        mcc: m.mcc,
        log_loss: m.log_loss,
        best_epoch: r.bestEpoch,
      };
    }
    const ref = reference as NonNullable<typeof reference>;
    const trainLabels = fds.rows.filter((r) => r.part === 'train' && r.target !== null).map((r) => (r.target as number) + 1);
    const majority = majorityBaseline(trainLabels, ref.valTrue);
    const persistence = persistenceBaseline(ref.valTrue, previousLabels(fds, ref.valKeys, majority.class));
    const stratified = stratifiedBaseline(trainLabels, ref.valTrue, { seed: fold.fold });
    results.push({
      fold: fold.fold,
      train_start: fold.trainStart,
      train_end: fold.trainEnd,
      validation_start: fold.validationStart,
      validation_end: fold.validationEnd,
      train_samples: ref.trainSamples,
      val_samples: ref.valTrue.length,
      models,
      baselines: {
        majority: { accuracy: majority.accuracy, macro_f1: majority.macro_f1 },
        persistence,
        stratified: { accuracy: stratified.expected_accuracy, macro_f1: stratified.macro_f1_mean },
      },
    });
  }
  return summariseFolds(results, k, horizon);
}

/** Mean ± spread of every metric over the folds (exported so fold results from trainer processes can be summarised too). */
export function summariseFolds(folds: WalkForwardFoldResult[], k: number, horizon: number): WalkForwardSummary {
  const models: WalkForwardSummary['models'] = {};
  for (const kind of MODEL_KINDS) {
    const per = folds.map((f) => f.models[kind]).filter((m): m is NonNullable<typeof m> => m !== undefined);
    if (per.length === 0) continue;
    models[kind] = Object.fromEntries(WALK_FORWARD_METRICS.map((name) => [name, spread(per.map((m) => m[name]))])) as Record<WalkForwardMetric, Spread>;
  }
  const base = (name: 'majority' | 'persistence' | 'stratified'): Record<'accuracy' | 'macro_f1', Spread> => ({
    accuracy: spread(folds.map((f) => f.baselines[name].accuracy)),
    macro_f1: spread(folds.map((f) => f.baselines[name].macro_f1)),
  });
  return {
    k,
    horizon,
    scheme: 'expanding',
    folds,
    models,
    baselines: { majority: base('majority'), persistence: base('persistence'), stratified: base('stratified') },
  };
}
