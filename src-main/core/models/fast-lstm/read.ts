/**
 * Reading tensor values into JS buffers the caller owns. On wasm, `dataSync()` copies the values
 * out of the wasm heap into a fresh ArrayBuffer; at ~80 reads per batch those allocations cost more
 * garbage collection than the copying itself. There we copy straight from a view of the heap.
 */
import * as tf from '@tensorflow/tfjs';

/** The parts of tfjs-backend-wasm's BackendWasm the fast path uses (not in its public typings). */
export interface WasmBackendInternals {
  wasm?: {
    HEAPF32?: Float32Array;
    cwrap?: (name: string, ret: null, args: string[]) => (...args: (number | Uint8Array)[]) => void;
  };
  dataIdMap?: { get(dataId: object): { id?: number; memoryOffset?: number } | undefined };
}

/**
 * A view of t's values in the wasm heap (null off wasm): valid until the next tfjs call, which may
 * grow the heap and detach it. Writing it changes the tensor.
 */
export function heapView(t: tf.Tensor): Float32Array | null {
  if (t.dtype !== 'float32' || tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as WasmBackendInternals;
  const heap = backend.wasm?.HEAPF32;
  const offset = backend.dataIdMap?.get(t.dataId)?.memoryOffset;
  if (!heap || typeof offset !== 'number') return null;
  // A fresh view each time: the heap's buffer is replaced when wasm memory grows.
  return new Float32Array(heap.buffer, offset, t.size);
}

/**
 * t's values without a copy where possible (a view of the wasm heap): read it at once, before
 * any other tfjs call (a new tensor may grow the heap and detach the view), and never write it.
 */
export function valuesOf(t: tf.Tensor): Float32Array {
  return heapView(t) ?? (t.dataSync() as Float32Array);
}

/** Copies t's values into out[at…]; any backend (falls back to dataSync). */
export function readInto(t: tf.Tensor, out: Float32Array, at = 0): void {
  out.set(heapView(t) ?? (t.dataSync() as Float32Array), at);
}

/** t's values as a new Float32Array. */
export function readNew(t: tf.Tensor): Float32Array {
  const out = new Float32Array(t.size);
  readInto(t, out);
  return out;
}

/**
 * A tensor holding a copy of `values` (which may be a view of a reused buffer): the wasm backend
 * copies on creation; the cpu backend would keep the array itself, so it gets a copy.
 */
export function tensorCopy<R extends tf.Rank>(values: Float32Array, shape: tf.ShapeMap[R]): tf.Tensor<R> {
  return tf.tensor(tf.getBackend() === 'wasm' ? values : values.slice(), shape, 'float32') as tf.Tensor<R>;
}
