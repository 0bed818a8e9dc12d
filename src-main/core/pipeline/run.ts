/**
 * The main job: build the dataset, train the requested models in parallel (one trainer process
 * each, so two cores are used and the caller's event loop stays free), evaluate them against the
 * baselines and each other, and write `training_summary.json` beside the models.
 */
import path from 'node:path';
import { buildDataset, exportDataset } from '../dataset';
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
import type { TrainOutcome } from '../jobs/protocol';
import { startTrainingJob, type TrainerPort } from '../jobs/trainerClient';
import { writeJsonAtomic } from '../files';
import { LSTM_PARAM_NOTE } from '../models';
import type { Backend, Dataset, DatasetConfig, EpochRecord, ModelKind, TrainConfig } from '../types';
import { FEATURE_NAMES } from '../types';
import { SUMMARY_FILE, type ModelSummary, type TrainingSummary } from './summary';

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
}

export type RunEvent =
  | { type: 'dataset'; stage: string; fraction: number }
  | { type: 'job-ready'; kind: ModelKind; backend: Backend }
  | { type: 'batch'; kind: ModelKind; epoch: number; batch: number; batches: number; loss: number }
  | { type: 'epoch'; kind: ModelKind; record: EpochRecord; epochs: number; etaSeconds: number }
  | { type: 'model-done'; kind: ModelKind };

export interface RunOptions {
  onEvent?: (e: RunEvent) => void;
  signal?: AbortSignal;
  spawn?: () => TrainerPort;
  /** a dataset already built from `req.dataset` (skips a rebuild in the caller's process) */
  dataset?: Dataset;
}

export const RUN_CONFIG_FILE = 'run_config.json';

export async function runTraining(req: RunRequest, opts: RunOptions = {}): Promise<TrainingSummary> {
  if (req.models.length === 0) throw new WorkbenchError('BAD_INPUT', 'no model to train');
  const ds = opts.dataset ?? (await buildDataset(req.dataset, (p) => opts.onEvent?.({ type: 'dataset', ...p })));
  if (ds.manifest.trainSamples === 0 || ds.manifest.valSamples === 0)
    throw new WorkbenchError('BAD_INPUT', `the dataset has ${ds.manifest.trainSamples} training and ${ds.manifest.valSamples} validation rows; widen the date range`);

  const outDir = path.resolve(req.outDir);
  await writeJsonAtomic(path.join(outDir, RUN_CONFIG_FILE), { dataset: req.dataset, models: req.models, train: req.train });
  if (req.exportData) await exportDataset(ds, outDir);

  const jobs = req.models.map((kind) => {
    const cfg = req.train[kind];
    const started = Date.now();
    const job = startTrainingJob(
      { kind, dataset: req.dataset, train: cfg, outDir, expectedHash: ds.manifest.hash },
      {
        spawn: opts.spawn,
        onEvent: (msg) => {
          if (msg.type === 'ready') opts.onEvent?.({ type: 'job-ready', kind, backend: msg.backend });
          else if (msg.type === 'batch') opts.onEvent?.({ type: 'batch', kind, epoch: msg.epoch, batch: msg.batch, batches: msg.batches, loss: msg.loss });
          else if (msg.type === 'epoch') {
            const elapsed = (Date.now() - started) / 1000;
            const etaSeconds = (elapsed / msg.record.epoch) * (cfg.epochs - msg.record.epoch);
            opts.onEvent?.({ type: 'epoch', kind, record: msg.record, epochs: cfg.epochs, etaSeconds });
          }
        },
      },
    );
    return { kind, job };
  });
  const onAbort = () => jobs.forEach(({ job }) => job.cancel());
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let results: ModelOutcome[];
  try {
    const settled = await Promise.allSettled(jobs.map(({ job }) => job.done));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) {
      jobs.forEach(({ job }) => job.cancel());
      throw failed.reason;
    }
    results = settled.map((s) => (s as PromiseFulfilledResult<{ result: ModelOutcome }>).value.result);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  results.forEach((r) => opts.onEvent?.({ type: 'model-done', kind: r.kind }));

  const summary = evaluateRun(ds, results, req.costBps ?? 5);
  await writeJsonAtomic(path.join(outDir, SUMMARY_FILE), summary);
  return summary;
}

/** Metrics, baselines, McNemar and the trading read-out from the trainers' validation outputs. */
export function evaluateRun(ds: Dataset, results: ModelOutcome[], costBps: number): TrainingSummary {
  const first = results[0];
  const valTrue = first.valTrue;
  for (const r of results) {
    if (r.valTrue.length !== valTrue.length || r.valKeys.some((k, i) => k.ticker !== first.valKeys[i].ticker || k.date !== first.valKeys[i].date))
      throw new WorkbenchError('INTERNAL', 'the models were validated on different samples');
  }
  const trainLabels = ds.rows.filter((r) => r.part === 'train' && r.target !== null).map((r) => (r.target as number) + 1);
  const majority = majorityBaseline(trainLabels, valTrue);
  const persistence = persistenceBaseline(valTrue, previousLabels(ds, first.valKeys, majority.class));

  const models: TrainingSummary['models'] = {};
  const trading: NonNullable<TrainingSummary['trading']> = {};
  const preds: Partial<Record<ModelKind, number[]>> = {};
  for (const r of results) {
    const pred = r.valProbs.map(argmax);
    preds[r.kind] = pred;
    const m: ModelSummary = {
      params: r.params,
      ...(r.kind === 'lstm' ? { params_note: LSTM_PARAM_NOTE } : {}),
      best_epoch: r.bestEpoch,
      train_seconds: r.trainSeconds,
      history: r.history.map((h) => ({ epoch: h.epoch, loss: h.loss, accuracy: h.accuracy, val_loss: h.val_loss, val_accuracy: h.val_accuracy, val_macro_f1: h.val_macro_f1, seconds: h.seconds })),
      metrics: computeMetrics(valTrue, r.valProbs),
    };
    models[r.kind] = m;
    trading[r.kind] = tradingReadout(ds, first.valKeys, pred, costBps);
  }
  let comparison: TrainingSummary['comparison'] = { mcnemar_p: null };
  if (preds.lstm && preds.dual_tower) {
    const t = mcnemar(valTrue, preds.lstm, preds.dual_tower);
    comparison = { mcnemar_p: t.p, mcnemar_b: t.b, mcnemar_c: t.c };
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
    baselines: { majority: { accuracy: majority.accuracy, macro_f1: majority.macro_f1 }, persistence },
    comparison,
    trading,
  };
}
