/**
 * One optimiser step on one batch — forward, softmax cross-entropy on logits, backward, global-norm
 * clipping, Adam — shared by the training loop and the benchmark, so the benchmark times what
 * training runs.
 *
 * `fast` (default): the fast path (models/fast-lstm) with clipping + Adam in one JS pass. With
 * `split` on the wasm backend an LSTM batch is computed in two parts — the first ⌈n/2⌉ windows and
 * the rest — with the loss divided by the whole batch, the dropout masks drawn once for the whole
 * batch, and the parts' gradients added in that order. With `threads: 2` a part worker (a second
 * thread, parallel/) computes the second part while the loop computes the first; otherwise (or
 * while it starts, or if it cannot) the loop computes both in turn. Either way the numbers are the
 * same, so a run does not depend on whether the worker was there. (wasm runs single-threaded under
 * Node: the two parts are how an LSTM run uses the second core. Split batches cost about a fifth
 * more on one thread, so short runs are not split.)
 *
 * `layers`: tfjs-layers' own graph with tf.train.adam and tfjs-op clipping (the reference the
 * equivalence tests compare against).
 */
import * as tf from '@tensorflow/tfjs';
import { logitsModel } from '../models';
import { ClippedAdam, drawLstmHeadMasks, fastLstmLogits, lstmHeadDropoutWidths, fastMlpLogits, maskRows, softmaxCrossEntropyLoss, type LossStats } from '../models/fast-lstm';
import { valuesOf } from '../models/fast-lstm/read';
import { FEATURE_COUNT, type Backend, type ModelKind } from '../types';
import { PartWorker } from './parallel/client';
import { partGradients } from './parallel/part';

export type TrainImpl = 'fast' | 'layers';

/** How an LSTM batch is computed: whole, in two parts one after the other, or in two parts on two threads. */
export type StepExecution = 'whole' | 'parts' | 'parts-parallel';

export interface StepperOptions {
  kind: ModelKind;
  model: tf.LayersModel;
  impl: TrainImpl;
  backend: Backend;
  learningRate: number;
  clipNorm: number;
  seqLen: number;
  batchSize: number;
  /** compute LSTM batches in two parts (where splitsBatch allows): changes the float sums, so it is part of the run's recipe */
  split: boolean;
  /** 2: a part worker computes the second part on another thread; 1: the loop computes both */
  threads: 1 | 2;
}

export interface BatchStepper {
  learningRate: number;
  /** how the batches so far were computed: 'parts-parallel' once any was, else 'parts' once any was, else 'whole' (short batches are always whole) */
  readonly execution: StepExecution;
  /** settles once the part worker (if any) is ready or has failed to start */
  readonly ready: Promise<void>;
  /** x: the batch's values (sampleValues), labels: class indices; resolves to its mean loss and hits */
  step(x: Float32Array, labels: Int32Array): Promise<LossStats>;
  dispose(): Promise<void>;
}

/** How much of the second core a step used, for reporting the most a run used. */
const PARALLELISM: Record<StepExecution, number> = { whole: 0, parts: 1, 'parts-parallel': 2 };

/** Batches smaller than this are computed whole (parts of one window cost more than they save). */
export const MIN_SPLIT_BATCH = 4;

/** Whether a batch of n samples is computed in two parts (never a matter of which threads exist). */
export function splitsBatch(o: Pick<StepperOptions, 'kind' | 'impl' | 'backend' | 'split'>, n: number): boolean {
  return o.split && o.kind === 'lstm' && o.impl === 'fast' && o.backend === 'wasm' && n >= MIN_SPLIT_BATCH;
}

function inputTensor(kind: ModelKind, x: Float32Array, n: number, seqLen: number): tf.Tensor {
  return kind === 'lstm' ? tf.tensor3d(x, [n, seqLen, FEATURE_COUNT]) : tf.tensor2d(x, [n, FEATURE_COUNT]);
}

export function createStepper(opts: StepperOptions): BatchStepper {
  return opts.impl === 'layers' ? new LayersStepper(opts) : new FastStepper(opts);
}

/** Adam whose learning rate can be stepped between epochs. */
class StepAdam extends tf.AdamOptimizer {
  constructor(lr: number) {
    super(lr, 0.9, 0.999);
  }
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }
}

class LayersStepper implements BatchStepper {
  readonly execution: StepExecution = 'whole';
  readonly ready = Promise.resolve();
  private readonly optimizer: StepAdam;
  private readonly logits: tf.LayersModel;
  private readonly variables: tf.Variable[];

  constructor(private readonly opts: StepperOptions) {
    this.optimizer = new StepAdam(opts.learningRate);
    this.logits = logitsModel(opts.model);
    this.variables = opts.model.trainableWeights.map((w) => w.read() as tf.Variable);
  }

  get learningRate(): number {
    return this.optimizer.getConfig()['learningRate'] as number;
  }
  set learningRate(lr: number) {
    this.optimizer.setLearningRate(lr);
  }

