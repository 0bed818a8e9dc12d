/** The fast paths are backend-agnostic: on the plain CPU backend (no wasm heap reads) they agree too. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDualTower, buildLstm, logitsModel } from '../../src-main/core/models';
import { fastLstmLogits, fastMlpLogits } from '../../src-main/core/models/fast-lstm';

beforeAll(async () => {
  await initBackend('cpu');
  expect(tf.getBackend()).toBe('cpu');
});

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
}

describe('fast paths on the cpu backend', () => {
  it('LSTM logits and gradients match the layers model', () => {
    const model = buildLstm({ seqLen: 4, dropout: 0.3, seed: 3 });
    const x = tf.randomNormal([5, 4, 21], 0, 1, 'float32', 3) as tf.Tensor3D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1], 'int32'), 3);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const ref = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, logitsModel(model).apply(x) as tf.Tensor) as tf.Scalar, vars);
    const fast = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, fastLstmLogits(model, x, false)) as tf.Scalar, vars);
    expect(Math.abs(fast.value.dataSync()[0] - ref.value.dataSync()[0])).toBeLessThan(1e-5);
    for (const v of vars) expect(maxDiff(fast.grads[v.name], ref.grads[v.name]), v.name).toBeLessThan(1e-4);
  });

  it('dual-tower logits match the layers model', () => {
    const model = buildDualTower({ towerSplit: 'group', dropout: 0.3, seed: 3 });
    const x = tf.randomNormal([6, 21], 0, 1, 'float32', 4) as tf.Tensor2D;
    expect(maxDiff(fastMlpLogits(model, x, false), logitsModel(model).apply(x) as tf.Tensor)).toBeLessThan(1e-5);
  });
});
