/**
 * One LSTM layer backward through time, from the tape its forward pass kept (forward.ts): per step
 * one matMul (dz_t·Rᵀ) and a JS loop over the cells; then all weight gradients in one matMul and
 * the input gradient in another.
 */
import * as tf from '@tensorflow/tfjs';
import { hardSlope } from './activations';
import { matMulInto, type LayerTape } from './forward';
import { readNew } from './read';

/** One step back: gate gradients dz from dh (from above + recurrent) and the carried dc. */
function cellsBackwardSigmoid(
  n: number,
  u: number,
  dhAbove: Float32Array,
  dhRec: Float32Array,
  gates: Float32Array,
  tanhC: Float32Array,
  cPrev: Float32Array,
  dcNext: Float32Array,
  dz: Float32Array,
): void {
  for (let s = 0, zo = 0; s < n; s++, zo++) {
    if (s % u === 0 && s > 0) zo += 3 * u; // next window's row of 4u gate gradients
    const dh = dhAbove[s] + dhRec[s];
    const i = gates[zo];
    const f = gates[zo + u];
    const g = gates[zo + 2 * u];
    const o = gates[zo + 3 * u];
    const tc = tanhC[s];
    const dc = dcNext[s] + dh * o * (1 - tc * tc);
    dcNext[s] = dc * f;
    dz[zo] = dc * g * i * (1 - i);
    dz[zo + u] = dc * cPrev[s] * f * (1 - f);
    dz[zo + 2 * u] = dc * i * (1 - g * g);
    dz[zo + 3 * u] = dh * tc * o * (1 - o);
  }
}

function cellsBackwardHard(
  n: number,
  u: number,
  dhAbove: Float32Array,
  dhRec: Float32Array,
  gates: Float32Array,
  tanhC: Float32Array,
  cPrev: Float32Array,
  dcNext: Float32Array,
  dz: Float32Array,
): void {
  for (let s = 0, zo = 0; s < n; s++, zo++) {
    if (s % u === 0 && s > 0) zo += 3 * u; // next window's row of 4u gate gradients
    const dh = dhAbove[s] + dhRec[s];
    const i = gates[zo];
    const f = gates[zo + u];
    const g = gates[zo + 2 * u];
    const o = gates[zo + 3 * u];
    const tc = tanhC[s];
    const dc = dcNext[s] + dh * o * (1 - tc * tc);
    dcNext[s] = dc * f;
    dz[zo] = dc * g * hardSlope(i);
    dz[zo + u] = dc * cPrev[s] * hardSlope(f);
    dz[zo + 2 * u] = dc * i * (1 - g * g);
    dz[zo + 3 * u] = dh * tc * hardSlope(o);
  }
}

export interface LayerGrads {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  /** d loss / d input, time-major (T·B × inputSize), when asked for */
  dx: Float32Array | null;
}

/**
 * Backward through time. `dh` is d loss / d h_t from above (T·B × u, time-major; zeros where the
 * output was not used). Returns weight gradients as tensors and, if `wantDx`, the input gradient.
 */
export function lstmLayerBackward(
  tape: LayerTape,
  dh: Float32Array,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  wantDx: boolean,
): LayerGrads {
  const { steps, batch, inputSize, units: u, gates, c, tanhC, h, x, activation } = tape;
  const G = 4 * u;
  const rows = steps * batch;
  const dz = new Float32Array(rows * G);
  const dcNext = new Float32Array(batch * u);
  const dhRec = new Float32Array(batch * u); // dz_{t+1}·Rᵀ, zero at the last step
  const recurrentT = tf.transpose(recurrentKernel) as tf.Tensor2D; // [4u, u], once per batch
  const cells = activation === 'sigmoid' ? cellsBackwardSigmoid : cellsBackwardHard;
  const zeros = new Float32Array(batch * u);
  try {
    for (let t = steps - 1; t >= 0; t--) {
      const zBase = t * batch * G;
      const sBase = t * batch * u;
      const cPrev = t > 0 ? c.subarray(sBase - batch * u, sBase) : zeros;
      cells(batch * u, u, dh.subarray(sBase), dhRec, gates.subarray(zBase), tanhC.subarray(sBase), cPrev, dcNext, dz.subarray(zBase));
      if (t > 0) matMulInto(dz.subarray(zBase, zBase + batch * G), batch, recurrentT, dhRec);
    }
  } finally {
    recurrentT.dispose();
  }

  // All weight gradients in one matMul: [dK; dR; db]ᵀ = dZᵀ · [X | H_{t-1} | 1]. On wasm the
  // right-hand operand is repacked for every new tensor (~10 ns per value, more than the multiply
  // itself here), so the narrower stacked input goes there rather than dZ (T·B × 4u); explicit
  // transposes are cheap, while a matMul with a transpose flag is many times slower.
  const width = inputSize + u + 1;
  const xh = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++) {
    xh.set(x.subarray(r * inputSize, (r + 1) * inputSize), r * width);
    if (r >= batch) xh.set(h.subarray((r - batch) * u, (r - batch + 1) * u), r * width + inputSize); // h_{t-1} of the same window
    xh[r * width + width - 1] = 1;
  }
  const dzT = tf.tensor2d(dz, [rows, G]);
  const [dK, dR, db] = tf.tidy(() => {
    const gradT = tf.matMul(tf.transpose(dzT), tf.tensor2d(xh, [rows, width])); // [4u, width]
    const [gk, gr, gb] = tf.split(tf.transpose(gradT), [inputSize, u, 1], 0);
    return [gk, gr, tf.reshape(gb, [G])] as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
  });
  let dx: Float32Array | null = null;
  if (wantDx) {
    const dxT = tf.tidy(() => tf.matMul(dzT, tf.transpose(kernel) as tf.Tensor2D)); // kernelᵀ: [4u, in]
    dx = readNew(dxT);
    dxT.dispose();
  }
  dzT.dispose();
  return { kernel: dK, recurrentKernel: dR, bias: db, dx };
}
