/**
 * The main job: build the dataset, train the requested models in parallel (one trainer process
 * each, so two cores are used and the caller's event loop stays free), evaluate them against the
 * baselines and each other, and write `training_summary.json` beside the models.
 */
import path from 'node:path';
import { buildDataset, exportDataset } from '../dataset';
import { untrainableReason } from '../dataset/classes';
import { WorkbenchError } from '../errors';
import {
  argmax,
  computeMetrics,
  majorityBaseline,
  mcnemar,
  persistenceBaseline,
  previousLabels,
  tradingReadout,
} from '../evaluation';
import { IMPORTANCE_STAGE, type TrainOutcome } from '../jobs/protocol';
import { startTrainingJob, type TrainerPort } from '../jobs/trainerClient';
import { withStagingDir, writeJsonAtomic } from '../files';
import { LSTM_PARAM_NOTE } from '../models';
import { stratifiedBaseline, tradingReport, type PermutationImportance, type WalkForwardSummary } from '../research';
import type { Backend, Dataset, DatasetConfig, EpochRecord, ModelKind, TrainConfig } from '../types';
import { FEATURE_NAMES } from '../types';
import { mcnemarReading } from './readings';
import { SUMMARY_FILE, type ModelSummary, type TradingReportSummary, type TrainingSummary } from './summary';
import { alignSeqLen, allOrFirstFailure, runWalkForwardJobs, type WalkForwardEvent } from './walkForward';

/** What evaluation needs from one trained model (from a trainer process, or re-computed from saved models). */
export type ModelOutcome = Omit<TrainOutcome, 'modelDir' | 'valSamples' | 'trainSamples'> & { trainSamples?: number };

export interface RunRequest {
  dataset: DatasetConfig;
  models: ModelKind[];
  train: Record<ModelKind, TrainConfig>;
  outDir: string;
  /** also write the dataset CSV/JSON + manifest into outDir */
  exportData?: boolean;
  costBps?: number;
  /** permutation importance of each model on validation, computed in its trainer (default true) */
  importance?: boolean;
  /** also run a walk-forward evaluation with this many folds and store it in the summary */
  walkForward?: number;
}

/** permutation importance settings: 3 seeded repeats per feature */
export const IMPORTANCE_REPEATS = 3;

export type RunEvent =
  | { type: 'dataset'; stage: string; fraction: number }
  | { type: 'job-ready'; kind: ModelKind; backend: Backend }
  /** etaSeconds: the trainer's estimate from the batches so far (before the first epoch ends, the only one) */
  | { type: 'batch'; kind: ModelKind; epoch: number; batch: number; batches: number; loss: number; etaSeconds: number }
  | { type: 'epoch'; kind: ModelKind; record: EpochRecord; epochs: number; etaSeconds: number }
  /** work after the last epoch (permutation importance), with its progress */
  | { type: 'stage'; kind: ModelKind; stage: string; fraction: number }
  | { type: 'model-done'; kind: ModelKind };

export interface RunOptions {
  onEvent?: (e: RunEvent) => void;
  signal?: AbortSignal;
  spawn?: () => TrainerPort;
  /** a dataset already built from `req.dataset` (skips a rebuild in the caller's process) */
  dataset?: Dataset;
  /** progress of the walk-forward evaluation (req.walkForward) */
  onWalkForward?: (e: WalkForwardEvent) => void;
}

export const RUN_CONFIG_FILE = 'run_config.json';

