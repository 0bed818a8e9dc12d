/**
 * Tensors are disposed: tf.memory().numTensors stays flat across many epochs, many repeated predictions
 * (predictLatest ×50, and the whole saved-run path — load, rebuild, predict, evaluate — repeated), and
 * across failed predictions.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { buildModel, loadModel, type LoadedModel } from '../../src-main/core/models';
import { evaluateSaved, predictSaved } from '../../src-main/core/pipeline/saved';
import { predictLatest } from '../../src-main/core/predict';
import { trainModel } from '../../src-main/core/training';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES, type Dataset, type ModelKind } from '../../src-main/core/types';
import { saveUntrained } from '../models/helpers';
import { makeTinyDataset } from '../training/helpers';

let work: string;
beforeAll(async () => {
  await initBackend();
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'stw-tensors-'));
});
afterAll(async () => {
  await fs.rm(work, { recursive: true, force: true });
});

describe('training', () => {
  for (const [kind, epochs] of [
    ['dual_tower', 40],
    ['lstm', 12],
  ] as const) {
    it(`${kind}: the same tensor count after every one of ${epochs} epochs, and none left once the model is disposed`, async () => {
      const ds = makeTinyDataset({ days: 80 });
      const before = tf.memory().numTensors;
      const counts: number[] = [];
      const r = await trainModel(kind, ds, { ...DEFAULT_TRAIN_CONFIG, epochs, batchSize: 16, decayEvery: 3 }, { onEpoch: () => counts.push(tf.memory().numTensors) });
      expect(counts).toHaveLength(epochs);
      expect(new Set(counts).size).toBe(1);
      r.model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

describe('prediction', () => {
  it('predictLatest 50 times (with and without a date, and failing) adds no tensor', async () => {
    const ds = makeTinyDataset({ days: 30, tickers: ['AAA', 'BBB'] });
    const loaded = (kind: ModelKind): LoadedModel => ({
      model: buildModel(kind, DEFAULT_TRAIN_CONFIG),
      meta: { kind, seqLen: 3, features: [...FEATURE_NAMES], normaliser: ds.normaliser, config: DEFAULT_TRAIN_CONFIG, params: 0, backend: 'wasm', created: 't' },
    });
    const models = { lstm: loaded('lstm'), dual_tower: loaded('dual_tower') };
    await predictLatest(models, ds, ['AAA']); // first call may set up lazily created state
    const before = tf.memory().numTensors;
    let failures = 0;
    for (let i = 0; i < 50; i++) {
      const out = await predictLatest(models, ds, i % 2 ? ['AAA', 'BBB'] : ['BBB'], i % 3 ? undefined : ds.rows[10 + (i % 15)]!.date);
      expect(out[0]!.average.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      if (i % 10 === 0) failures += await predictLatest(models, ds, ['AAA'], '1999-01-01').then(() => 0, () => 1);
    }
    expect(failures).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
    models.lstm.model.dispose();
    models.dual_tower.model.dispose();
  });

  describe('a saved run folder', () => {
    let dir: string;
    let ds: Dataset;
    beforeAll(async () => {
      ds = await buildDataset(resolveDatasetConfig({ tickers: ['AAPL', 'MSFT'], start: '2024-01-02', end: '2024-06-28', seed: 3 }));
      dir = path.join(work, 'run');
      for (const kind of ['lstm', 'dual_tower'] as const) await saveUntrained(kind, dir, ds);
    });

    it('load → predict 10 times and evaluate 3 times leave the tensor count where it was', async () => {
      const before = tf.memory().numTensors;
      for (let i = 0; i < 10; i++) {
        const p = await predictSaved(dir, ['MSFT', 'AAPL']);
        expect(p.map((x) => x.ticker)).toEqual(['MSFT', 'AAPL']);
      }
      for (let i = 0; i < 3; i++) {
        const s = await evaluateSaved(dir);
        expect(s.dataset.hash).toBe(ds.manifest.hash);
      }
      expect(tf.memory().numTensors).toBe(before);
    });

    it('loadModel + dispose 20 times adds no tensor', async () => {
      const before = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) (await loadModel(path.join(dir, 'lstm_best'))).model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('predict refused for a ticker the run does not have leaves no tensor either', async () => {
      const before = tf.memory().numTensors;
      await expect(predictSaved(dir, ['TSLA'])).rejects.toThrow(/unknown ticker TSLA/);
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
