/**
 * A fast path for small dense graphs such as the dual tower: the model's layers (input, feature
 * slices, dense relu/linear, dropout, concatenate) are run forward and backward in plain JS inside
 * one `tf.customGrad` op, from the input up to the `logits` layer. At the dual tower's size
 * (2,371 weights, batch 8) a tfjs op costs more than the arithmetic it does, and the layers graph
 * takes ~60 of them per batch; here the batch takes one, plus the loss.
 *
 * Dropout masks come from a seeded stream per dropout layer (the layer's own seed), so training
 * is reproducible, but the masks differ from the ones the layers path would draw.
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { WorkbenchError } from '../../errors';
import { gemmABt, transposed } from './gemm';
import { readNew } from './read';

type Op =
  | { kind: 'input'; width: number }
  | { kind: 'slice'; from: number; begin: number; width: number }
  | { kind: 'dense'; from: number; width: number; relu: boolean; weight: number } // weight: index of its kernel in the flat list (bias next)
  | { kind: 'dropout'; from: number; width: number; rate: number; rng: () => number }
  | { kind: 'concat'; from: number[]; width: number };

interface Plan {
  ops: Op[]; // topological, the last one is `logits`
  weights: tf.Variable[]; // kernel, bias per dense layer
}

const plans = new WeakMap<tf.LayersModel, Plan>();
/** plans of the layers after a given one (the fast LSTM's head), by that layer */
const headPlans = new WeakMap<tf.layers.Layer, Plan>();

/**
 * Uniform [0, 1) numbers from a seeded mulberry32 stream (seeded through seedrandom). seedrandom's
 * own ARC4 stream took ~30 ns a number: more than the rest of the dual tower's forward pass.
 */
function uniformStream(seed: string): () => number {
  let a = seedrandom(seed).int32();
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function inputsOf(layer: tf.layers.Layer, index: Map<string, number>): number[] {
  const node = layer.inboundNodes[0];
  if (!node || node.inboundLayers.length === 0) throw new WorkbenchError('INTERNAL', `layer ${layer.name} has no input`);
  return node.inboundLayers.map((l) => {
    const at = index.get(l.name);
    if (at === undefined) throw new WorkbenchError('INTERNAL', `layer ${layer.name} reads ${l.name}, which comes later`);
    return at;
  });
}

/** Translates the model (once) into a list of ops; throws for any layer it does not implement. */
function planFor(model: tf.LayersModel, after?: tf.layers.Layer): Plan {
  const cached = after ? headPlans.get(after) : plans.get(model);
  if (cached) return cached;
  const ops: Op[] = [];
  const weights: tf.Variable[] = [];
  const index = new Map<string, number>();
  const start = after ? model.layers.indexOf(after) : 0;
  if (after) {
    const shape = after.outputShape as (number | null)[];
    if (start < 0 || shape.length !== 2) throw new WorkbenchError('INTERNAL', `layer ${after.name} is not a (batch, units) layer of model ${model.name}`);
    index.set(after.name, 0);
    ops.push({ kind: 'input', width: shape[1] as number });
  }
  for (const layer of model.layers.slice(after ? start + 1 : 0)) {
    const cls = layer.getClassName();
    const cfg = layer.getConfig() as Record<string, unknown>;
    const from = cls === 'InputLayer' ? [] : inputsOf(layer, index);
    const width = (n: number): number => ops[n].width;
    let op: Op;
    if (cls === 'InputLayer') {
      const shape = cfg['batchInputShape'] as (number | null)[];
      if (shape.length !== 2) throw new WorkbenchError('INTERNAL', `fast MLP needs a (batch, features) input, got ${JSON.stringify(shape)}`);
      op = { kind: 'input', width: shape[1] as number };
    } else if (cls === 'FeatureSlice') {
      op = { kind: 'slice', from: from[0], begin: cfg['begin'] as number, width: cfg['size'] as number };
    } else if (cls === 'Dense') {
      const act = cfg['activation'];
      if ((act !== 'relu' && act !== 'linear') || cfg['useBias'] !== true) {
        throw new WorkbenchError('INTERNAL', `dense layer ${layer.name}: the fast MLP handles relu/linear with a bias, got ${String(act)}`);
      }
      op = { kind: 'dense', from: from[0], width: cfg['units'] as number, relu: act === 'relu', weight: weights.length };
      weights.push(...layer.trainableWeights.map((w) => w.read() as tf.Variable));
    } else if (cls === 'SeededDropout' || cls === 'Dropout') {
      const seed = (layer as unknown as { seed?: number }).seed ?? 0;
      op = { kind: 'dropout', from: from[0], width: width(from[0]), rate: cfg['rate'] as number, rng: uniformStream(`${seed}:fast-mlp:${layer.name}`) };
    } else if (cls === 'Concatenate') {
      op = { kind: 'concat', from, width: from.reduce((s, n) => s + width(n), 0) };
    } else {
      throw new WorkbenchError('INTERNAL', `layer ${layer.name} (${cls}) is not supported by the fast MLP`);
    }
    index.set(layer.name, ops.length);
    ops.push(op);
    if (layer.name === 'logits') {
      const plan = { ops, weights };
      if (after) headPlans.set(after, plan);
      else plans.set(model, plan);
      return plan;
    }
  }
  throw new WorkbenchError('INTERNAL', `model ${model.name} has no logits layer`);
}

/** out[B×n] = act(in[B×k]·W[k×n] + b) */
function denseForward(input: Float32Array, batch: number, k: number, w: Float32Array, b: Float32Array, n: number, relu: boolean): Float32Array {
  const out = gemmABt(input, batch, k, transposed(w, k, n), n, b, new Float32Array(batch * n));
  if (relu) for (let j = 0; j < out.length; j++) if (out[j] < 0) out[j] = 0;
  return out;
}

/** out[B×width] ← columns begin… of src[B×srcWidth] */
function sliceColumns(src: Float32Array, batch: number, srcWidth: number, begin: number, width: number): Float32Array {
  const out = new Float32Array(batch * width);
  for (let r = 0; r < batch; r++) out.set(src.subarray(r * srcWidth + begin, r * srcWidth + begin + width), r * width);
  return out;
}

/** d[B×srcWidth] ← g[B×width] placed at columns begin… (zeros elsewhere) */
function unsliceColumns(g: Float32Array, batch: number, srcWidth: number, begin: number, width: number): Float32Array {
  const d = new Float32Array(batch * srcWidth);
  for (let r = 0; r < batch; r++) d.set(g.subarray(r * width, (r + 1) * width), r * srcWidth + begin);
  return d;
}

/** Inverted dropout's mask: 0 or 1/(1−rate) per value, from rng. */
function fillMask(mask: Float32Array, rate: number, rng: () => number): void {
  const keep = 1 / (1 - rate);
  for (let k = 0; k < mask.length; k++) mask[k] = rng() >= rate ? keep : 0;
}

function applyMask(src: Float32Array, mask: Float32Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let k = 0; k < src.length; k++) out[k] = src[k] * mask[k];
  return out;
}

