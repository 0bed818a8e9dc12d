import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDualTower, buildLstm, buildModel, EXPECTED_PARAMS, FeatureSlice, LSTM_PARAM_NOTE, SeededDropout } from '../../src-main/core/models';
import { DEFAULT_TRAIN_CONFIG } from '../../src-main/core/types';

beforeAll(async () => {
  await initBackend();
});

function weightsOf(m: tf.LayersModel): number[] {
  return m.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

describe('architectures', () => {
  it('LSTM has 57,219 parameters (Keras counting) and says why PyTorch differs', () => {
    const m = buildLstm({ seqLen: 3, dropout: 0.3, seed: 1 });
    // 4·(64·(21+64)+64) + 4·(64·(64+64)+64) + (64·32+32) + (32·3+3)
    expect(m.countParams()).toBe(22_016 + 33_024 + 2_080 + 99);
    expect(m.countParams()).toBe(EXPECTED_PARAMS.lstm);
    expect(LSTM_PARAM_NOTE).toContain('57,731');
    m.dispose();
  });

  it('dual tower has 2,371 parameters for both tower splits', () => {
    for (const towerSplit of ['group', 'seed_index'] as const) {
      const m = buildDualTower({ towerSplit, dropout: 0.3, seed: 1 });
      expect(m.countParams()).toBe(2_371);
      m.dispose();
    }
    expect(EXPECTED_PARAMS.dual_tower).toBe(2_371);
  });

  it('forward passes give (batch, 3) probabilities', () => {
    const lstm = buildModel('lstm', DEFAULT_TRAIN_CONFIG);
    const dual = buildModel('dual_tower', DEFAULT_TRAIN_CONFIG);
    const pl = lstm.predict(tf.ones([4, 3, 21])) as tf.Tensor;
    const pd = dual.predict(tf.ones([5, 21])) as tf.Tensor;
    expect(pl.shape).toEqual([4, 3]);
    expect(pd.shape).toEqual([5, 3]);
    for (const row of pl.arraySync() as number[][]) expect(row[0] + row[1] + row[2]).toBeCloseTo(1, 5);
    for (const row of pd.arraySync() as number[][]) expect(row[0] + row[1] + row[2]).toBeCloseTo(1, 5);
    tf.dispose([pl, pd]);
    lstm.dispose();
    dual.dispose();
  });

  it('initialisation is reproducible from the seed and differs between seeds', () => {
    const a = buildDualTower({ towerSplit: 'group', dropout: 0.3, seed: 5 });
    const b = buildDualTower({ towerSplit: 'group', dropout: 0.3, seed: 5 });
    const c = buildDualTower({ towerSplit: 'group', dropout: 0.3, seed: 6 });
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)).not.toEqual(weightsOf(c));
    [a, b, c].forEach((m) => m.dispose());
  });
});

describe('custom layers', () => {
  it('FeatureSlice takes the stock columns (11) and the context columns (10)', () => {
    const input = tf.input({ shape: [21] });
    const stock = new FeatureSlice({ begin: 0, size: 11 }).apply(input) as tf.SymbolicTensor;
    const context = new FeatureSlice({ begin: 11, size: 10 }).apply(input) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: [stock, context] });
    const x = tf.tensor2d([Array.from({ length: 21 }, (_, i) => i)]);
    const [s, c] = m.predict(x) as tf.Tensor[];
    expect(Array.from(s.dataSync())).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(Array.from(c.dataSync())).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
    tf.dispose([x, s, c]);
  });

  it('SeededDropout: identity at inference, fresh but reproducible masks in training', () => {
    const x = tf.ones([1, 200]);
    const mask = (layer: SeededDropout): number[] => {
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      const v = Array.from(y.dataSync());
      y.dispose();
      return v;
    };
    const d1 = new SeededDropout({ rate: 0.5, seed: 3 });
    const d2 = new SeededDropout({ rate: 0.5, seed: 3 });
    const first = mask(d1);
    const second = mask(d1);
    expect(first).not.toEqual(second); // a new mask per call
    expect(mask(d2)).toEqual(first); // same seed, same sequence
    expect(new Set(first)).toEqual(new Set([0, 2])); // kept units scaled by 1/(1−rate)
    const inference = d1.apply(x) as tf.Tensor;
    expect(Array.from(inference.dataSync()).every((v) => v === 1)).toBe(true);
    x.dispose();
  });
});
