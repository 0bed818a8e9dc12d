/**
 * An engine for service tests: the real dataset code (fast, deterministic) with training and
 * prediction replaced by scripted fakes, so the service's behaviour is tested without tfjs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildDataset, DEFAULT_DATASET_CONFIG, exportDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { WorkbenchError } from '../../src-main/core/errors';
import type { ModelKind } from '../../src-main/core/types';
import type { Engine, EnginePrediction, RunOptions, RunRequest, WalkForwardOptions } from '../../src-main/services/engine';
import type { TrainingSummaryDto } from '../../src-preload/contract';

export interface FakeTraining {
  /** 'ok' trains, 'hang' waits until cancelled, 'fail' rejects after the first epoch */
  mode: 'ok' | 'hang' | 'fail';
  requests: RunRequest[];
  /** the same for walk-forward jobs (default 'ok') */
  walkForwardMode?: 'ok' | 'hang' | 'fail';
  walkForwards?: { dir: string; k: number }[];
}

/** A walk-forward result of k folds with fixed per-fold numbers (accuracy 0.40 + 0.01·fold). */
export function walkForwardFor(k: number) {
  const spread = (values: number[]) => {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = values.length > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1)) : 0;
    return { mean, std };
  };
  const folds = Array.from({ length: k }, (_, i) => {
    const m = { accuracy: 0.4 + 0.01 * (i + 1), balanced_accuracy: 0.38, macro_f1: 0.36, mcc: 0.04, log_loss: 1.08, best_epoch: 2 };
    const base = { accuracy: 0.35, macro_f1: 0.2 };
    return {
      fold: i + 1,
      train_start: '2023-01-03',
      train_end: `2023-0${i + 5}-01`,
      validation_start: `2023-0${i + 5}-03`,
      validation_end: `2023-0${i + 6}-01`,
      train_samples: 100 + 50 * i,
      val_samples: 40,
      models: { lstm: m, dual_tower: { ...m, accuracy: m.accuracy - 0.02 } },
      baselines: { majority: base, persistence: base, stratified: base },
    };
  });
  const metrics = ['accuracy', 'balanced_accuracy', 'macro_f1', 'mcc', 'log_loss'] as const;
  const models = Object.fromEntries(
    (['lstm', 'dual_tower'] as const).map((kind) => [kind, Object.fromEntries(metrics.map((name) => [name, spread(folds.map((f) => f.models[kind][name]))]))]),
  );
  const base = { accuracy: spread(folds.map(() => 0.35)), macro_f1: spread(folds.map(() => 0.2)) };
  return { k, horizon: 1, scheme: 'expanding' as const, folds, models, baselines: { majority: base, persistence: base, stratified: base } };
}

export function summaryFor(req: RunRequest, valSamples: number): TrainingSummaryDto {
  const model = (kind: ModelKind) => {
    // all validation samples spread over the matrix; rows = true class
    const a = Math.floor(valSamples / 3);
    const cm = [
      [a - 5, 3, 2],
      [4, a - 8, 4],
      [1, 2, valSamples - 2 * a - 3],
    ];
    return {
      params: kind === 'lstm' ? 57219 : 2371,
      best_epoch: 2,
      train_seconds: 1.5,
      history: [1, 2, 3].map((epoch) => ({ epoch, loss: 1.1 - epoch / 10, accuracy: 0.4, val_loss: 1.09, val_accuracy: 0.38 })),
      metrics: {
        accuracy: 0.4,
        balanced_accuracy: 0.39,
        macro_f1: 0.37,
        mcc: 0.05,
        log_loss: 1.08,
        per_class: [0, 1, 2].map(() => ({ precision: 0.4, recall: 0.4, f1: 0.4, support: a })),
        confusion_matrix: cm,
      },
    };
  };
  return {
    created: '2024-12-03T10:00:00.000Z',
    backend: 'wasm',
    dataset: {
      source: req.dataset.source,
      tickers: req.dataset.tickers,
      start: req.dataset.start,
      end: req.dataset.end,
      horizon: req.dataset.horizon,
      threshold: req.dataset.threshold,
      seed: req.dataset.seed,
      train_samples: 300,
      val_samples: valSamples,
      features: [],
      hash: 'h',
    },
    models: Object.fromEntries(req.models.map((k) => [k, model(k)])),
    baselines: { majority: { accuracy: 0.35, macro_f1: 0.17 }, persistence: { accuracy: 0.33, macro_f1: 0.32 } },
    comparison: { mcnemar_p: req.models.length === 2 ? 0.5 : null },
  };
}

