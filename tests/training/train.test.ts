import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { WorkbenchError } from '../../src-main/core/errors';
import { computeMetrics } from '../../src-main/core/evaluation';
import { buildSamples, learningRateForEpoch, modelInput, normaliseRows, predictProbs, trainModel } from '../../src-main/core/training';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src-main/core/types';
import { makeTinyDataset } from './helpers';

beforeAll(async () => {
  await initBackend();
});

// 2 tickers × 150 days; target = band of the day's `close` feature (about 1/3 per class).
const ds = makeTinyDataset({ days: 150 });
const fast: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, epochs: 12, batchSize: 16, learningRate: 0.01, decayEvery: 8 };

describe('training loop', () => {
  it('dual tower learns a planted rule well above chance, keeps the best epoch, frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    let batchesSeen = 0;
    const r = await trainModel('dual_tower', ds, fast, {
      onEpoch: () => counts.push(tf.memory().numTensors),
      onBatch: () => batchesSeen++,
    });
    expect(r.history).toHaveLength(12);
    expect(new Set(counts).size).toBe(1); // no tensor growth across epochs
    // 149 labelled days → train days 0..98 (floor(149·2/3) = 99); samples need 2 earlier days:
    // 2 tickers × days 2..98 = 194 samples → ceil(194/16) = 13 batches per epoch
    expect(r.trainSamples).toBe(194);
    expect(batchesSeen).toBe(12 * 13);
    // validation: days 100..148 → 2 × 49
    expect(r.valSamples).toBe(98);
    expect(r.params).toBe(2371);
    expect(r.valTrue).toHaveLength(r.valSamples);

    const best = r.history[r.bestEpoch - 1];
    expect(Math.max(...r.history.map((h) => h.val_macro_f1))).toBe(best.val_macro_f1);
    expect(best.val_accuracy).toBeGreaterThan(0.75); // chance ≈ 0.35
    // the returned model carries the best epoch's weights: it reproduces the kept probabilities
    const features = normaliseRows(ds.rows, ds.normaliser);
    const s = buildSamples(ds, features, fast.seqLen);
    const x = modelInput('dual_tower', features, s.val, fast.seqLen);
    const again = await predictProbs(r.model, x);
    x.dispose();
    expect(computeMetrics(r.valTrue, again).macro_f1).toBeCloseTo(best.val_macro_f1, 6);
    expect(again[0][0]).toBeCloseTo(r.valProbs[0][0], 6);

    r.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('LSTM learns the rule from the last day of its window', async () => {
    const counts: number[] = [];
    const r = await trainModel('lstm', ds, { ...fast, epochs: 8 }, { onEpoch: () => counts.push(tf.memory().numTensors) });
    expect(new Set(counts).size).toBe(1);
    const best = r.history[r.bestEpoch - 1];
    expect(best.val_accuracy).toBeGreaterThan(0.6);
    expect(r.params).toBe(57_219);
    r.model.dispose();
  });

  it('is reproducible from the seed on one backend', async () => {
    const cfg = { ...fast, epochs: 3 };
    const a = await trainModel('dual_tower', ds, cfg);
    const b = await trainModel('dual_tower', ds, cfg);
    const strip = (h: typeof a.history) => h.map(({ seconds: _s, ...rest }) => rest);
    expect(strip(b.history)).toEqual(strip(a.history));
    expect(b.valProbs).toEqual(a.valProbs);
    a.model.dispose();
    b.model.dispose();
  });

  it('steps the learning rate down every decayEvery epochs', () => {
    const cfg = { learningRate: 1e-3, decayEvery: 5, decayFactor: 0.5 };
    expect([1, 5, 6, 10, 11].map((e) => learningRateForEpoch(cfg, e))).toEqual([1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4]);
  });

  it('stops with CANCELLED when the signal aborts, leaving no tensors behind', async () => {
    const before = tf.memory().numTensors;
    const ctrl = new AbortController();
    const err = await trainModel('dual_tower', ds, fast, {
      onBatch: (p) => {
        if (p.epoch === 2 && p.batch === 3) ctrl.abort();
      },
      signal: ctrl.signal,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkbenchError);
    expect((err as WorkbenchError).code).toBe('CANCELLED');
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails clearly when the loss becomes NaN', async () => {
    const bad = makeTinyDataset({ days: 40 });
    bad.rows[5].features[0] = Number.NaN; // a train row of AAA
    const err = await trainModel('dual_tower', bad, { ...fast, epochs: 2 }).catch((e: unknown) => e);
    expect((err as WorkbenchError).code).toBe('TRAINING_FAILED');
    expect((err as Error).message).toMatch(/loss became NaN at epoch 1/);
  });

  it('refuses a dataset without validation samples', async () => {
    const tiny = makeTinyDataset({ days: 4 });
    const err = await trainModel('dual_tower', tiny, fast).catch((e: unknown) => e);
    expect((err as WorkbenchError).code).toBe('BAD_INPUT');
  });
});
