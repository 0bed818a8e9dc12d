/**
 * The benchmark's own minimal training loop. It does the same work per batch as the real loop in
 * src-main/core/training/train.ts — gather a shuffled batch, forward, softmax cross-entropy on
 * logits, backward, global-norm clipping, Adam step, read the loss back (the 'fast' loss op has it
 * in JS already), return to the event loop — without validation, metrics or progress events, so
 * the numbers measure training speed alone.
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { logitsModel } from '../src-main/core/models';
import { ClippedAdam, fastLstmLogits, fastMlpLogits, softmaxCrossEntropyLoss, type LossStats } from '../src-main/core/models/fast-lstm';
import { FEATURE_COUNT, type ModelKind } from '../src-main/core/types';
import { benchModel } from './models';

/**
 * 'layers': the model's tfjs-layers graph with tf.train.adam and tfjs-op clipping, as the real loop
 * does today. 'fast': the LSTM stack on the fast path (fastLstmLogits) or the dual tower as one JS
 * op (fastMlpLogits), and clipping + Adam in one JS pass (ClippedAdam).
 */
export type Impl = 'layers' | 'fast';

export interface BenchCase {
  model: ModelKind;
  impl: Impl;
  windows: number;
  steps: number; // LSTM window length (the dual tower ignores it)
  batch: number;
}

export interface CaseResult {
  epochSeconds: number[];
  /** process CPU seconds per epoch: steadier than wall time when the machine is shared */
  epochCpuSeconds: number[];
  peakRssMb: number;
  finalLoss: number;
}

const CLIP_NORM = 1.0;

/** Seeded random windows (or rows) and labels of the case's size. */
function makeData(c: BenchCase): { x: Float32Array; y: Int32Array; width: number } {
  const rng = seedrandom(`bench:${c.windows}:${c.steps}`);
  const width = c.model === 'lstm' ? c.steps * FEATURE_COUNT : FEATURE_COUNT;
  const x = new Float32Array(c.windows * width);
  for (let i = 0; i < x.length; i++) x[i] = 2 * rng() - 1;
  const y = Int32Array.from({ length: c.windows }, () => Math.floor(rng() * 3));
  return { x, y, width };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function shuffle(a: Int32Array, rng: seedrandom.PRNG): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}

export async function runCase(c: BenchCase, epochs: number, onEpoch?: (epoch: number, seconds: number) => void): Promise<CaseResult> {
  const model = await benchModel(c.model, c.steps);
  const layersLogits = logitsModel(model);
  const forward = (x: tf.Tensor): tf.Tensor => {
    if (c.impl === 'layers') return layersLogits.apply(x, { training: true }) as tf.Tensor;
    return c.model === 'lstm' ? fastLstmLogits(model, x as tf.Tensor3D, true) : fastMlpLogits(model, x as tf.Tensor2D, true);
  };
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = tf.train.adam(1e-3);
  const fused = c.impl === 'fast' ? new ClippedAdam(variables, { learningRate: 1e-3, clipNorm: CLIP_NORM }) : null;
  const { x: data, y: labels, width } = makeData(c);
  const order = Int32Array.from({ length: c.windows }, (_, i) => i);
  const rng = seedrandom('bench:shuffle');
  const shape = (n: number): number[] => (c.model === 'lstm' ? [n, c.steps, FEATURE_COUNT] : [n, FEATURE_COUNT]);
  const epochSeconds: number[] = [];
  const epochCpuSeconds: number[] = [];
  let peakRss = process.memoryUsage.rss();
  let finalLoss = NaN;
  let batchCount = 0;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      shuffle(order, rng);
      for (let start = 0; start < c.windows; start += c.batch) {
        const idx = order.subarray(start, Math.min(c.windows, start + c.batch));
        const buf = new Float32Array(idx.length * width);
        idx.forEach((row, j) => buf.set(data.subarray(row * width, (row + 1) * width), j * width));
        const yIdx = Int32Array.from(idx, (row) => labels[row]);
        if (fused) {
          // As train.ts: the fused loss op gives the loss and hits in JS, nothing is read back.
          const stats: LossStats = { loss: NaN, hits: 0 };
          tf.tidy(() => {
            const x = tf.tensor(buf, shape(idx.length));
            const { grads } = tf.variableGrads(() => softmaxCrossEntropyLoss(forward(x) as tf.Tensor2D, yIdx, stats), variables);
            fused.applyGradients(grads);
          });
          finalLoss = stats.loss;
          await yieldToEventLoop(); // train.ts returns to the event loop after every batch
        } else {
          const loss = tf.tidy(() => {
            const x = tf.tensor(buf, shape(idx.length));
            const y = tf.oneHot(tf.tensor1d(yIdx, 'int32'), 3);
            const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forward(x)) as tf.Scalar, variables);
            const names = Object.keys(grads);
            const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
            const scale = tf.div(CLIP_NORM, tf.maximum(norm, CLIP_NORM));
            optimizer.applyGradients(names.map((name) => ({ name, tensor: tf.mul(grads[name], scale) })));
            return value;
          });
          finalLoss = (await loss.data())[0];
          loss.dispose();
          await yieldToEventLoop();
        }
        // rss() is a syscall: sample it every few batches, not every one.
        if (++batchCount % 16 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
      }
      const seconds = (performance.now() - started) / 1000;
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      epochSeconds.push(seconds);
      const cpu = process.cpuUsage(cpuStarted);
      epochCpuSeconds.push((cpu.user + cpu.system) / 1e6);
      onEpoch?.(epoch, seconds);
    }
  } finally {
    optimizer.dispose();
    model.dispose();
  }
  return { epochSeconds, epochCpuSeconds, peakRssMb: peakRss / 2 ** 20, finalLoss };
}
