/**
 * Thin wrappers over single tfjs kernels, for the per-step matMuls of the fast LSTM.
 *
 * Why not tf.fused.matMul: inside a gradient scope (tf.variableGrads) it does not fuse — it runs
 * matMul, add and sigmoid as three ops, each with its own dispatch and output. Calling the
 * `_FusedMatMul` kernel directly keeps it one op; inside a customGrad forward pass nothing is
 * recorded for autodiff anyway.
 */
import * as tf from '@tensorflow/tfjs';
import { readInto } from './read';

/** The kernels take rank-3 operands; a rank-2 view shares the data (no copy). */
export function asBatch3d(t: tf.Tensor2D): tf.Tensor3D {
  return tf.reshape(t, [1, t.shape[0], t.shape[1]]);
}

/** out[at…] ← sigmoid(a (rows × k) · w), w rank 3 (1 × k × n) from asBatch3d. */
export function matMulSigmoidInto(a: Float32Array, rows: number, w: tf.Tensor3D, out: Float32Array, at: number): void {
  const at3 = tf.tensor3d(a, [1, rows, w.shape[1]]);
  const s = tf.engine().runKernel('_FusedMatMul', { a: at3, b: w }, { transposeA: false, transposeB: false, activation: 'sigmoid', leakyreluAlpha: 0 }) as tf.Tensor;
  readInto(s, out, at);
  at3.dispose();
  s.dispose();
}

/** out ← a (rows × k, row-major JS array) · b (k × n tensor). */
export function matMulInto(a: Float32Array, rows: number, b: tf.Tensor2D, out: Float32Array): void {
  const at = tf.tensor2d(a, [rows, b.shape[0]]);
  const product = tf.matMul(at, b);
  readInto(product, out);
  at.dispose();
  product.dispose();
}
