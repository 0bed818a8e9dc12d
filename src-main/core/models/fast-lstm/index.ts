/**
 * A fast stacked LSTM for training on the wasm backend: the same function as a stack of
 * `tf.layers.lstm` layers (Keras gate order i, f, c, o; tanh activation; sigmoid or hardSigmoid
 * gates), with its own backward pass wrapped in `tf.customGrad`, so the rest of a model (dropout,
 * dense head, softmax cross-entropy) keeps tfjs autodiff and `tf.variableGrads` sees the LSTM
 * weights as ordinary variables. The weights are the layers model's own variables, so a model
 * trained this way saves and loads as the standard tfjs layers model.
 */
import * as tf from '@tensorflow/tfjs';
import { WorkbenchError } from '../../errors';
import type { RecurrentActivation } from './activations';
import { lstmLayerBackward } from './backward';
import { lstmLayerForward, type LayerTape } from './forward';
import { drawDropoutMasks, dropoutWidths, fastMlpLogits, type FastMlpOptions } from './mlp';
import { readInto, tensorCopy } from './read';
import { Workspace } from './workspace';

export type { RecurrentActivation } from './activations';
export { ClippedAdam, type ClippedAdamOptions } from './adam';
export { drawDropoutMasks, fastMlpLogits, maskRows, type FastMlpOptions } from './mlp';
export { softmaxCrossEntropyLoss, type LossStats } from './loss';
export { Workspace } from './workspace';

export interface FastLstmLayer {
  kernel: tf.Tensor2D; // [in, 4u]
  recurrentKernel: tf.Tensor2D; // [u, 4u]
  bias: tf.Tensor1D; // [4u]
  /** gate activation; 'sigmoid' (PyTorch's) unless given */
  recurrentActivation?: RecurrentActivation;
}

function checkShapes(x: tf.Tensor3D, layers: readonly FastLstmLayer[]): void {
  if (layers.length === 0) throw new WorkbenchError('INTERNAL', 'fastLstmStack needs at least one layer');
  let width = x.shape[2];
  layers.forEach((l, n) => {
    const [inK, g] = l.kernel.shape;
    const u = l.recurrentKernel.shape[0];
    if (inK !== width || g !== 4 * u || l.recurrentKernel.shape[1] !== 4 * u || l.bias.shape[0] !== 4 * u) {
      throw new WorkbenchError(
        'INTERNAL',
        `fast LSTM layer ${n + 1}: kernel [${l.kernel.shape}], recurrent kernel [${l.recurrentKernel.shape}], bias [${l.bias.shape}] do not fit input width ${width}`,
      );
    }
    width = u;
  });
}

/** (B, T, F) batch-major → T·B × F time-major. */
function toTimeMajor(data: Float32Array, batch: number, steps: number, width: number, out: Float32Array): Float32Array {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) out.set(data.subarray((b * steps + t) * width, (b * steps + t + 1) * width), (t * batch + b) * width);
  }
  return out;
}

function toBatchMajor(data: Float32Array, batch: number, steps: number, width: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let t = 0; t < steps; t++) {
    for (let b = 0; b < batch; b++) out.set(data.subarray((t * batch + b) * width, (t * batch + b + 1) * width), (b * steps + t) * width);
  }
  return out;
}

export interface FastLstmOptions {
  /** false: the gradient returned for x is zeros (for training, where x is data) */
  inputGradient?: boolean;
  /**
   * Buffers to reuse from call to call (one per model). While a forward pass's tape waits for its
   * backward pass the workspace is taken, and another call uses fresh buffers.
   */
  workspace?: Workspace;
}

/**
 * The last hidden state (B, u) of the top layer of a stack of LSTM layers run over x (B, T, F),
 * every layer but the top one returning its whole sequence — `lstm(returnSequences) → … → lstm`.
 * Differentiable w.r.t. x and every kernel, recurrent kernel and bias.
 */
export function fastLstmStack(x: tf.Tensor3D, layers: readonly FastLstmLayer[], opts: FastLstmOptions = {}): tf.Tensor2D {
  // Training never needs d loss / d x (x is data): skipping it saves a T·B × 4u × F matMul.
  const inputGradient = opts.inputGradient ?? true;
  checkShapes(x, layers);
  const [batch, steps, features] = x.shape;
  const weights = layers.flatMap((l) => [l.kernel, l.recurrentKernel, l.bias]);
  const activations = layers.map((l) => l.recurrentActivation ?? 'sigmoid');
  const shared = opts.workspace && !opts.workspace.busy ? opts.workspace : null;
  const ws = shared ?? new Workspace();
  // Only a pass under a gradient scope keeps its tape for a backward pass.
  if (shared && tf.engine().state.gradientDepth > 0) shared.busy = true;
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor3D;
    const w = args.slice(1, 1 + weights.length) as tf.Tensor[];
    const layerAt = (n: number): [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D] => [
      w[3 * n] as tf.Tensor2D,
      w[3 * n + 1] as tf.Tensor2D,
      w[3 * n + 2] as tf.Tensor1D,
    ];
    const tapes: LayerTape[] = [];
    const raw = ws.get('input', batch * steps * features);
    readInto(input, raw);
    let seq = toTimeMajor(raw, batch, steps, features, ws.get('inputTimeMajor', raw.length));
    for (let n = 0; n < layers.length; n++) {
      const [k, r, b] = layerAt(n);
      const tape = lstmLayerForward(seq, steps, batch, k, r, b, activations[n], ws, `layer${n}`);
      tapes.push(tape);
      seq = tape.h;
    }
    const top = tapes[tapes.length - 1];
    const u = top.units;
    // At the last step the time-major rows are exactly the (B, u) batch.
    const value = tensorCopy<tf.Rank.R2>(top.h.subarray((steps - 1) * batch * u), [batch, u]);
    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      try {
        let dh = ws.zeros('dhTop', steps * batch * u);
        readInto(dy, dh, (steps - 1) * batch * u);
        const grads: tf.Tensor[] = new Array(weights.length);
        for (let n = layers.length - 1; n >= 0; n--) {
          const [k, r] = layerAt(n);
          const g = lstmLayerBackward(tapes[n], dh, k, r, n > 0 || inputGradient, ws, `layer${n}`);
          grads[3 * n] = g.kernel;
          grads[3 * n + 1] = g.recurrentKernel;
          grads[3 * n + 2] = g.bias;
          if (g.dx) dh = g.dx;
        }
        const dx = inputGradient ? tf.tensor3d(toBatchMajor(dh, batch, steps, features), [batch, steps, features]) : tf.zerosLike(input);
        return [dx, ...grads];
      } finally {
        if (shared) shared.busy = false;
      }
    };
    return { value, gradFunc };
  });
  return run(x, ...weights) as tf.Tensor2D;
}

