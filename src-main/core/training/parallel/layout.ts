/**
 * The shared memory between the training loop and its part worker: one SharedArrayBuffer per
 * region, the same views on both sides. The loop writes the weights and one part of a batch
 * (inputs, labels, dropout masks), bumps REQUEST and notifies; the worker computes that part's
 * gradients, writes them and its loss, bumps DONE and notifies.
 */

/** Slots of the control array. */
export const CTL = {
  /** sequence number of the latest request (the worker waits on it) */
  REQUEST: 0,
  /** sequence number of the latest finished request (the loop waits on it) */
  DONE: 1,
  /** 0 ok, 1 the request failed (its message is in `error`) */
  STATUS: 2,
  /** windows in the request */
  ROWS: 3,
  /** the whole batch's size: the loss is divided by it, so the parts' gradients add up */
  DENOMINATOR: 4,
  /** 1: the worker should exit */
  STOP: 5,
} as const;

const CTL_SLOTS = 8;
const ERROR_BYTES = 2048;

export interface PartShape {
  /** values of each trainable variable, in model.trainableWeights order */
  variableSizes: number[];
  /** the most windows one part can hold */
  maxRows: number;
  /** values per window (steps × features) */
  windowSize: number;
  /** width of each dropout layer of the head, in model order */
  maskWidths: number[];
}

/** The buffers themselves (what crosses to the worker: SharedArrayBuffers are shared, not copied). */
export interface PartBuffers {
  ctl: SharedArrayBuffer;
  stats: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  x: SharedArrayBuffer;
  labels: SharedArrayBuffer;
  masks: SharedArrayBuffer;
  error: SharedArrayBuffer;
}

export interface PartViews {
  ctl: Int32Array;
  /** [loss, hits] of the part */
  stats: Float64Array;
  weights: Float32Array;
  grads: Float32Array;
  x: Float32Array;
  labels: Int32Array;
  masks: Float32Array;
  error: Uint8Array;
  /** values of each variable (PartShape.variableSizes) and its offset in weights and grads */
  sizes: number[];
  offsets: number[];
  /** width of each dropout mask (PartShape.maskWidths) */
  maskWidths: number[];
  /** offset of each dropout layer's mask region (maxRows × width) in masks */
  maskOffsets: number[];
}

function offsetsOf(sizes: number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const s of sizes) {
    out.push(at);
    at += s;
  }
  return out;
}

export function allocatePartBuffers(shape: PartShape): PartBuffers {
  const total = shape.variableSizes.reduce((a, b) => a + b, 0);
  const maskTotal = shape.maxRows * shape.maskWidths.reduce((a, b) => a + b, 0);
  return {
    ctl: new SharedArrayBuffer(CTL_SLOTS * 4),
    stats: new SharedArrayBuffer(2 * 8),
    weights: new SharedArrayBuffer(total * 4),
    grads: new SharedArrayBuffer(total * 4),
    x: new SharedArrayBuffer(shape.maxRows * shape.windowSize * 4),
    labels: new SharedArrayBuffer(shape.maxRows * 4),
    masks: new SharedArrayBuffer(Math.max(1, maskTotal) * 4),
    error: new SharedArrayBuffer(ERROR_BYTES),
  };
}

export function partViews(buffers: PartBuffers, shape: PartShape): PartViews {
  return {
    ctl: new Int32Array(buffers.ctl),
    stats: new Float64Array(buffers.stats),
    weights: new Float32Array(buffers.weights),
    grads: new Float32Array(buffers.grads),
    x: new Float32Array(buffers.x),
    labels: new Int32Array(buffers.labels),
    masks: new Float32Array(buffers.masks),
    error: new Uint8Array(buffers.error),
    sizes: shape.variableSizes,
    offsets: offsetsOf(shape.variableSizes),
    maskWidths: shape.maskWidths,
    maskOffsets: offsetsOf(shape.maskWidths.map((w) => w * shape.maxRows)),
  };
}

/** Variable n's values in a flat weights or grads array. */
export function variableView(flat: Float32Array, views: PartViews, n: number): Float32Array {
  return flat.subarray(views.offsets[n], views.offsets[n] + views.sizes[n]);
}

/** The first `rows` windows' mask of dropout layer d. */
export function maskView(views: PartViews, d: number, rows: number): Float32Array {
  const at = views.maskOffsets[d];
  return views.masks.subarray(at, at + rows * views.maskWidths[d]);
}

export function writeError(views: PartViews, message: string): void {
  const bytes = new TextEncoder().encode(message).subarray(0, ERROR_BYTES - 1);
  views.error.fill(0);
  views.error.set(bytes);
}

export function readError(views: PartViews): string {
  const end = views.error.indexOf(0);
  // TextDecoder refuses views of shared memory: copy first.
  return new TextDecoder().decode(views.error.slice(0, end < 0 ? views.error.length : end));
}
