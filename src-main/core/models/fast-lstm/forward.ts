/**
 * One LSTM layer forward through time (backward.ts goes back): every matMul on tfjs, the per-cell
 * maths in plain JS loops. Everything is time-major: row (t·B + b) holds window b at step t.
 *
 * Why this shape: on the wasm backend each tfjs op costs a fixed ~5–30 µs, so a step built from
 * tfjs ops (slices, sigmoids, products) spends most of its time on dispatch. Here a forward step
 * is one fused op ([h_{t-1} | x_t]·[R; K] + b, sigmoid) and a JS loop over B×u cells; a backward
 * step is one matMul (dz_t·Rᵀ) and a JS loop; the weight gradients of all steps are one matMul
 * after the loop, and the input gradient another.
 */
import * as tf from '@tensorflow/tfjs';
import { hardSigmoid, sigmoid, tanh, type RecurrentActivation } from './activations';
import { asBatch3d, stepMatMul } from './kernels';
import { readNew } from './read';
import type { Workspace } from './workspace';


/** What the forward pass keeps for the backward pass (all time-major Float32Arrays). */
export interface LayerTape {
  steps: number; // T
  batch: number; // B
  inputSize: number;
  units: number; // u
  /**
   * [h_{t-1} | x_t | 1] per row (h_{-1} = 0), T·B × (u + inputSize + 1): what every weight
   * multiplies, the 1 for the bias (so one matMul gives the bias gradient with the others)
   */
  hx: Float32Array;
  /** gate outputs i, f, g (cell candidate), o — T·B × 4u, Keras column order */
  gates: Float32Array;
  /** cell state c_t and tanh(c_t), hidden state h_t — T·B × u each */
  c: Float32Array;
  tanhC: Float32Array;
  h: Float32Array;
  activation: RecurrentActivation;
}

/**
 * The gate maths of one step for B windows (per-step views: offset 0 = this step). Split into
 * short loops with one activation call each, so V8 inlines the activation (one long loop body
 * with five of them was not).
 */
function cellsForward(
  batch: number,
  u: number,
  xw: Float32Array,
  rec: Float32Array,
  cPrev: Float32Array,
  gates: Float32Array,
  c: Float32Array,
  tanhC: Float32Array,
  h: Float32Array,
  hard: boolean,
): void {
  const G = 4 * u;
  for (let b = 0; b < batch; b++) {
    const zo = b * G;
    if (hard) {
      for (let k = zo; k < zo + 2 * u; k++) gates[k] = hardSigmoid(xw[k] + rec[k]);
      for (let k = zo + 3 * u; k < zo + G; k++) gates[k] = hardSigmoid(xw[k] + rec[k]);
    } else {
      for (let k = zo; k < zo + 2 * u; k++) gates[k] = sigmoid(xw[k] + rec[k]);
      for (let k = zo + 3 * u; k < zo + G; k++) gates[k] = sigmoid(xw[k] + rec[k]);
    }
    for (let k = zo + 2 * u; k < zo + 3 * u; k++) gates[k] = tanh(xw[k] + rec[k]);
    const so = b * u;
    for (let j = 0; j < u; j++) {
      const cc = gates[zo + u + j] * cPrev[so + j] + gates[zo + j] * gates[zo + 2 * u + j];
      c[so + j] = cc;
      tanhC[so + j] = tanh(cc);
    }
    for (let j = 0; j < u; j++) h[so + j] = gates[zo + 3 * u + j] * tanhC[so + j];
  }
}

/** Writes step t's rows [h_{t-1} | x_t | 1] of hx (h_{-1} = 0). */
function fillHx(hx: Float32Array, x: Float32Array, h: Float32Array, t: number, batch: number, u: number, inputSize: number): void {
  const width = u + inputSize + 1;
  for (let k = 0; k < batch; k++) {
    const row = t * batch + k;
    const o = row * width;
    if (t > 0) hx.set(h.subarray((row - batch) * u, (row - batch + 1) * u), o);
    else hx.fill(0, o, o + u);
    hx.set(x.subarray(row * inputSize, (row + 1) * inputSize), o + u);
    hx[o + width - 1] = 1;
  }
}

/**
 * Forward through T steps. `x` is time-major (T·B × inputSize); kernel [in, 4u], recurrentKernel
 * [u, 4u], bias [4u] are the layer's tensors (used as they are: no transposed matMuls). The tape's
 * arrays are `ws` buffers named after `key`: they stay valid until the next forward on `ws`.
 */
