/**
 * A lean training loop (not model.fit): Adam with step decay, softmax cross-entropy on logits,
 * global-norm gradient clipping, seeded shuffling of the training samples, validation every epoch,
 * and the weights of the best epoch restored at the end.
 *
 * By default the forward/backward pass runs on the fast path (models/fast-lstm: the LSTM with its
 * own backward through time, the dense layers as one JS op, the loss and training-accuracy count
 * as one op, clipping + Adam in one JS pass) on the layers model's own variables, so what is saved
 * is still a standard tfjs layers model.
 * `impl: 'layers'` trains through tfjs-layers' graph instead (the equivalence test compares them).
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initBackend } from '../backend';
import { WorkbenchError } from '../errors';
import { computeMetrics } from '../evaluation/metrics';
import { buildModel } from '../models';
import { fastLstmLogits, fastMlpLogits } from '../models/fast-lstm';
import { CLASS_NAMES, type Backend, type Dataset, type EpochRecord, type Metrics, type ModelKind, type TrainConfig } from '../types';
import { resolveTrainConfig } from './config';
import { normaliseRows } from './features';
import { buildSamples, modelInput, sampleValues, sampleWidth, type SampleKey } from './samples';
import { createStepper, type StepExecution, type TrainImpl } from './step';

export interface BatchProgress {
  epoch: number; // 1-based
  batch: number; // 1-based
  batches: number;
  loss: number;
}

export type { TrainImpl } from './step';

export interface TrainHooks {
  onEpoch?(record: EpochRecord): void;
  onBatch?(p: BatchProgress): void;
  signal?: AbortSignal;
  /** how the gradients are computed: the fast path (default) or tfjs-layers' own graph */
  impl?: TrainImpl;
  /**
   * Compute LSTM batches in two parts (training/step.ts). Default: when the run is long enough
   * (PARALLEL_MIN_WORK) for the second thread to pay off. The two parts run on two threads unless
   * STW_TRAIN_THREADS=1 (the numbers are the same either way).
   */
  split?: boolean;
}

export interface TrainResult {
  kind: ModelKind;
  model: tf.LayersModel;
  history: EpochRecord[];
  bestEpoch: number; // 1-based
  params: number;
  trainSeconds: number;
  trainSamples: number;
  valSamples: number;
  valProbs: number[][];
  valTrue: number[];
  valKeys: SampleKey[];
  backend: Backend;
  /** how the batches were computed: the most parallel way any batch was (see training/step.ts) */
  execution: StepExecution;
}

/**
 * A batch loss above this is an exploded run, not learning: cross-entropy over 3 classes starts near
 * ln 3 ≈ 1.1, and a mean of 100 means the model gives the true class a probability of about e^-100.
 * (Adam with a huge learning rate keeps the loss finite but astronomically large, so NaN alone is not enough.)
 */
export const EXPLODED_LOSS = 100;

/** window-steps (samples × seqLen × epochs) from which LSTM batches are split over two threads (below, a worker's start-up is not repaid) */
export const PARALLEL_MIN_WORK = 100_000;
const YIELD_EVERY = 1; // batches between returns to the event loop (so a cancel message gets through after the batch in flight)
const PREDICT_BATCH = 512;

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new WorkbenchError('CANCELLED', 'training was cancelled');
}

/** Fisher–Yates with a seeded stream: the same seed gives the same epoch orders. */
function shuffleInPlace(a: Int32Array, rng: seedrandom.PRNG): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

/** Models the fast path cannot run (a layer it does not implement): predicted through tfjs-layers. */
const layersOnly = new WeakSet<tf.LayersModel>();

/** The model's logits for one chunk in inference mode, on the fast path (the same maths as model.predict, several times faster for the LSTM). */
function fastInferenceLogits(model: tf.LayersModel, x: tf.Tensor): tf.Tensor2D {
  const isLstm = model.layers.some((l) => l.getClassName() === 'LSTM');
  return isLstm ? fastLstmLogits(model, x as tf.Tensor3D, false) : fastMlpLogits(model, x as tf.Tensor2D, false);
}

/**
 * Class probabilities in inference mode (dropout off), in chunks: softmax of the fast path's logits
 * (validation every epoch, permutation importance and predictions call this many times), or
 * model.predict where the fast path does not apply.
 */
export async function predictProbs(model: tf.LayersModel, x: tf.Tensor, batchSize = PREDICT_BATCH): Promise<number[][]> {
  const n = x.shape[0];
  const rows: number[][] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => {
      const chunk = tf.slice(x, start, size);
      if (!layersOnly.has(model)) {
        try {
          return tf.softmax(fastInferenceLogits(model, chunk));
        } catch (err) {
          if (!(err instanceof WorkbenchError && err.code === 'INTERNAL')) throw err;
          layersOnly.add(model);
        }
      }
      return model.predict(chunk) as tf.Tensor;
    });
    const flat = await probs.data();
    probs.dispose();
    const k = flat.length / size;
    for (let i = 0; i < size; i++) rows.push(Array.from(flat.subarray(i * k, (i + 1) * k)));
  }
  return rows;
}

/** Step decay: the rate is multiplied by decayFactor after every decayEvery epochs (epoch is 1-based). */
export function learningRateForEpoch(cfg: Pick<TrainConfig, 'learningRate' | 'decayEvery' | 'decayFactor'>, epoch: number): number {
  return cfg.learningRate * cfg.decayFactor ** Math.floor((epoch - 1) / cfg.decayEvery);
}

function selectionScore(m: Metrics, by: TrainConfig['selectBy']): number {
  switch (by) {
    case 'accuracy':
      return m.accuracy;
    case 'balanced_accuracy':
      return m.balanced_accuracy;
    case 'val_loss':
      return -m.log_loss;
    default:
      return m.macro_f1;
  }
}

