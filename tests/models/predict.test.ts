import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { WorkbenchError } from '../../src-main/core/errors';
import { buildModel, type LoadedModel } from '../../src-main/core/models';
import { predictLatest } from '../../src-main/core/predict';
import { lstmWindows, normaliseRows, towerRows } from '../../src-main/core/training';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES, type ModelKind } from '../../src-main/core/types';
import { isoDay, makeTinyDataset } from '../training/helpers';

const ds = makeTinyDataset({ days: 20, tickers: ['AAA', 'BBB'] });
let models: Record<ModelKind, LoadedModel>;

beforeAll(async () => {
  await initBackend();
  const loaded = (kind: ModelKind): LoadedModel => ({
    model: buildModel(kind, { ...DEFAULT_TRAIN_CONFIG, seed: 9 }),
    meta: {
      kind,
      seqLen: 3,
      features: [...FEATURE_NAMES],
      normaliser: ds.normaliser,
      config: DEFAULT_TRAIN_CONFIG,
      params: 0,
      backend: 'wasm',
      created: 'test',
    },
  });
  models = { lstm: loaded('lstm'), dual_tower: loaded('dual_tower') };
});
afterAll(() => {
  models.lstm.model.dispose();
  models.dual_tower.model.dispose();
});

async function code(p: Promise<unknown>): Promise<string> {
  const err = await p.catch((e: unknown) => e);
  return err instanceof WorkbenchError ? err.code : 'no error';
}

describe('predictLatest', () => {
  it('uses the latest (unlabelled) day of each ticker and matches the models run by hand', async () => {
    const out = await predictLatest(models, ds, ['BBB', 'AAA']);
    expect(out.map((p) => [p.ticker, p.date])).toEqual([
      ['BBB', isoDay(19)],
      ['AAA', isoDay(19)],
    ]);
    expect(ds.rows[39].target).toBeNull(); // BBB's last day has no label yet

    // BBB's last three rows are 37, 38, 39
    const features = normaliseRows(ds.rows.slice(37, 40), ds.normaliser);
    const x = lstmWindows(features, [2], 3);
    const lstm = Array.from((models.lstm.model.predict(x) as tf.Tensor).dataSync());
    const xt = towerRows(features, [2]);
    const dual = Array.from((models.dual_tower.model.predict(xt) as tf.Tensor).dataSync());
    tf.dispose([x, xt]);
    expect(out[0].lstm).toEqual(lstm);
    expect(out[0].dual_tower).toEqual(dual);
    out[0].average.forEach((v, k) => expect(v).toBeCloseTo((lstm[k] + dual[k]) / 2, 7));
    expect(out[0].average.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('works with the one model a single-model run has: the other is null, the average is that model', async () => {
    const both = await predictLatest(models, ds, ['AAA']);
    const [lstmOnly] = await predictLatest({ lstm: models.lstm }, ds, ['AAA']);
    expect(lstmOnly.dual_tower).toBeNull();
    expect(lstmOnly.lstm).toEqual(both[0].lstm);
    expect(lstmOnly.average).toEqual(both[0].lstm);
    const [towerOnly] = await predictLatest({ dual_tower: models.dual_tower }, ds, ['AAA']);
    expect(towerOnly.lstm).toBeNull();
    expect(towerOnly.average).toEqual(both[0].dual_tower);
    await expect(predictLatest({}, ds, ['AAA'])).rejects.toThrow('no model to predict with');
  });

  it('takes the latest day on or before a given date', async () => {
    const [p] = await predictLatest(models, ds, ['AAA'], isoDay(10));
    expect(p.date).toBe(isoDay(10));
    const [last] = await predictLatest(models, ds, ['AAA'], isoDay(19));
    expect(last.date).toBe(isoDay(19));
  });

  it('refuses a date after the data instead of quietly answering for the last day', async () => {
    await expect(predictLatest(models, ds, ['AAA'], '2030-01-01')).rejects.toThrow(`no data for AAA after ${isoDay(19)} (the run's data ends there)`);
    await expect(predictLatest(models, ds, ['AAA', ''])).rejects.toThrow('an empty ticker was given (a stray comma?)');
  });

  it('gives clear errors for an unknown ticker, a date without data or too little history', async () => {
    expect(await code(predictLatest(models, ds, ['ZZZ']))).toBe('BAD_INPUT');
    await expect(predictLatest(models, ds, ['ZZZ'])).rejects.toThrow(/unknown ticker ZZZ/);
    await expect(predictLatest(models, ds, ['AAA'], '2023-12-31')).rejects.toThrow(/no data for AAA on or before 2023-12-31/);
    await expect(predictLatest(models, ds, ['AAA'], isoDay(1))).rejects.toThrow(/needs 3 days/);
    expect(await code(predictLatest(models, ds, ['AAA'], '1 Jan'))).toBe('BAD_INPUT');
    // a well-formed string that is no calendar date is refused, not read as the day before
    await expect(predictLatest(models, ds, ['AAA'], '2024-02-30')).rejects.toThrow('date must be a calendar date as YYYY-MM-DD, got "2024-02-30"');
  });

  it('does not leak tensors over repeated predictions', async () => {
    await predictLatest(models, ds, ['AAA', 'BBB']);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await predictLatest(models, ds, ['AAA', 'BBB']);
    expect(tf.memory().numTensors).toBe(before);
  });
});