/**
 * Backward through out = act(in·W + b) for B rows: zeroes g where the relu was off, writes dW
 * (k × n) and db, and returns d in.
 */
function denseBackward(
  g: Float32Array,
  inp: Float32Array,
  out: Float32Array,
  kernel: Float32Array,
  batch: number,
  k: number,
  nOut: number,
  relu: boolean,
  dW: Float32Array,
  db: Float32Array,
): Float32Array {
  if (relu) for (let j = 0; j < g.length; j++) if (out[j] <= 0) g[j] = 0;
  db.fill(0);
  for (let r = 0; r < batch; r++) for (let j = 0; j < nOut; j++) db[j] += g[r * nOut + j];
  gemmABt(transposed(inp, batch, k), k, batch, transposed(g, batch, nOut), nOut, null, dW); // inᵀ·g
  return gemmABt(g, batch, nOut, kernel, k, null, new Float32Array(batch * k)); // g·Wᵀ
}

function scaleInto(g: Float32Array, mask: Float32Array): void {
  for (let k = 0; k < g.length; k++) g[k] *= mask[k];
}

function addInto(cur: Float32Array, g: Float32Array): void {
  for (let k = 0; k < g.length; k++) cur[k] += g[k];
}

/**
 * Dropout masks for the next `batch` rows, one array (batch × width, row-major) per dropout layer
 * in model order, drawn from the same streams the forward pass draws from. A batch computed in
 * parts (training/step.ts) draws its masks here once and hands each part its rows, so the
 * parts see exactly the masks the whole batch would have seen.
 */
export function drawDropoutMasks(model: tf.LayersModel, batch: number, after?: tf.layers.Layer): Float32Array[] {
  const { ops } = planFor(model, after);
  const masks: Float32Array[] = [];
  for (const op of ops) {
    if (op.kind !== 'dropout') continue;
    const mask = new Float32Array(batch * op.width);
    if (op.rate > 0) fillMask(mask, op.rate, op.rng);
    else mask.fill(1);
    masks.push(mask);
  }
  return masks;
}

/** The width of each dropout layer's mask (values per row), in model order; draws nothing. */
export function dropoutWidths(model: tf.LayersModel, after?: tf.layers.Layer): number[] {
  return planFor(model, after).ops.flatMap((op) => (op.kind === 'dropout' ? [op.width] : []));
}

