/**
 * The fast LSTM computes the same function as tfjs-layers' LSTM (outputs and gradients), on the
 * wasm backend the app trains on.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDualTower, buildLstm, logitsModel } from '../../src-main/core/models';
import { fastLstmLogits, fastLstmStack, fastMlpLogits, lstmLayerWeights, type RecurrentActivation } from '../../src-main/core/models/fast-lstm';
import { predictProbs } from '../../src-main/core/training';

const BATCH = 4;
const STEPS = 5;
const FEATURES = 21;
const UNITS = 64;

beforeAll(async () => {
  await initBackend('wasm');
});

function twoLayerLstm(recurrentActivation: RecurrentActivation): tf.LayersModel {
  const input = tf.input({ shape: [STEPS, FEATURES] });
  const init = (seed: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed });
  let x = tf.layers
    .lstm({ units: UNITS, returnSequences: true, recurrentActivation, kernelInitializer: init(1), recurrentInitializer: init(2), name: 'a' })
    .apply(input) as tf.SymbolicTensor;
  x = tf.layers
    .lstm({ units: UNITS, recurrentActivation, kernelInitializer: init(3), recurrentInitializer: init(4), name: 'b' })
    .apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: x });
  // Non-zero biases so the bias path is really exercised (the default is zeros, forget gate 1).
  model.layers.forEach((l, n) => {
    if (l.getClassName() !== 'LSTM') return;
    const [k, r, b] = l.getWeights();
    l.setWeights([k, r, tf.randomUniform(b.shape, -0.5, 0.5, 'float32', 10 + n)]);
  });
  return model;
}

/** Largest absolute difference between two tensors of the same shape. */
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** A scalar loss that weights every output differently, so each output's gradient is checked. */
function projectedLoss(out: tf.Tensor, proj: tf.Tensor): tf.Scalar {
  return tf.sum(tf.mul(tf.tanh(out), proj)) as tf.Scalar;
}

describe.each<RecurrentActivation>(['sigmoid', 'hardSigmoid'])('fast LSTM vs tf.layers.lstm (%s gates)', (gate) => {
  it('gives the same last hidden state', () => {
    const model = twoLayerLstm(gate);
    const x = tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 7) as tf.Tensor3D;
    const ref = model.predict(x) as tf.Tensor;
    const fast = fastLstmStack(x, lstmLayerWeights(model));
    expect(fast.shape).toEqual([BATCH, UNITS]);
    expect(maxDiff(fast, ref)).toBeLessThan(1e-4);
    // Not trivially equal: the hidden states are far from zero.
    expect(tf.max(tf.abs(ref)).dataSync()[0]).toBeGreaterThan(0.1);
  });

  it('gives the same gradients w.r.t. every weight and the input', () => {
    const model = twoLayerLstm(gate);
    const layers = lstmLayerWeights(model);
    expect(layers.map((l) => l.recurrentActivation)).toEqual([gate, gate]);
    const x = tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 8) as tf.Tensor3D;
    const proj = tf.randomNormal([BATCH, UNITS], 0, 1, 'float32', 9);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(variables).toHaveLength(6);

    const ref = tf.variableGrads(() => projectedLoss(model.apply(x) as tf.Tensor, proj), variables);
    const fast = tf.variableGrads(() => projectedLoss(fastLstmStack(x, layers), proj), variables);
    expect(Math.abs(fast.value.dataSync()[0] - ref.value.dataSync()[0])).toBeLessThan(1e-4);
    for (const v of variables) {
      expect(fast.grads[v.name], v.name).toBeDefined();
      expect(maxDiff(fast.grads[v.name], ref.grads[v.name]), v.name).toBeLessThan(1e-4);
      // every gradient carries signal (a dropped term would show as zeros)
      expect(tf.max(tf.abs(ref.grads[v.name])).dataSync()[0], v.name).toBeGreaterThan(1e-3);
    }

    const refDx = tf.grad((xi: tf.Tensor) => projectedLoss(model.apply(xi) as tf.Tensor, proj))(x);
    const fastDx = tf.grad((xi: tf.Tensor) => projectedLoss(fastLstmStack(xi as tf.Tensor3D, layers), proj))(x);
    expect(maxDiff(fastDx, refDx)).toBeLessThan(1e-4);
    expect(tf.max(tf.abs(refDx)).dataSync()[0]).toBeGreaterThan(1e-3);
  });
});