export async function trainModel(kind: ModelKind, ds: Dataset, config: TrainConfig, hooks: TrainHooks = {}): Promise<TrainResult> {
  const cfg = resolveTrainConfig(config);
  const backend = await initBackend();
  const started = Date.now();
  const features = normaliseRows(ds.rows, ds.normaliser);
  const samples = buildSamples(ds, features, cfg.seqLen);
  if (samples.train.length === 0) throw new WorkbenchError('BAD_INPUT', 'the dataset has no training samples (too few dates?)');
  if (samples.val.length === 0) throw new WorkbenchError('BAD_INPUT', 'the dataset has no validation samples (too few dates?)');
  if (new Set(samples.trainLabels).size < 2) {
    throw new WorkbenchError('BAD_INPUT', `every training sample has the same class (${CLASS_NAMES[samples.trainLabels[0]]}): there is nothing to learn — narrow the band or lengthen the horizon`);
  }

  const model = buildModel(kind, cfg);
  const impl = hooks.impl ?? 'fast';
  const work = samples.train.length * (kind === 'lstm' ? cfg.seqLen : 1) * cfg.epochs;
  const stepper = createStepper({
    kind,
    model,
    impl,
    backend,
    learningRate: cfg.learningRate,
    clipNorm: cfg.clipNorm,
    seqLen: cfg.seqLen,
    batchSize: cfg.batchSize,
    split: hooks.split ?? work >= PARALLEL_MIN_WORK,
    threads: process.env.STW_TRAIN_THREADS === '1' ? 1 : 2,
  });
  const xVal = modelInput(kind, features, samples.val, cfg.seqLen);
  const order = Int32Array.from(samples.train);
  const labelOf = new Int32Array(ds.rows.length);
  samples.train.forEach((row, j) => (labelOf[row] = samples.trainLabels[j]));
  const rng = seedrandom(`${cfg.seed}:shuffle`);
  const batches = Math.ceil(order.length / cfg.batchSize);
  const batchValues = new Float32Array(cfg.batchSize * sampleWidth(kind, cfg.seqLen));

  const history: EpochRecord[] = [];
  let best: { epoch: number; score: number; weights: tf.Tensor[]; probs: number[][] } | null = null;
  let ok = false;
  try {
    await stepper.ready; // a part worker loads its own tfjs (~0.5 s) while the samples above were built
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const epochStart = Date.now();
      stepper.learningRate = learningRateForEpoch(cfg, epoch);
      shuffleInPlace(order, rng);
      let lossSum = 0;
      let correct = 0;
      for (let b = 0; b < batches; b++) {
        checkCancelled(hooks.signal);
        const idx = order.subarray(b * cfg.batchSize, Math.min(order.length, (b + 1) * cfg.batchSize));
        const labels = Int32Array.from(idx, (row) => labelOf[row]);
        const x = sampleValues(kind, features, idx, cfg.seqLen, batchValues);
        const { loss: lossValue, hits: batchCorrect } = await stepper.step(x, labels);
        correct += batchCorrect;
        if (!Number.isFinite(lossValue)) {
          throw new WorkbenchError(
            'TRAINING_FAILED',
            `loss became ${lossValue} at epoch ${epoch}, batch ${b + 1} — try a lower learning rate or check the input features for extreme values`,
          );
        }
        if (lossValue > EXPLODED_LOSS) {
          throw new WorkbenchError(
            'TRAINING_FAILED',
            `loss exploded to ${lossValue.toPrecision(3)} at epoch ${epoch}, batch ${b + 1} (it starts near 1.1) — try a lower learning rate; no model was saved`,
          );
        }
        lossSum += lossValue * idx.length;
        hooks.onBatch?.({ epoch, batch: b + 1, batches, loss: lossValue });
        if (b % YIELD_EVERY === YIELD_EVERY - 1) await yieldToEventLoop();
      }
      checkCancelled(hooks.signal);

      const probs = await predictProbs(model, xVal);
      if (probs.some((row) => row.some((p) => !Number.isFinite(p)))) {
        throw new WorkbenchError('TRAINING_FAILED', `the model's validation outputs became NaN at epoch ${epoch} — try a lower learning rate; no model was saved`);
      }
      const m = computeMetrics(samples.valLabels, probs);
      const record: EpochRecord = {
        epoch,
        loss: lossSum / order.length,
        accuracy: correct / order.length,
        val_loss: m.log_loss,
        val_accuracy: m.accuracy,
        val_macro_f1: m.macro_f1,
        seconds: (Date.now() - epochStart) / 1000,
      };
      history.push(record);
      const score = selectionScore(m, cfg.selectBy);
      if (!best || score > best.score) {
        best?.weights.forEach((w) => w.dispose());
        best = { epoch, score, weights: model.getWeights().map((w) => w.clone()), probs };
      }
      hooks.onEpoch?.(record);
      await yieldToEventLoop();
    }
    ok = true;
  } finally {
    xVal.dispose();
    await stepper.dispose();
    if (!ok) {
      best?.weights.forEach((w) => w.dispose());
      model.dispose();
    }
  }
  // best is set: epochs ≥ 1 and every epoch either becomes best or keeps an earlier one.
  const kept = best as NonNullable<typeof best>;
  model.setWeights(kept.weights);
  kept.weights.forEach((w) => w.dispose());
  return {
    kind,
    model,
    history,
    bestEpoch: kept.epoch,
    params: model.countParams(),
    trainSeconds: (Date.now() - started) / 1000,
    trainSamples: samples.train.length,
    valSamples: samples.val.length,
    valProbs: kept.probs,
    valTrue: samples.valLabels,
    valKeys: samples.valKeys,
    backend,
    execution: stepper.execution,
  };
}