/** Rows [from, to) of masks from drawDropoutMasks (views, no copy). */
export function maskRows(masks: readonly Float32Array[], batch: number, from: number, to: number): Float32Array[] {
  return masks.map((m) => {
    const width = m.length / batch;
    return m.subarray(from * width, to * width);
  });
}

export interface FastMlpOptions {
  /** with `training`: the dropout masks to use (drawDropoutMasks, this call's rows) instead of drawing them */
  masks?: readonly Float32Array[];
}

/**
 * The model's logits (B, 3) for x (B, F), computed in JS; differentiable w.r.t. every dense kernel
 * and bias of the model (and x). `training` turns dropout on. With `after`, x is that layer's
 * output and only the layers after it run (the LSTM's dense head).
 */
export function fastMlpLogits(model: tf.LayersModel, x: tf.Tensor2D, training: boolean, after?: tf.layers.Layer, opts: FastMlpOptions = {}): tf.Tensor2D {
  const { ops, weights } = planFor(model, after);
  const batch = x.shape[0];
  const given = opts.masks;
  if (given && given.length !== ops.filter((op) => op.kind === 'dropout').length) {
    throw new WorkbenchError('INTERNAL', `${given.length} dropout masks for a model with ${ops.filter((op) => op.kind === 'dropout').length} dropout layers`);
  }
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const input = args[0] as tf.Tensor2D;
    const w = weights.map((v) => readNew(v));
    const values: Float32Array[] = [];
    const masks: (Float32Array | null)[] = [];
    let dropoutIndex = 0;
    for (const op of ops) {
      let out: Float32Array;
      let mask: Float32Array | null = null;
      if (op.kind === 'input') {
        if (input.shape[1] !== op.width) throw new WorkbenchError('INTERNAL', `fast MLP input has ${input.shape[1]} features, the model ${op.width}`);
        out = readNew(input);
      } else if (op.kind === 'slice') {
        out = sliceColumns(values[op.from], batch, ops[op.from].width, op.begin, op.width);
      } else if (op.kind === 'dense') {
        out = denseForward(values[op.from], batch, ops[op.from].width, w[op.weight], w[op.weight + 1], op.width, op.relu);
      } else if (op.kind === 'dropout') {
        const src = values[op.from];
        const givenMask = given?.[dropoutIndex++];
        if (!training || op.rate <= 0) out = src;
        else {
          if (givenMask) {
            if (givenMask.length !== src.length) throw new WorkbenchError('INTERNAL', `dropout mask of ${givenMask.length} values for ${src.length}`);
            mask = givenMask;
          } else {
            mask = new Float32Array(src.length);
            fillMask(mask, op.rate, op.rng);
          }
          out = applyMask(src, mask);
        }
      } else {
        out = new Float32Array(batch * op.width);
        let at = 0;
        for (const n of op.from) {
          const wn = ops[n].width;
          for (let r = 0; r < batch; r++) out.set(values[n].subarray(r * wn, (r + 1) * wn), r * op.width + at);
          at += wn;
        }
      }
      values.push(out);
      masks.push(mask);
    }
    const last = ops.length - 1;
    const value = tf.tensor2d(values[last], [batch, ops[last].width]);

    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const grads: (Float32Array | null)[] = ops.map(() => null);
      const add = (n: number, g: Float32Array): void => {
        const cur = grads[n];
        if (!cur) grads[n] = g;
        else addInto(cur, g);
      };
      grads[last] = readNew(dy);
      const wGrads = w.map((a) => new Float32Array(a.length));
      for (let n = last; n >= 0; n--) {
        const g = grads[n];
        const op = ops[n];
        if (!g || op.kind === 'input') continue;
        if (op.kind === 'slice') {
          add(op.from, unsliceColumns(g, batch, ops[op.from].width, op.begin, op.width));
        } else if (op.kind === 'dense') {
          const dIn = denseBackward(g, values[op.from], values[n], w[op.weight], batch, ops[op.from].width, op.width, op.relu, wGrads[op.weight], wGrads[op.weight + 1]);
          add(op.from, dIn);
        } else if (op.kind === 'dropout') {
          const mask = masks[n];
          if (mask) scaleInto(g, mask);
          add(op.from, g);
        } else {
          let at = 0;
          for (const src of op.from) {
            const wn = ops[src].width;
            const d = new Float32Array(batch * wn);
            for (let r = 0; r < batch; r++) d.set(g.subarray(r * op.width + at, r * op.width + at + wn), r * wn);
            add(src, d);
            at += wn;
          }
        }
      }
      const dx = tf.tensor2d(grads[0] ?? new Float32Array(batch * ops[0].width), [batch, ops[0].width]);
      return [dx, ...wGrads.map((d, i) => tf.tensor(d, weights[i].shape, 'float32'))];
    };
    return { value, gradFunc };
  });
  return run(x, ...weights) as tf.Tensor2D;
}
