/** ClippedAdam takes the same steps as tf.train.adam after tfjs-op global-norm clipping. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { ClippedAdam } from '../../src-main/core/models/fast-lstm';

beforeAll(async () => {
  await initBackend('wasm');
});

/** Two variables and a loss whose gradient norm is far above 1 at the start, so clipping bites. */
let made = 0;

function problem(seed: number): { vars: tf.Variable[]; loss: () => tf.Scalar } {
  made++; // variable names must be unique in the process
  const a = tf.variable(tf.randomNormal([5, 3], 0, 1, 'float32', seed), true, `a${seed}_${made}`);
  const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', seed + 1), true, `b${seed}_${made}`);
  const x = tf.randomNormal([7, 5], 0, 3, 'float32', 99);
  const target = tf.randomNormal([7, 3], 0, 1, 'float32', 98);
  return { vars: [a, b], loss: () => tf.sum(tf.square(tf.sub(tf.add(tf.matMul(x, a), b), target))) as tf.Scalar };
}

describe('ClippedAdam', () => {
  it('matches tf.train.adam with global-norm clipping over 5 steps, and reports the unclipped norm', () => {
    const ours = problem(1);
    const ref = problem(1);
    const fused = new ClippedAdam(ours.vars, { learningRate: 0.01, clipNorm: 1 });
    const adam = tf.train.adam(0.01);
    const norms: number[] = [];
    for (let step = 0; step < 5; step++) {
      const { grads } = tf.variableGrads(ours.loss, ours.vars);
      norms.push(fused.applyGradients(grads));
      tf.tidy(() => {
        const { grads: g } = tf.variableGrads(ref.loss, ref.vars);
        const names = Object.keys(g);
        const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(g[n])))));
        if (step === 0) expect(Math.abs(norm.dataSync()[0] - norms[0]) / norms[0]).toBeLessThan(1e-5);
        const scale = tf.div(1, tf.maximum(norm, 1));
        adam.applyGradients(ref.vars.map((v, i) => ({ name: names[i], tensor: tf.mul(g[v.name], scale) })));
      });
    }
    expect(fused.iterations).toBe(5);
    expect(norms[0]).toBeGreaterThan(10); // clipping was active
    const start = problem(1);
    for (let i = 0; i < 2; i++) {
      const diff = tf.max(tf.abs(tf.sub(ours.vars[i], ref.vars[i]))).dataSync()[0];
      expect(diff).toBeLessThan(1e-6);
      // and the weights did move: 5 steps of about the learning rate each
      expect(tf.max(tf.abs(tf.sub(ours.vars[i], start.vars[i]))).dataSync()[0]).toBeGreaterThan(0.01);
    }
  });

  it('leaves a variable without a gradient untouched and follows learning-rate changes', () => {
    const p = problem(3);
    const idle = tf.variable(tf.ones([2]), true, 'idle3');
    const opt = new ClippedAdam([...p.vars, idle], { learningRate: 0.1 });
    const { grads } = tf.variableGrads(p.loss, p.vars);
    const before = p.vars[1].dataSync()[0];
    opt.learningRate = 0;
    opt.applyGradients(grads);
    expect(p.vars[1].dataSync()[0]).toBe(before);
    opt.learningRate = 0.1;
    opt.applyGradients(grads);
    // Adam's first steps move each weight by about the learning rate
    expect(Math.abs(p.vars[1].dataSync()[0] - before)).toBeCloseTo(0.1, 2);
    expect(Array.from(idle.dataSync())).toEqual([1, 1]);
  });
});
