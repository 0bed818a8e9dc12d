/**
 * One LSTM layer backward through time, from the tape its forward pass kept (forward.ts): per step
 * one matMul (dz_t·Rᵀ) and a JS loop over the cells; then all weight gradients in one matMul and
 * the input gradient in another.
 */
import * as tf from '@tensorflow/tfjs';
import { hardSlope } from './activations';
import type { LayerTape } from './forward';
import { transposeInto } from './gemm';
import { stepMatMul } from './kernels';
import { readInto, tensorCopy } from './read';
import type { Workspace } from './workspace';

/**
 * One step back: gate gradients dz from dh (from above + recurrent) and the carried dc. `hard`: the
 * gates are hardSigmoid (slope 0.2 inside, 0 where clipped) instead of sigmoid (s·(1 − s)); a
 * loop-invariant branch, cheap next to the loads and stores.
 */
function cellsBackward(
  batch: number,
  u: number,
  dhAbove: Float32Array,
  dhRec: Float32Array,
  gates: Float32Array,
  tanhC: Float32Array,
  cPrev: Float32Array,
  dcNext: Float32Array,
  dz: Float32Array,
  hard: boolean,
): void {
  const G = 4 * u;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < u; j++) {
      const s = b * u + j;
      const zo = b * G + j;
      const dh = dhAbove[s] + dhRec[s];
      const i = gates[zo];
      const f = gates[zo + u];
      const g = gates[zo + 2 * u];
      const o = gates[zo + 3 * u];
      const tc = tanhC[s];
      const dc = dcNext[s] + dh * o * (1 - tc * tc);
      dcNext[s] = dc * f;
      dz[zo] = dc * g * (hard ? hardSlope(i) : i * (1 - i));
      dz[zo + u] = dc * cPrev[s] * (hard ? hardSlope(f) : f * (1 - f));
      dz[zo + 2 * u] = dc * i * (1 - g * g);
      dz[zo + 3 * u] = dh * tc * (hard ? hardSlope(o) : o * (1 - o));
    }
  }
}

export interface LayerGrads {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  bias: tf.Tensor1D;
  /** d loss / d input, time-major (T·B × inputSize), when asked for (a `ws` buffer) */
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
  ws: Workspace,
  key: string,
): LayerGrads {
  const { steps, batch, inputSize, units: u, gates, c, tanhC, hx, activation } = tape;
  const G = 4 * u;
  const rows = steps * batch;
  const dz = ws.get(`${key}:dz`, rows * G);
  const dcNext = ws.zeros(`${key}:dc`, batch * u);
  const dhRec = ws.zeros(`${key}:dhRec`, batch * u); // dz_{t+1}·Rᵀ, zero at the last step
  const zeros = ws.zeros(`${key}:c0`, batch * u);
  const recurrentT = tf.transpose(recurrentKernel) as tf.Tensor2D; // [4u, u], once per batch
  const recurrent = stepMatMul(batch, recurrentT, 'linear');
  const hard = activation === 'hardSigmoid';
  try {
    for (let t = steps - 1; t >= 0; t--) {
      const zBase = t * batch * G;
      const sBase = t * batch * u;
      const cPrev = t > 0 ? c.subarray(sBase - batch * u, sBase) : zeros;
      cellsBackward(batch, u, dh.subarray(sBase), dhRec, gates.subarray(zBase), tanhC.subarray(sBase), cPrev, dcNext, dz.subarray(zBase), hard);
      if (t > 0) recurrent.run(dz.subarray(zBase, zBase + batch * G), dhRec);
    }
  } finally {
    recurrent.dispose();
    recurrentT.dispose();
  }

  // [dR; dK; db]ᵀ = dZᵀ · [H_{t-1} | X | 1] in one matMul. On wasm the right-hand operand is
  // repacked for every new tensor (~3 ns a value, as much as its multiply-adds), so the narrower hx
  // goes there; dZ is transposed explicitly, as a matMul with a transpose flag is many times slower.
  const width = u + inputSize + 1;
  const dzRows = tf.tensor2d(dz, [rows, G]);
  const dzT = tf.transpose(dzRows);
  const hxRows = tf.tensor2d(hx, [rows, width]);
  const product = tf.matMul(dzT, hxRows); // [4u, width]
  const flat = ws.get(`${key}:dWT`, G * width);
  readInto(product, flat);
  dzT.dispose();
  hxRows.dispose();
  product.dispose();
  const dRK = ws.get(`${key}:dW`, width * G);
  transposeInto(flat, G, width, dRK);
  const dR = tensorCopy<tf.Rank.R2>(dRK.subarray(0, u * G), [u, G]);
  const dK = tensorCopy<tf.Rank.R2>(dRK.subarray(u * G, (u + inputSize) * G), [inputSize, G]);
  const db = tensorCopy<tf.Rank.R1>(dRK.subarray((u + inputSize) * G), [G]);
  let dx: Float32Array | null = null;
  if (wantDx) {
    dx = ws.get(`${key}:dx`, rows * inputSize);
    const kernelT = tf.transpose(kernel) as tf.Tensor2D; // [4u, in]
    const dxT = tf.matMul(dzRows, kernelT);
    readInto(dxT, dx);
    kernelT.dispose();
    dxT.dispose();
  }
  dzRows.dispose();
  return { kernel: dK, recurrentKernel: dR, bias: db, dx };
}
