/**
 * The benchmark's own minimal training loop: per batch it gathers a shuffled batch, runs the
 * training loop's own step (training/step.ts: forward, softmax cross-entropy on logits, backward,
 * global-norm clipping, Adam) and returns to the event loop, as src-main/core/training/train.ts
 * does — without validation, metrics or progress events, so the numbers measure training speed.
 */
import seedrandom from 'seedrandom';
import { currentBackend } from '../src-main/core/backend';
import { createStepper, type StepExecution, type TrainImpl } from '../src-main/core/training/step';
import { FEATURE_COUNT, type ModelKind } from '../src-main/core/types';
import { benchModel } from './models';

/**
 * 'layers': the model's tfjs-layers graph with tf.train.adam and tfjs-op clipping. 'fast': what the
 * training loop runs (training/step.ts): the fast path with clipping + Adam in one JS pass, an LSTM
 * batch in two parts (on two threads unless `threads` is 1).
 */
export type Impl = TrainImpl;

export interface BenchCase {
  model: ModelKind;
  impl: Impl;
  windows: number;
  steps: number; // LSTM window length (the dual tower ignores it)
  batch: number;
  /** 2: the LSTM's batch parts run on two threads (training/step.ts); 1: one after the other */
  threads: number;
}

export interface CaseResult {
  epochSeconds: number[];
  /** process CPU seconds per epoch: steadier than wall time when the machine is shared */
  epochCpuSeconds: number[];
  peakRssMb: number;
  finalLoss: number;
  /** how the batches were computed (training/step.ts) */
  executions: StepExecution[];
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
  const stepper = createStepper({
    kind: c.model,
    model,
    impl: c.impl,
    backend: currentBackend(),
    learningRate: 1e-3,
    clipNorm: CLIP_NORM,
    seqLen: c.steps,
    batchSize: c.batch,
    split: true,
    threads: c.threads === 1 ? 1 : 2,
  });
  const { x: data, y: labels, width } = makeData(c);
  const order = Int32Array.from({ length: c.windows }, (_, i) => i);
  const rng = seedrandom('bench:shuffle');
  const epochSeconds: number[] = [];
  const epochCpuSeconds: number[] = [];
  let peakRss = process.memoryUsage.rss();
  let finalLoss = NaN;
  let batchCount = 0;
  const executions = new Set<StepExecution>();
  try {
    if (c.threads > 1) await stepper.ready; // the worker's start-up is not an epoch's work
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      shuffle(order, rng);
      for (let start = 0; start < c.windows; start += c.batch) {
        const idx = order.subarray(start, Math.min(c.windows, start + c.batch));
        const buf = new Float32Array(idx.length * width);
        idx.forEach((row, j) => buf.set(data.subarray(row * width, (row + 1) * width), j * width));
        const yIdx = Int32Array.from(idx, (row) => labels[row]);
        finalLoss = (await stepper.step(buf, yIdx)).loss;
        executions.add(stepper.execution);
        await yieldToEventLoop(); // train.ts returns to the event loop after every batch
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
    await stepper.dispose();
    model.dispose();
  }
  return { epochSeconds, epochCpuSeconds, peakRssMb: peakRss / 2 ** 20, finalLoss, executions: [...executions] };
}
