/**
 * The per-step matMuls of the fast LSTM.
 *
 * Why not tf.fused.matMul: inside a gradient scope (tf.variableGrads) it does not fuse — it runs
 * matMul, add and sigmoid as three ops, each with its own dispatch and output. Calling the
 * `_FusedMatMul` kernel directly keeps it one op; inside a customGrad forward pass nothing is
 * recorded for autodiff anyway.
 *
 * Why StepMatMul on wasm calls the backend's C function itself: a step's product is small (a
 * part of 4–16 windows × 129 × 256), and going through tfjs — a new input tensor (malloc + copy),
 * the engine's kernel dispatch, a new output tensor, two frees — cost about as much as the
 * arithmetic. The same `_FusedMatMul` C function, called on two tensors kept for the whole pass,
 * gives the same numbers without that. Where the backend's internals are not as expected (another
 * backend, another tfjs version) it falls back to the tfjs kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { heapView, readInto, type WasmBackendInternals } from './read';

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

/** out[at…] ← a (rows × k, row-major JS array) · b (k × n tensor). */
export function matMulInto(a: Float32Array, rows: number, b: tf.Tensor2D, out: Float32Array, at = 0): void {
  const left = tf.tensor2d(a.subarray(0, rows * b.shape[0]), [rows, b.shape[0]]);
  const product = tf.matMul(left, b);
  readInto(product, out, at);
  left.dispose();
  product.dispose();
}

type FusedMatMulFn = (...args: (number | Uint8Array)[]) => void;
/** the C function per backend instance (a worker thread has its own) */
const fusedFns = new WeakMap<object, FusedMatMulFn>();

/** tfjs-backend-wasm's FusableActivation codes */
const ACTIVATION = { linear: 0, sigmoid: 5 } as const;

function fusedMatMulFn(backend: WasmBackendInternals): FusedMatMulFn | null {
  const cached = fusedFns.get(backend);
  if (cached) return cached;
  if (typeof backend.wasm?.cwrap !== 'function' || !backend.wasm.HEAPF32 || !backend.dataIdMap) return null;
  try {
    const fn = backend.wasm.cwrap('_FusedMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number', 'number', 'number', 'number', 'number']);
    fusedFns.set(backend, fn);
    return fn;
  } catch {
    return null;
  }
}

/**
 * out[at…] ← act(a · b) for a (rows × k, a JS array) and a fixed b (k × n tensor), called once per
 * step with new a. Dispose it when the pass is over.
 */
export interface StepMatMul {
  run(a: Float32Array, out: Float32Array, at?: number): void;
  dispose(): void;
}

export function stepMatMul(rows: number, b: tf.Tensor2D | tf.Tensor3D, activation: 'linear' | 'sigmoid'): StepMatMul {
  const [k, n] = b.shape.slice(-2);
  const direct = tf.getBackend() === 'wasm' ? directStepMatMul(rows, k, n, b, activation) : null;
  if (direct) return direct;
  // Reshapes share b's data; made once, disposed with the StepMatMul.
  const b2 = b.rank === 2 ? (b as tf.Tensor2D) : (tf.reshape(b, [k, n]) as tf.Tensor2D);
  const b3 = b.rank === 3 ? (b as tf.Tensor3D) : asBatch3d(b as tf.Tensor2D);
  return {
    run: (a, out, at = 0) => (activation === 'sigmoid' ? matMulSigmoidInto(a, rows, b3, out, at) : matMulInto(a, rows, b2, out, at)),
    dispose: () => {
      if (b2 !== b) b2.dispose();
      if (b3 !== b) b3.dispose();
    },
  };
}

function directStepMatMul(rows: number, k: number, n: number, b: tf.Tensor, activation: 'linear' | 'sigmoid'): StepMatMul | null {
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const fn = fusedMatMulFn(backend);
  if (!fn) return null;
  const a = tf.zeros([1, rows, k]);
  const product = tf.zeros([1, rows, n]);
  const ids = [a, b, product].map((t) => backend.dataIdMap?.get(t.dataId)?.id);
  if (ids.some((id) => typeof id !== 'number') || !heapView(a) || !heapView(product)) {
    a.dispose();
    product.dispose();
    return null;
  }
  const [aId, bId, outId] = ids as number[];
  const aShape = new Uint8Array(Int32Array.from([1, rows, k]).buffer);
  const bShape = new Uint8Array(Int32Array.from([1, k, n]).buffer);
  const code = ACTIVATION[activation];
  return {
    run: (values, out, at = 0) => {
      // Fresh heap views each call: wasm memory can grow (and move) between calls.
      (heapView(a) as Float32Array).set(values.subarray(0, rows * k));
      fn(aId, aShape, 3, bId, bShape, 3, 0, 0, code, 0, 0, 0, outId);
      out.set(heapView(product) as Float32Array, at);
    },
    dispose: () => {
      a.dispose();
      product.dispose();
    },
  };
}
