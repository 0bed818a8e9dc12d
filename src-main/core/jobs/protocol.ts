/**
 * Messages between the main side and a trainer process (one process per training job).
 * The same shapes travel over child_process IPC and Electron's utilityProcess port.
 */
import type { ErrorCode } from '../errors';
import type { PermutationImportance, WalkForwardSummary } from '../research';
import type { StepExecution } from '../training/step';
import type { Backend, DatasetConfig, EpochRecord, ModelKind, TrainConfig } from '../types';

export interface TrainingJob {
  mode?: 'train';
  kind: ModelKind;
  dataset: DatasetConfig;
  train: TrainConfig;
  /** the model is saved to `<outDir>/<kind>_best` */
  outDir: string;
  /** the dataset hash the caller saw; the trainer refuses to train on different data */
  expectedHash?: string;
  /** permutation importance on validation right after training, while the model is in memory (default: none) */
  importance?: { repeats: number; seed: number };
}

/** Walk-forward for one model: k folds trained one after another in this process (the parent runs one job per model). */
export interface WalkForwardJob {
  mode: 'walk_forward';
  kind: ModelKind;
  dataset: DatasetConfig;
  train: TrainConfig;
  k: number;
  expectedHash?: string;
}

export type TrainerJob = TrainingJob | WalkForwardJob;

export type ParentMessage = { type: 'start'; job: TrainerJob } | { type: 'cancel' };

export interface TrainOutcome {
  kind: ModelKind;
  params: number;
  bestEpoch: number;
  trainSeconds: number;
  history: EpochRecord[];
  valProbs: number[][];
  valTrue: number[];
  valKeys: { ticker: string; date: string }[];
  backend: Backend;
  /** how the LSTM's batches were computed (training/step.ts); absent in older results */
  execution?: StepExecution;
  modelDir: string;
  trainSamples: number;
  valSamples: number;
  importance?: PermutationImportance;
}

export interface BatchMessage {
  type: 'batch';
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  elapsedSeconds: number;
  etaSeconds: number;
}

/** The stage a trainer reports after its last epoch (other stages are the dataset build's). */
export const IMPORTANCE_STAGE = 'permutation importance';

export type ChildMessage =
  | { type: 'ready'; backend: Backend }
  | { type: 'stage'; stage: string; fraction: number } // dataset building, before training
  | BatchMessage
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'done'; result: TrainOutcome }
  /** walk-forward: a fold starts training */
  | { type: 'fold'; fold: number; folds: number }
  | { type: 'walk-forward-done'; result: WalkForwardSummary }
  | { type: 'error'; code: ErrorCode; message: string }
  | { type: 'cancelled' };

export type TrainResultMessage = Extract<ChildMessage, { type: 'done' }>;
export type WalkForwardResultMessage = Extract<ChildMessage, { type: 'walk-forward-done' }>;

const CHILD_TYPES = new Set(['ready', 'stage', 'batch', 'epoch', 'done', 'fold', 'walk-forward-done', 'error', 'cancelled']);

/** Cheap shape check at the receiving end: a known `type` tag on an object. */
export function isChildMessage(v: unknown): v is ChildMessage {
  return typeof v === 'object' && v !== null && CHILD_TYPES.has((v as { type?: unknown }).type as string);
}

export function isParentMessage(v: unknown): v is ParentMessage {
  if (typeof v !== 'object' || v === null) return false;
  const t = (v as { type?: unknown }).type;
  return t === 'cancel' || (t === 'start' && typeof (v as { job?: unknown }).job === 'object');
}

/** What the client needs from a spawned trainer, whatever spawned it. */
export interface TrainerPort {
  send(msg: ParentMessage): void;
  onMessage(listener: (msg: unknown) => void): void;
  /** `signal`: the signal that ended the process, when it was killed (child_process only) */
  onExit(listener: (code: number | null, signal?: string | null) => void): void;
  kill(): void;
  readonly pid?: number;
  /** last lines the process wrote to stderr, for crash reports */
  stderrTail?(): string;
}