  async step(x: Float32Array, labels: Int32Array): Promise<LossStats> {
    const { kind, seqLen, clipNorm } = this.opts;
    // One tensor [loss, hits] so each batch costs a single read-back. `hits` must outlive the
    // forward pass's own scope, so it is kept there and disposed by hand below.
    const kept: { hits?: tf.Tensor } = {};
    const stats = tf.tidy(() => {
      const input = inputTensor(kind, x, labels.length, seqLen);
      const yIdx = tf.tensor1d(labels, 'int32');
      const y = tf.oneHot(yIdx, 3);
      const { value, grads } = tf.variableGrads(() => {
        const z = this.logits.apply(input, { training: true }) as tf.Tensor;
        kept.hits = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(z, 1), yIdx), 'float32')));
        return tf.losses.softmaxCrossEntropy(y, z) as tf.Scalar;
      }, this.variables);
      // Global-norm clipping: scale every gradient by min(1, clipNorm / ‖g‖).
      const names = Object.keys(grads);
      const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
      const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
      this.optimizer.applyGradients(names.map((name) => ({ name, tensor: tf.mul(grads[name], scale) })));
      return tf.stack([value, kept.hits as tf.Tensor]);
    });
    kept.hits?.dispose();
    const [loss, hits] = await stats.data();
    stats.dispose();
    return { loss, hits };
  }

  async dispose(): Promise<void> {
    this.optimizer.dispose();
  }
}

class FastStepper implements BatchStepper {
  private readonly adam: ClippedAdam;
  private readonly variables: tf.Variable[];
  /** the batch's summed gradients, one array per variable */
  private readonly sum: Float32Array[];
  private readonly worker: PartWorker | null = null;
  private workerReady = false;
  private mostParallel: StepExecution = 'whole';
  readonly ready: Promise<void> = Promise.resolve();

  constructor(private readonly opts: StepperOptions) {
    this.variables = opts.model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.adam = new ClippedAdam(this.variables, { learningRate: opts.learningRate, clipNorm: opts.clipNorm });
    this.sum = this.variables.map((v) => new Float32Array(v.size));
    if (opts.threads === 2 && splitsBatch(opts, opts.batchSize)) {
      this.worker = new PartWorker(
        {
          variableSizes: this.variables.map((v) => v.size),
          maxRows: Math.floor(opts.batchSize / 2),
          windowSize: opts.seqLen * FEATURE_COUNT,
          maskWidths: lstmHeadDropoutWidths(opts.model),
        },
        opts.seqLen,
        opts.model.toJSON(null, false) as object,
      );
      this.ready = this.worker.ready.then((ok) => {
        this.workerReady = ok;
        if (!ok) process.emitWarning(`training on one thread: the part worker did not start (${this.worker?.reason ?? 'unknown reason'})`);
      });
    }
  }

  get learningRate(): number {
    return this.adam.learningRate;
  }
  set learningRate(lr: number) {
    this.adam.learningRate = lr;
  }

  get execution(): StepExecution {
    return this.mostParallel;
  }

  private record(e: StepExecution): void {
    if (PARALLELISM[e] > PARALLELISM[this.mostParallel]) this.mostParallel = e;
  }

  async step(x: Float32Array, labels: Int32Array): Promise<LossStats> {
    const { seqLen, model } = this.opts;
    const n = labels.length;
    if (!splitsBatch(this.opts, n)) {
      this.record('whole');
      return this.whole(x, labels);
    }
    const masks = drawLstmHeadMasks(model, n);
    const head = Math.ceil(n / 2);
    const width = seqLen * FEATURE_COUNT;
    const first = { x, rows: head, steps: seqLen, labels, masks: maskRows(masks, n, 0, head), denominator: n };
    const second = { x: x.subarray(head * width), rows: n - head, steps: seqLen, labels: labels.subarray(head), masks: maskRows(masks, n, head, n), denominator: n };
    const worker = this.workerReady ? this.worker : null;
    if (worker) {
      this.sendWeights(worker);
      worker.submit(second);
    }
    const a = partGradients(model, this.variables, first, (v, g) => this.sum[v].set(g));
    const addTo = (v: number, g: Float32Array): void => {
      const s = this.sum[v];
      for (let k = 0; k < s.length; k++) s[k] += g[k];
    };
    const b = worker ? await worker.collect(addTo) : partGradients(model, this.variables, second, addTo);
    this.adam.applyGradientValues(this.sum);
    this.record(worker ? 'parts-parallel' : 'parts');
    return { loss: a.loss + b.loss, hits: a.hits + b.hits };
  }

  private whole(x: Float32Array, labels: Int32Array): LossStats {
    const { kind, seqLen, model } = this.opts;
    // The fused loss op computes the loss and the hits in JS: nothing to read back.
    const stats: LossStats = { loss: NaN, hits: 0 };
    tf.tidy(() => {
      const input = inputTensor(kind, x, labels.length, seqLen);
      const forward = (): tf.Tensor2D => (kind === 'lstm' ? fastLstmLogits(model, input as tf.Tensor3D, true) : fastMlpLogits(model, input as tf.Tensor2D, true));
      const { grads } = tf.variableGrads(() => softmaxCrossEntropyLoss(forward(), labels, stats), this.variables);
      this.adam.applyGradients(grads);
    });
    return stats;
  }

  /** The worker computes with the weights as they are now (after the last step). */
  private sendWeights(worker: PartWorker): void {
    // Each heap view is copied before anything else runs (a new tensor could move the heap).
    this.variables.forEach((v, n) => worker.setWeight(n, valuesOf(v)));
  }

  async dispose(): Promise<void> {
    await this.worker?.dispose();
  }
}