export async function runTraining(req: RunRequest, opts: RunOptions = {}): Promise<TrainingSummary> {
  if (req.models.length === 0) throw new WorkbenchError('BAD_INPUT', 'no model to train');
  const ds = opts.dataset ?? (await buildDataset(req.dataset, (p) => opts.onEvent?.({ type: 'dataset', ...p })));
  if (ds.manifest.trainSamples === 0 || ds.manifest.valSamples === 0)
    throw new WorkbenchError('BAD_INPUT', `the dataset has ${ds.manifest.trainSamples} training and ${ds.manifest.valSamples} validation rows; widen the date range`);
  const untrainable = untrainableReason(ds.manifest);
  if (untrainable) throw new WorkbenchError('BAD_INPUT', untrainable);

  const outDir = path.resolve(req.outDir);
  const train = alignSeqLen(req.train, req.models);
  // Everything is written into a staging folder and moved into outDir once the models and the
  // summary are complete: a cancelled or failed run leaves an earlier run in outDir untouched.
  const summary = await withStagingDir(outDir, async (staging) => {
    await writeJsonAtomic(path.join(staging, RUN_CONFIG_FILE), { dataset: req.dataset, models: req.models, train });
    if (req.exportData) await exportDataset(ds, staging);
    const results = await trainAll(req, train, ds, staging, opts);
    const evaluated = evaluateRun(ds, results, req.costBps ?? 5);
    await writeJsonAtomic(path.join(staging, SUMMARY_FILE), evaluated);
    return evaluated;
  });
  if (req.walkForward !== undefined) {
    // the trained models are already in place with their summary: a failed walk-forward loses nothing
    summary.walk_forward = await runWalkForwardJobs(
      { dataset: req.dataset, models: req.models, train, k: req.walkForward, expectedHash: ds.manifest.hash },
      { onEvent: opts.onWalkForward, signal: opts.signal, spawn: opts.spawn },
    );
    await writeJsonAtomic(path.join(outDir, SUMMARY_FILE), summary);
  }
  return summary;
}

/** One trainer process per model, at the same time; their events as RunEvents; the first failure cancels the others. */
async function trainAll(req: RunRequest, train: Record<ModelKind, TrainConfig>, ds: Dataset, outDir: string, opts: RunOptions): Promise<ModelOutcome[]> {
  const jobs = req.models.map((kind) => {
    const cfg = train[kind];
    const epochSeconds: number[] = [];
    const importance = req.importance === false ? undefined : { repeats: IMPORTANCE_REPEATS, seed: cfg.seed };
    const job = startTrainingJob(
      { kind, dataset: req.dataset, train: cfg, outDir, expectedHash: ds.manifest.hash, importance },
      {
        spawn: opts.spawn,
        onEvent: (msg) => {
          if (msg.type === 'ready') opts.onEvent?.({ type: 'job-ready', kind, backend: msg.backend });
          else if (msg.type === 'stage' && msg.stage === IMPORTANCE_STAGE) opts.onEvent?.({ type: 'stage', kind, stage: msg.stage, fraction: msg.fraction });
          else if (msg.type === 'batch') opts.onEvent?.({ type: 'batch', kind, epoch: msg.epoch, batch: msg.batch, batches: msg.batches, loss: msg.loss, etaSeconds: msg.etaSeconds });
          else if (msg.type === 'epoch') {
            // from the epochs' own times: the process start and dataset rebuild before them are not repeated
            epochSeconds.push(msg.record.seconds ?? 0);
            const mean = epochSeconds.reduce((a, b) => a + b, 0) / epochSeconds.length;
            opts.onEvent?.({ type: 'epoch', kind, record: msg.record, epochs: cfg.epochs, etaSeconds: mean * (cfg.epochs - msg.record.epoch) });
          }
        },
      },
    );
    // each model is done when its own job is (the other may still be training)
    job.done.then(() => opts.onEvent?.({ type: 'model-done', kind }), () => undefined);
    return { kind, job };
  });
  const onAbort = () => jobs.forEach(({ job }) => job.cancel());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    return (await allOrFirstFailure(jobs.map(({ job }) => job))).map((m) => m.result);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
}

/** The stored trading report: per-ticker figures without their equity curves, the portfolio with its curve. */
export function tradingReportSummary(ds: Dataset, keys: readonly { ticker: string; date: string }[], pred: readonly number[], costBps: number): TradingReportSummary {
  const full = tradingReport(ds, keys, pred, costBps);
  return { ...full, per_ticker: full.per_ticker.map(({ equity: _equity, ...stats }) => stats) };
}