export function fakeEngine(training: FakeTraining): Engine {
  return {
    defaultDataset: DEFAULT_DATASET_CONFIG,
    resolveDatasetConfig,
    buildDataset,
    exportDataset,
    async runTraining(req: RunRequest, opts: RunOptions = {}) {
      training.requests.push(req);
      mkdirSync(req.outDir, { recursive: true });
      const tick = () => new Promise((r) => setImmediate(r));
      for (const kind of req.models) opts.onEvent?.({ type: 'job-ready', kind, backend: 'wasm' });
      if (training.mode === 'hang') {
        await new Promise<void>((_resolve, reject) => {
          opts.signal?.addEventListener('abort', () => reject(new WorkbenchError('CANCELLED', 'training cancelled')), { once: true });
        });
      }
      const epochs = req.train[req.models[0]!].epochs;
      for (let epoch = 1; epoch <= epochs; epoch++) {
        await tick();
        for (const kind of req.models) {
          opts.onEvent?.({ type: 'batch', kind, epoch, batch: 1, batches: 2, loss: 1.1, etaSeconds: 1 });
          opts.onEvent?.({
            type: 'epoch',
            kind,
            epochs,
            etaSeconds: epochs - epoch,
            record: { epoch, loss: 1.1, accuracy: 0.4, val_loss: 1.09, val_accuracy: 0.38, val_macro_f1: 0.3, seconds: 0.1 },
          });
        }
        if (training.mode === 'fail') throw new WorkbenchError('TRAINING_FAILED', `loss became NaN at epoch ${epoch}`);
      }
      for (const kind of req.models) opts.onEvent?.({ type: 'model-done', kind });
      const summary = summaryFor(req, opts.dataset?.manifest.valSamples ?? 150);
      writeFileSync(path.join(req.outDir, 'training_summary.json'), JSON.stringify(summary));
      return summary;
    },
    async walkForward(dir: string, k: number, opts: WalkForwardOptions = {}) {
      (training.walkForwards ??= []).push({ dir, k });
      const mode = training.walkForwardMode ?? 'ok';
      for (const kind of ['lstm', 'dual_tower'] as const) opts.onEvent?.({ type: 'job-ready', kind, backend: 'wasm' });
      if (mode === 'hang') {
        await new Promise<void>((_resolve, reject) => {
          opts.signal?.addEventListener('abort', () => reject(new WorkbenchError('CANCELLED', 'walk-forward was cancelled')), { once: true });
        });
      }
      for (let fold = 1; fold <= k; fold++) {
        await new Promise((r) => setImmediate(r));
        for (const kind of ['lstm', 'dual_tower'] as const) opts.onEvent?.({ type: 'progress', kind, fold, folds: k, epoch: 1, epochs: 1, fraction: fold / k });
        if (mode === 'fail') throw new WorkbenchError('BAD_INPUT', `too few trading days for ${k} walk-forward folds`);
      }
      const file = path.join(dir, 'training_summary.json');
      const summary = { ...(JSON.parse(readFileSync(file, 'utf8')) as TrainingSummaryDto), walk_forward: walkForwardFor(k) };
      writeFileSync(file, JSON.stringify(summary));
      return summary;
    },
    async predictFromRun(_dir: string, tickers: string[], date?: string): Promise<EnginePrediction[]> {
      return tickers.map((ticker) => ({
        ticker,
        date: date ?? '2023-12-29',
        lstm: [0.2, 0.3, 0.5],
        dual_tower: [0.4, 0.4, 0.2],
        average: [0.3, 0.35, 0.35],
      }));
    },
  };
}