/** An LSTM layer's config fields the fast path depends on. */
interface LstmLayerConfig {
  activation?: unknown;
  recurrentActivation?: unknown;
  useBias?: unknown;
  dropout?: unknown;
  recurrentDropout?: unknown;
  goBackwards?: unknown;
  stateful?: unknown;
  returnState?: unknown;
}

function lstmLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((l) => l.getClassName() === 'LSTM');
}

/**
 * The LSTM layers' weights as the model's own variables (so `tf.variableGrads` and optimizers
 * update the layers model itself), bottom layer first. Throws if a layer computes something the
 * fast path does not (another activation, no bias, dropout inside the cell, reversed, stateful).
 */
export function lstmLayerWeights(model: tf.LayersModel): FastLstmLayer[] {
  const found = lstmLayers(model);
  if (found.length === 0) throw new WorkbenchError('INTERNAL', `model ${model.name} has no LSTM layer`);
  return found.map((layer) => {
    const cfg = layer.getConfig() as LstmLayerConfig;
    const gate = cfg.recurrentActivation;
    const plain =
      cfg.activation === 'tanh' &&
      (gate === 'sigmoid' || gate === 'hardSigmoid') &&
      cfg.useBias === true &&
      !cfg.dropout &&
      !cfg.recurrentDropout &&
      !cfg.goBackwards &&
      !cfg.stateful &&
      !cfg.returnState;
    if (!plain) {
      throw new WorkbenchError('INTERNAL', `LSTM layer ${layer.name} has options the fast LSTM does not implement: ${JSON.stringify(cfg)}`);
    }
    const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
    if (vars.length !== 3) throw new WorkbenchError('INTERNAL', `LSTM layer ${layer.name} has ${vars.length} weights, expected 3`);
    return {
      kernel: vars[0] as tf.Tensor as tf.Tensor2D,
      recurrentKernel: vars[1] as tf.Tensor as tf.Tensor2D,
      bias: vars[2] as tf.Tensor as tf.Tensor1D,
      recurrentActivation: gate,
    };
  });
}

/** Per model: its LSTM weights, top LSTM layer and buffers, looked up once (the variables never change identity). */
const plans = new WeakMap<tf.LayersModel, { lstm: FastLstmLayer[]; top: tf.layers.Layer; workspace: Workspace }>();

/**
 * The model's logits (B, 3) for windows x (B, T, 21) with the LSTM stack on the fast path and the
 * dense head (dropout, dense, …, logits) in JS as one op (fastMlpLogits after the top LSTM):
 * `tf.variableGrads(() => loss(fastLstmLogits(model, x, true), y))` gives gradients for all of
 * `model.trainableWeights`.
 */
export function fastLstmLogits(model: tf.LayersModel, x: tf.Tensor3D, training: boolean, opts: FastMlpOptions = {}): tf.Tensor2D {
  const { lstm, top, workspace } = planOf(model);
  return tf.tidy(() => fastMlpLogits(model, fastLstmStack(x, lstm, { inputGradient: false, workspace }), training, top, opts));
}

function planOf(model: tf.LayersModel): { lstm: FastLstmLayer[]; top: tf.layers.Layer; workspace: Workspace } {
  let plan = plans.get(model);
  if (!plan) {
    const found = lstmLayers(model);
    plan = { lstm: lstmLayerWeights(model), top: found[found.length - 1], workspace: new Workspace() };
    plans.set(model, plan);
  }
  return plan;
}

/** The widths of the LSTM head's dropout masks (see dropoutWidths). */
export function lstmHeadDropoutWidths(model: tf.LayersModel): number[] {
  return dropoutWidths(model, planOf(model).top);
}

/** Dropout masks of the LSTM's dense head for the next `batch` windows (see drawDropoutMasks). */
export function drawLstmHeadMasks(model: tf.LayersModel, batch: number): Float32Array[] {
  return drawDropoutMasks(model, batch, planOf(model).top);
}
