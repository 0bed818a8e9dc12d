/**
 * Walk-forward evaluation as a job: one trainer process per model (the caller's event loop stays free
 * and both cores are used), each training its model on every fold; the parent merges the models' fold
 * results and summarises them (mean ± spread per metric).
 */
import { WorkbenchError } from '../errors';
import { startWalkForwardJob, type JobHandle, type TrainerPort } from '../jobs/trainerClient';
import { summariseFolds, type WalkForwardSummary } from '../research';
import type { Backend, DatasetConfig, EpochRecord, ModelKind, TrainConfig } from '../types';

export const WALK_FORWARD_MIN_FOLDS = 2;
export const WALK_FORWARD_MAX_FOLDS = 10;
export const WALK_FORWARD_DEFAULT_FOLDS = 3;

export interface WalkForwardRequest {
  dataset: DatasetConfig;
  models: ModelKind[];
  train: Partial<Record<ModelKind, TrainConfig>>;
  k: number;
  /** the hash of the dataset the run was trained on; a trainer refuses data that changed since */
  expectedHash?: string;
}

export type WalkForwardEvent =
  | { type: 'job-ready'; kind: ModelKind; backend: Backend }
  /** at a fold's start (epoch 0), on batches and at each epoch's end (with its record); fraction of this model's whole job */
  | { type: 'progress'; kind: ModelKind; fold: number; folds: number; epoch: number; epochs: number; fraction: number; record?: EpochRecord }
  | { type: 'model-done'; kind: ModelKind };

export interface WalkForwardOptions {
  onEvent?: (e: WalkForwardEvent) => void;
  signal?: AbortSignal;
  spawn?: () => TrainerPort;
}

export function checkFolds(k: number): void {
  if (!Number.isInteger(k) || k < WALK_FORWARD_MIN_FOLDS || k > WALK_FORWARD_MAX_FOLDS) {
    throw new WorkbenchError('BAD_INPUT', `walk-forward folds must be a whole number from ${WALK_FORWARD_MIN_FOLDS} to ${WALK_FORWARD_MAX_FOLDS}, got ${k}`);
  }
}

/**
 * Both models are scored on the same samples (McNemar pairs them): the rows with seqLen − 1 earlier rows
 * of their ticker, which the LSTM's window defines. The dual tower reads one row, so its seqLen only picks
 * the samples and follows the LSTM's.
 */
export function alignSeqLen<T extends Partial<Record<ModelKind, TrainConfig>>>(train: T, models: readonly ModelKind[]): T {
  const { lstm, dual_tower } = train;
  if (!models.includes('lstm') || !models.includes('dual_tower') || !lstm || !dual_tower || dual_tower.seqLen === lstm.seqLen) return train;
  return { ...train, dual_tower: { ...dual_tower, seqLen: lstm.seqLen } };
}

/**
 * Waits for every job. The first to fail (a crash, NaN loss, a cancel) stops the others at once and is
 * what is reported — not the CANCELLED of the jobs it stopped, and without waiting for them to finish.
 */
export async function allOrFirstFailure<R>(jobs: readonly JobHandle<R>[]): Promise<R[]> {
  let failed: { reason: unknown } | null = null;
  const settled = await Promise.allSettled(
    jobs.map((job) =>
      job.done.catch((err: unknown) => {
        if (!failed) {
          failed = { reason: err };
          jobs.forEach((other) => other.cancel());
        }
        throw err;
      }),
    ),
  );
  const first = failed as { reason: unknown } | null;
  if (first) throw first.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<R>).value);
}

/** One walk-forward result per model (same folds, same samples) → one summary with every model per fold. */
export function mergeWalkForward(parts: readonly WalkForwardSummary[]): WalkForwardSummary {
  const [first] = parts;
  if (!first) throw new WorkbenchError('INTERNAL', 'walk-forward: no result to merge');
  const folds = first.folds.map((fold, i) => {
    const models = { ...fold.models };
    for (const part of parts.slice(1)) {
      const other = part.folds[i];
      if (!other || other.val_samples !== fold.val_samples || other.validation_start !== fold.validation_start || other.validation_end !== fold.validation_end) {
        throw new WorkbenchError('INTERNAL', 'walk-forward: the models were validated on different samples');
      }
      Object.assign(models, other.models);
    }
    return { ...fold, models };
  });
  return summariseFolds(folds, first.k, first.horizon);
}

/** Runs the walk-forward of every requested model, each in its own trainer process, and merges the results. */
export async function runWalkForwardJobs(req: WalkForwardRequest, opts: WalkForwardOptions = {}): Promise<WalkForwardSummary> {
  checkFolds(req.k);
  if (req.models.length === 0) throw new WorkbenchError('BAD_INPUT', 'walk-forward needs at least one model');
  const train = alignSeqLen(req.train, req.models);
  const configs = req.models.map((kind) => {
    const cfg = train[kind];
    if (!cfg) throw new WorkbenchError('BAD_INPUT', `walk-forward: no training configuration for ${kind}`);
    return { kind, cfg };
  });
  if (opts.signal?.aborted) throw new WorkbenchError('CANCELLED', 'walk-forward was cancelled');

  const jobs = configs.map(({ kind, cfg }) => {
    const epochs = cfg.epochs;
    let fold = 1;
    let folds = req.k;
    const progress = (epoch: number, done: number, record?: EpochRecord): void =>
      opts.onEvent?.({ type: 'progress', kind, fold, folds, epoch, epochs, fraction: Math.min(1, (fold - 1 + done) / folds), ...(record ? { record } : {}) });
    return startWalkForwardJob(
      { mode: 'walk_forward', kind, dataset: req.dataset, train: cfg, k: req.k, expectedHash: req.expectedHash },
      {
        spawn: opts.spawn,
        onEvent: (msg) => {
          if (msg.type === 'ready') opts.onEvent?.({ type: 'job-ready', kind, backend: msg.backend });
          else if (msg.type === 'fold') {
            fold = msg.fold;
            folds = msg.folds;
            progress(0, 0);
          } else if (msg.type === 'batch') progress(msg.epoch, (msg.epoch - 1 + msg.batch / msg.batches) / epochs);
          else if (msg.type === 'epoch') progress(msg.record.epoch, msg.record.epoch / epochs, msg.record);
        },
      },
    );
  });
  const onAbort = (): void => jobs.forEach((job) => job.cancel());
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let parts: WalkForwardSummary[];
  try {
    parts = (await allOrFirstFailure(jobs)).map((m) => m.result);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  configs.forEach(({ kind }) => opts.onEvent?.({ type: 'model-done', kind }));
  return mergeWalkForward(parts);
}