export function lstmLayerForward(
  x: Float32Array,
  steps: number,
  batch: number,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  activation: RecurrentActivation,
  ws: Workspace,
  key: string,
): LayerTape {
  const inputSize = kernel.shape[0];
  const u = recurrentKernel.shape[0];
  const rows = steps * batch;
  const tape: LayerTape = {
    steps,
    batch,
    inputSize,
    units: u,
    hx: ws.get(`${key}:hx`, rows * (u + inputSize + 1)),
    gates: ws.get(`${key}:gates`, rows * 4 * u),
    c: ws.get(`${key}:c`, rows * u),
    tanhC: ws.get(`${key}:tanhC`, rows * u),
    h: ws.get(`${key}:h`, rows * u),
    activation,
  };
  if (activation === 'sigmoid') forwardFusedSigmoid(tape, x, kernel, recurrentKernel, bias, ws.zeros(`${key}:c0`, batch * u));
  else forwardJsGates(tape, x, kernel, recurrentKernel, bias, ws.zeros(`${key}:c0`, batch * u), ws.zeros(`${key}:rec`, batch * 4 * u));
  return tape;
}

/** Column scale that doubles the cell-candidate block: tanh(z) = 2·sigmoid(2z) − 1. */
function candidateScale(u: number): tf.Tensor1D {
  const s = new Float32Array(4 * u).fill(1);
  s.fill(2, 2 * u, 3 * u);
  return tf.tensor1d(s);
}

/**
 * Sigmoid gates: each step is ONE fused wasm op, sigmoid([h_{t-1} | x_t | 1]·[R; K; b]), the candidate block's weights doubled so that g = 2·s − 1 = tanh(z). That leaves only
 * the cell update and tanh(c) to the JS loop, and needs no separate input projection.
 */
function forwardFusedSigmoid(tape: LayerTape, x: Float32Array, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D, zeros: Float32Array): void {
  const { steps, batch, inputSize, units: u, hx, gates, c, tanhC, h } = tape;
  const G = 4 * u;
  const width = u + inputSize + 1;
  const w = tf.tidy(() => asBatch3d(tf.mul(tf.concat([recurrentKernel, kernel, tf.reshape(bias, [1, G])], 0), candidateScale(u)) as tf.Tensor2D));
  const product = stepMatMul(batch, w, 'sigmoid');
  try {
    for (let t = 0; t < steps; t++) {
      const sBase = t * batch * u;
      fillHx(hx, x, h, t, batch, u, inputSize);
      product.run(hx.subarray(t * batch * width, (t + 1) * batch * width), gates, t * batch * G);
      const cPrev = t > 0 ? c.subarray(sBase - batch * u, sBase) : zeros;
      cellsAfterSigmoid(batch, u, gates.subarray(t * batch * G), cPrev, c.subarray(sBase), tanhC.subarray(sBase), h.subarray(sBase));
    }
  } finally {
    product.dispose();
    w.dispose();
  }
}

/** The rest of a step once the gates hold sigmoids (candidate block still 2z-scaled). */
function cellsAfterSigmoid(batch: number, u: number, gates: Float32Array, cPrev: Float32Array, c: Float32Array, tanhC: Float32Array, h: Float32Array): void {
  const G = 4 * u;
  for (let k = 0; k < batch; k++) {
    const zo = k * G;
    for (let j = zo + 2 * u; j < zo + 3 * u; j++) gates[j] = 2 * gates[j] - 1;
    const so = k * u;
    for (let j = 0; j < u; j++) {
      const cc = gates[zo + u + j] * cPrev[so + j] + gates[zo + j] * gates[zo + 2 * u + j];
      c[so + j] = cc;
      tanhC[so + j] = tanh(cc);
    }
    for (let j = 0; j < u; j++) h[so + j] = gates[zo + 3 * u + j] * tanhC[so + j];
  }
}

/** Any supported gate activation: X·K + b for all steps in one matMul, then h·R and JS gates per step. */
function forwardJsGates(
  tape: LayerTape,
  x: Float32Array,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  zeros: Float32Array,
  rec: Float32Array, // h_{t-1}·R; h_{-1} = 0, so step 0 needs no matMul
): void {
  const { steps, batch, inputSize, units: u, hx, gates, c, tanhC, h, activation } = tape;
  const G = 4 * u;
  const rows = steps * batch;
  // (Never return a typed array from tf.tidy: tfjs walks every element looking for tensors.)
  const xt = tf.tensor2d(x, [rows, inputSize]);
  const xwT = tf.fused.matMul({ a: xt, b: kernel, bias });
  const xw = readNew(xwT);
  xt.dispose();
  xwT.dispose();
  const hard = activation === 'hardSigmoid';
  const recurrent = stepMatMul(batch, recurrentKernel, 'linear');
  try {
    for (let t = 0; t < steps; t++) {
      const sBase = t * batch * u;
      fillHx(hx, x, h, t, batch, u, inputSize);
      if (t > 0) recurrent.run(h.subarray(sBase - batch * u, sBase), rec);
      const cPrev = t > 0 ? c.subarray(sBase - batch * u, sBase) : zeros;
      cellsForward(batch, u, xw.subarray(t * batch * G), rec, cPrev, gates.subarray(t * batch * G), c.subarray(sBase), tanhC.subarray(sBase), h.subarray(sBase), hard);
    }
  } finally {
    recurrent.dispose();
  }
}
