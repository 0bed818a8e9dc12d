/**
 * Global-norm gradient clipping and an Adam step in one JS pass over all parameters.
 *
 * Why: on the wasm backend tfjs' AdamOptimizer spends ~10 small ops per variable per step, plus
 * ~4 per variable for clipping — a few ms per batch for the LSTM's 10 variables, which at batch 8
 * was as much as the LSTM's own forward pass. Here a step is one read of each gradient and weight,
 * a loop over the numbers, and one assign per variable. Same maths as `tf.train.adam` (epsilon
 * 1e-7, bias-corrected moments) after scaling every gradient by min(1, clipNorm / ‖g‖).
 */
import * as tf from '@tensorflow/tfjs';
import { WorkbenchError } from '../../errors';
import { tensorCopy, valuesOf } from './read';

export interface ClippedAdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** global-norm clip; omit for none */
  clipNorm?: number;
}

export class ClippedAdam {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly clipNorm: number | null;
  private readonly variables: tf.Variable[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  /** the next weights, per variable (kept: a fresh array per step was most of the garbage) */
  private readonly next: Float32Array[];
  private step = 0;

  constructor(variables: tf.Variable[], opts: ClippedAdamOptions) {
    this.variables = variables;
    this.learningRate = opts.learningRate;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.epsilon = opts.epsilon ?? 1e-7; // tfjs' float32 epsilon, as tf.train.adam uses
    this.clipNorm = opts.clipNorm ?? null;
    this.m = variables.map((w) => new Float32Array(w.size));
    this.v = variables.map((w) => new Float32Array(w.size));
    this.next = variables.map((w) => new Float32Array(w.size));
  }

  /** Steps taken so far. */
  get iterations(): number {
    return this.step;
  }

  /**
   * Clip then apply one Adam step. `grads` maps variable names to gradients (as tf.variableGrads
   * returns them); a variable without a gradient is left as it is. Returns the gradients' global
   * norm before clipping.
   */
  applyGradients(grads: Record<string, tf.Tensor>): number {
    const gs = this.variables.map((w) => {
      const g = grads[w.name];
      if (g && g.size !== w.size) throw new WorkbenchError('INTERNAL', `gradient for ${w.name} has ${g.size} values, the variable ${w.size}`);
      return g ?? null;
    });
    // Views of the wasm heap are taken just before use: a new tensor can move the heap.
    return this.apply((n) => {
      const g = gs[n];
      return g ? valuesOf(g) : null;
    });
  }

  /** The same with the gradients as plain arrays, one per variable in the constructor's order (null: none). */
  applyGradientValues(values: readonly (Float32Array | null)[]): number {
    if (values.length !== this.variables.length) throw new WorkbenchError('INTERNAL', `${values.length} gradients for ${this.variables.length} variables`);
    values.forEach((g, n) => {
      if (g && g.length !== this.variables[n].size) throw new WorkbenchError('INTERNAL', `gradient for ${this.variables[n].name} has ${g.length} values, the variable ${this.variables[n].size}`);
    });
    return this.apply((n) => values[n]);
  }

  private apply(gradient: (n: number) => Float32Array | null): number {
    let sumSq = 0;
    for (let n = 0; n < this.variables.length; n++) {
      const g = gradient(n);
      if (g) sumSq += sumOfSquares(g);
    }
    const norm = Math.sqrt(sumSq);
    const scale = this.clipNorm !== null && norm > this.clipNorm ? this.clipNorm / norm : 1;

    this.step++;
    const c1 = 1 / (1 - this.beta1 ** this.step);
    const c2 = 1 / (1 - this.beta2 ** this.step);
    for (let n = 0; n < this.variables.length; n++) {
      const variable = this.variables[n];
      const out = this.next[n];
      const w = valuesOf(variable);
      const g = gradient(n);
      if (!g) continue;
      adamUpdate(w, g, out, this.m[n], this.v[n], scale, this.learningRate, this.beta1, this.beta2, c1, c2, this.epsilon);
      const next = tensorCopy(out, variable.shape);
      variable.assign(next);
      next.dispose();
    }
    return norm;
  }
}

function sumOfSquares(g: Float32Array): number {
  let s = 0;
  for (let k = 0; k < g.length; k++) s += g[k] * g[k];
  return s;
}

/** One Adam step on one variable's numbers, w → out (a plain numeric loop V8 optimises once). */
function adamUpdate(
  w: Float32Array,
  g: Float32Array,
  out: Float32Array,
  m: Float32Array,
  v: Float32Array,
  scale: number,
  lr: number,
  b1: number,
  b2: number,
  c1: number,
  c2: number,
  eps: number,
): void {
  const lrc1 = lr * c1;
  for (let k = 0; k < w.length; k++) {
    const gk = g[k] * scale;
    const mk = b1 * m[k] + (1 - b1) * gk;
    const vk = b2 * v[k] + (1 - b2) * gk * gk;
    m[k] = mk;
    v[k] = vk;
    out[k] = w[k] - (lrc1 * mk) / (Math.sqrt(vk * c2) + eps);
  }
}