/**
 * Metrics, baselines, McNemar and the trading read-outs from the trainers' validation outputs; the
 * permutation importance the trainers computed is passed through, a walk-forward result kept if given.
 */
export function evaluateRun(ds: Dataset, results: ModelOutcome[], costBps: number, extra: { walkForward?: WalkForwardSummary } = {}): TrainingSummary {
  const first = results[0];
  const valTrue = first.valTrue;
  for (const r of results) {
    if (r.valTrue.length !== valTrue.length || r.valKeys.some((k, i) => k.ticker !== first.valKeys[i].ticker || k.date !== first.valKeys[i].date))
      throw new WorkbenchError('INTERNAL', 'the models were validated on different samples');
  }
  const trainLabels = ds.rows.filter((r) => r.part === 'train' && r.target !== null).map((r) => (r.target as number) + 1);
  const majority = majorityBaseline(trainLabels, valTrue);
  const persistence = persistenceBaseline(valTrue, previousLabels(ds, first.valKeys, majority.class));
  const stratified = stratifiedBaseline(trainLabels, valTrue, { seed: ds.config.seed });

  const models: TrainingSummary['models'] = {};
  const trading: NonNullable<TrainingSummary['trading']> = {};
  const tradingReports: NonNullable<TrainingSummary['trading_report']> = {};
  const importance: Partial<Record<ModelKind, PermutationImportance>> = {};
  const preds: Partial<Record<ModelKind, number[]>> = {};
  for (const r of results) {
    const pred = r.valProbs.map(argmax);
    preds[r.kind] = pred;
    const m: ModelSummary = {
      params: r.params,
      ...(r.kind === 'lstm' ? { params_note: LSTM_PARAM_NOTE } : {}),
      best_epoch: r.bestEpoch,
      train_seconds: r.trainSeconds,
      ...(r.execution ? { threads: r.execution === 'parts-parallel' ? 2 : 1 } : {}),
      history: r.history.map((h) => ({ epoch: h.epoch, loss: h.loss, accuracy: h.accuracy, val_loss: h.val_loss, val_accuracy: h.val_accuracy, val_macro_f1: h.val_macro_f1, seconds: h.seconds })),
      metrics: computeMetrics(valTrue, r.valProbs),
    };
    models[r.kind] = m;
    trading[r.kind] = tradingReadout(ds, first.valKeys, pred, costBps);
    tradingReports[r.kind] = tradingReportSummary(ds, first.valKeys, pred, costBps);
    if (r.importance) importance[r.kind] = r.importance;
  }
  let comparison: TrainingSummary['comparison'] = { mcnemar_p: null };
  if (preds.lstm && preds.dual_tower) {
    const t = mcnemar(valTrue, preds.lstm, preds.dual_tower);
    comparison = { mcnemar_p: t.p, mcnemar_b: t.b, mcnemar_c: t.c, mcnemar_method: t.method, mcnemar_reading: mcnemarReading(t.p, t.b, t.c) };
  }
  const m = ds.manifest;
  return {
    created: new Date().toISOString(),
    backend: first.backend,
    dataset: {
      source: m.source,
      tickers: m.tickers,
      start: m.start,
      end: m.end,
      horizon: m.horizon,
      threshold: m.threshold,
      seed: m.seed,
      train_samples: first.trainSamples ?? m.trainSamples,
      val_samples: valTrue.length,
      features: [...FEATURE_NAMES],
      hash: m.hash,
      provenance: m.provenance,
    },
    models,
    baselines: {
      majority: { accuracy: majority.accuracy, macro_f1: majority.macro_f1 },
      persistence,
      stratified: {
        accuracy: stratified.expected_accuracy,
        macro_f1: stratified.macro_f1_mean,
        accuracy_std: stratified.accuracy_std,
        macro_f1_std: stratified.macro_f1_std,
        draws: stratified.draws,
      },
    },
    comparison,
    trading,
    trading_report: tradingReports,
    importance,
    ...(extra.walkForward ? { walk_forward: extra.walkForward } : {}),
  };
}