describe('fastLstmLogits on the workbench LSTM', () => {
  it('matches the logits model and its gradients for all 10 trainable weights, leaking no tensors', () => {
    const model = buildLstm({ seqLen: 3, dropout: 0.3, seed: 42 });
    const logits = logitsModel(model);
    const x = tf.randomNormal([8, 3, FEATURES], 0, 1, 'float32', 11) as tf.Tensor3D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1], 'int32'), 3);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(variables).toHaveLength(10);

    expect(maxDiff(fastLstmLogits(model, x, false), logits.apply(x, { training: false }) as tf.Tensor)).toBeLessThan(1e-4);

    const ref = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, logits.apply(x, { training: false }) as tf.Tensor) as tf.Scalar, variables);
    const before = tf.memory().numTensors;
    const fast = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, fastLstmLogits(model, x, false)) as tf.Scalar, variables);
    // the loss and one gradient per variable are all that is left behind
    expect(tf.memory().numTensors - before).toBe(1 + variables.length);
    expect(Math.abs(fast.value.dataSync()[0] - ref.value.dataSync()[0])).toBeLessThan(1e-5);
    for (const v of variables) expect(maxDiff(fast.grads[v.name], ref.grads[v.name]), v.name).toBeLessThan(1e-4);
  });

  it('applies the head dropout only in training', () => {
    const model = buildLstm({ seqLen: 3, dropout: 0.5, seed: 1 });
    const x = tf.randomNormal([16, 3, FEATURES], 0, 1, 'float32', 12) as tf.Tensor3D;
    const a = fastLstmLogits(model, x, false);
    expect(maxDiff(a, fastLstmLogits(model, x, false))).toBe(0);
    expect(maxDiff(a, fastLstmLogits(model, x, true))).toBeGreaterThan(1e-3);
  });

  it('refuses an LSTM layer it does not implement', () => {
    const input = tf.input({ shape: [STEPS, FEATURES] });
    const out = tf.layers.lstm({ units: 4, recurrentDropout: 0.2 }).apply(input) as tf.SymbolicTensor;
    expect(() => lstmLayerWeights(tf.model({ inputs: input, outputs: out }))).toThrow(/does not implement/);
  });
});

describe('fastMlpLogits on the workbench dual tower', () => {
  it.each(['group', 'seed_index'] as const)('matches the logits model and its gradients (%s split)', (towerSplit) => {
    const model = buildDualTower({ towerSplit, dropout: 0.3, seed: 5 });
    const logits = logitsModel(model);
    const x = tf.randomNormal([8, FEATURES], 0, 1, 'float32', 13) as tf.Tensor2D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0, 2, 2, 1], 'int32'), 3);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    expect(variables).toHaveLength(12); // 6 dense layers: 2 per tower, head, logits

    expect(maxDiff(fastMlpLogits(model, x, false), logits.apply(x, { training: false }) as tf.Tensor)).toBeLessThan(1e-5);
    const ref = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, logits.apply(x, { training: false }) as tf.Tensor) as tf.Scalar, variables);
    const fast = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, fastMlpLogits(model, x, false)) as tf.Scalar, variables);
    for (const v of variables) {
      expect(maxDiff(fast.grads[v.name], ref.grads[v.name]), v.name).toBeLessThan(1e-5);
      expect(tf.max(tf.abs(ref.grads[v.name])).dataSync()[0], v.name).toBeGreaterThan(0);
    }
    const refDx = tf.grad((xi: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, logits.apply(xi, { training: false }) as tf.Tensor) as tf.Scalar)(x);
    const fastDx = tf.grad((xi: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, fastMlpLogits(model, xi as tf.Tensor2D, false)) as tf.Scalar)(x);
    expect(maxDiff(fastDx, refDx)).toBeLessThan(1e-5);
  });

  it('drops about the configured share of units in training, reproducibly per seed', () => {
    const model = buildDualTower({ towerSplit: 'group', dropout: 0.5, seed: 6 });
    const x = tf.randomNormal([64, FEATURES], 0, 1, 'float32', 14) as tf.Tensor2D;
    const a = fastMlpLogits(model, x, false);
    expect(maxDiff(a, fastMlpLogits(model, x, true))).toBeGreaterThan(1e-3);
    const again = buildDualTower({ towerSplit: 'group', dropout: 0.5, seed: 6 });
    const twin = buildDualTower({ towerSplit: 'group', dropout: 0.5, seed: 6 });
    expect(maxDiff(fastMlpLogits(again, x, true), fastMlpLogits(twin, x, true))).toBe(0);
  });
});

describe('predictProbs (validation, importance, predictions) on the fast path', () => {
  it.each(['lstm', 'dual_tower'] as const)('%s: the same probabilities as model.predict over several chunks, leaking no tensors', async (kind) => {
    const model = kind === 'lstm' ? buildLstm({ seqLen: 4, dropout: 0.3, seed: 5 }) : buildDualTower({ towerSplit: 'group', dropout: 0.3, seed: 5 });
    const x = (kind === 'lstm' ? tf.randomNormal([700, 4, FEATURES], 0, 1, 'float32', 3) : tf.randomNormal([700, FEATURES], 0, 1, 'float32', 3)) as tf.Tensor;
    const before = tf.memory().numTensors;
    const fast = await predictProbs(model, x, 256); // 3 chunks, the last one short
    expect(tf.memory().numTensors).toBe(before);
    const ref = (await (model.predict(x) as tf.Tensor).array()) as number[][];
    expect(fast).toHaveLength(700);
    let worst = 0;
    fast.forEach((row, i) => row.forEach((p, k) => (worst = Math.max(worst, Math.abs(p - ref[i][k])))));
    expect(worst).toBeLessThan(1e-5);
    model.dispose();
  });
});
