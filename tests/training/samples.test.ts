import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildSamples, lstmWindows, normaliseRows, resolveTrainConfig, towerRows } from '../../src-main/core/training';
import { FEATURE_COUNT } from '../../src-main/core/types';
import { isoDay, makeTinyDataset } from './helpers';

beforeAll(async () => {
  await initBackend();
});

// 2 tickers × 10 days, h = 1, trainFraction 2/3: 9 labelled days → days 0–5 train, 6 embargo,
// 7–8 validation, 9 unlabelled.
const ds = makeTinyDataset({ days: 10, tickers: ['AAA', 'BBB'] });
const features = normaliseRows(ds.rows, ds.normaliser);

describe('sample rule', () => {
  it('seqLen 3: train days 2–5 and validation days 7–8 of each ticker', () => {
    const s = buildSamples(ds, features, 3);
    expect(s.train.length).toBe(8);
    expect(s.val.length).toBe(4);
    expect(Array.from(s.train)).toEqual([2, 3, 4, 5, 12, 13, 14, 15]);
    expect(Array.from(s.val)).toEqual([7, 8, 17, 18]);
    expect(s.valKeys).toEqual([
      { ticker: 'AAA', date: isoDay(7) },
      { ticker: 'AAA', date: isoDay(8) },
      { ticker: 'BBB', date: isoDay(7) },
      { ticker: 'BBB', date: isoDay(8) },
    ]);
    expect(s.valLabels).toEqual([7, 8, 17, 18].map((i) => (ds.rows[i].target as number) + 1));
  });

  it('seqLen 1 keeps every labelled train/validation row', () => {
    const s = buildSamples(ds, features, 1);
    expect(s.train.length).toBe(12);
    expect(s.val.length).toBe(4);
  });

  it('LSTM windows are the rows ending at the sample, never crossing tickers', () => {
    const s = buildSamples(ds, features, 3);
    const bbbFirst = s.train[4]; // row 12 = BBB day 2: window rows 10, 11, 12 (all BBB)
    const w = lstmWindows(features, [bbbFirst], 3);
    expect(w.shape).toEqual([1, 3, FEATURE_COUNT]);
    expect(Array.from(w.dataSync())).toEqual(Array.from(features.subarray(10 * FEATURE_COUNT, 13 * FEATURE_COUNT)));
    expect(ds.rows.slice(10, 13).every((r) => r.ticker === 'BBB')).toBe(true);
    const t = towerRows(features, [7]);
    expect(Array.from(t.dataSync())).toEqual(Array.from(features.subarray(7 * FEATURE_COUNT, 8 * FEATURE_COUNT)));
    tf.dispose([w, t]);
  });

  it('normalises with training statistics only', () => {
    // each AAA training column has mean 0 after normalisation (population std → unit variance)
    const train = [0, 1, 2, 3, 4, 5];
    for (const f of [0, 3, 20]) {
      const vals = train.map((i) => features[i * FEATURE_COUNT + f]);
      const mean = vals.reduce((a, b) => a + b, 0) / vals.length;
      const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / vals.length;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 4);
    }
  });
});

describe('train config', () => {
  it('fills defaults and rejects bad values', () => {
    expect(resolveTrainConfig({ epochs: 3 })).toMatchObject({ epochs: 3, batchSize: 8, seqLen: 3, learningRate: 1e-3 });
    expect(() => resolveTrainConfig({ batchSize: 0 })).toThrow(/batchSize/);
    expect(() => resolveTrainConfig({ dropout: 1 })).toThrow(/dropout/);
  });
});
