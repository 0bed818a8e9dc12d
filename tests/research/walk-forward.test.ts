import { mean, sampleStandardDeviation } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { WorkbenchError } from '../../src-main/core/errors';
import { runWalkForward, summariseFolds, walkForwardFolds, type WalkForwardProgress } from '../../src-main/core/research';
import { DEFAULT_TRAIN_CONFIG, FEATURE_COUNT, type Dataset, type RowPart } from '../../src-main/core/types';
import { handDataset, isoDay } from './helpers';

beforeAll(async () => {
  await initBackend();
});

/** Day numbers (0-based) of one ticker's rows in a part. */
const daysOf = (ds: Dataset, ticker: string, part: RowPart): number[] =>
  ds.rows.flatMap((r) => (r.ticker === ticker && r.part === part ? [Number(r.features[0]) - (ticker === 'BBB' ? 0.5 : 0)] : []));

describe('walk-forward folds', () => {
  it('splits like scikit-learn TimeSeriesSplit(n_splits=3, gap=1) over 20 labelled dates', () => {
    // 21 days, h = 1 → 20 labelled dates; test_size = 20 // 4 = 5, blocks start at 5, 10, 15;
    // train = dates[: start − gap]
    const ds = handDataset({ days: 21 });
    const folds = walkForwardFolds(ds, 3);
    expect(folds.map((f) => f.fold)).toEqual([1, 2, 3]);
    const expected = [
      { train: [0, 3], embargo: [4], val: [5, 9] },
      { train: [0, 8], embargo: [9], val: [10, 14] },
      { train: [0, 13], embargo: [14], val: [15, 19] },
    ];
    folds.forEach((f, i) => {
      const e = expected[i];
      expect(f.trainStart).toBe(isoDay(0));
      expect(f.trainEnd).toBe(isoDay(e.train[1]));
      expect(f.embargo).toEqual(e.embargo.map(isoDay));
      expect(f.validationStart).toBe(isoDay(e.val[0]));
      expect(f.validationEnd).toBe(isoDay(e.val[1]));
      for (const ticker of ['AAA', 'BBB']) {
        const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
        expect(daysOf(f.dataset, ticker, 'train')).toEqual(range(e.train[0], e.train[1]));
        expect(daysOf(f.dataset, ticker, 'embargo')).toEqual(e.embargo);
        expect(daysOf(f.dataset, ticker, 'validation')).toEqual(range(e.val[0], e.val[1]));
      }
      // the fold's world ends with its validation block
      expect(f.dataset.rows.every((r) => r.date <= f.validationEnd)).toBe(true);
      expect(f.dataset.manifest.trainSamples).toBe(2 * (e.train[1] + 1));
      expect(f.dataset.manifest.valSamples).toBe(2 * 5);
    });
  });

  it('gives the first training block the remainder and embargoes h dates (22 dates, k = 3, h = 2)', () => {
    // 24 days, h = 2 → 22 labelled dates; test_size = 5, blocks start at 22 − 15 = 7, 12, 17
    const folds = walkForwardFolds(handDataset({ days: 24, horizon: 2 }), 3);
    expect(folds.map((f) => [f.trainEnd, f.embargo, f.validationStart, f.validationEnd])).toEqual([
      [isoDay(4), [isoDay(5), isoDay(6)], isoDay(7), isoDay(11)],
      [isoDay(9), [isoDay(10), isoDay(11)], isoDay(12), isoDay(16)],
      [isoDay(14), [isoDay(15), isoDay(16)], isoDay(17), isoDay(21)],
    ]);
    // no training label (t … t+h) reaches the validation block
    for (const f of folds) {
      const lastTrain = daysOf(f.dataset, 'AAA', 'train').at(-1) as number;
      expect(isoDay(lastTrain + 2) < f.validationStart).toBe(true);
    }
  });

  it('fits each fold normaliser on that fold training rows only, per ticker', () => {
    const folds = walkForwardFolds(handDataset({ days: 21 }), 3);
    // fold 2 trains on days 0..8: feature k = 1000k + d (+0.5 for BBB) → mean 1000k + 4, population std √(60/9)
    const stats = folds[1].dataset.normaliser.stats;
    expect(folds[1].dataset.normaliser.kind).toBe('per_ticker');
    expect(stats.AAA.mean[2]).toBeCloseTo(2004, 9);
    expect(stats.BBB.mean[2]).toBeCloseTo(2004.5, 9);
    expect(stats.AAA.std[0]).toBeCloseTo(Math.sqrt(60 / 9), 9);
    expect(stats['*'].mean[0]).toBeCloseTo(4.25, 9);
    expect(folds[0].dataset.normaliser.stats.AAA.mean[0]).toBeCloseTo(1.5, 9); // days 0..3
  });

  it('refuses impossible fold counts, naming the problem', () => {
    const ds = handDataset({ days: 21 });
    expect(() => walkForwardFolds(ds, 0)).toThrow(WorkbenchError);
    expect(() => walkForwardFolds(ds, 2.5)).toThrow(/whole number of folds/);
    // 20 dates / 11 = 1 per block, first training block 20 − 10 = 10 dates: still possible
    expect(walkForwardFolds(ds, 10)).toHaveLength(10);
    expect(() => walkForwardFolds(ds, 20)).toThrow(/too few for 20 walk-forward folds/);
    // a longer embargo than the horizon is allowed, a shorter one would leak
    expect(walkForwardFolds(ds, 3, 2)[0].embargo).toEqual([isoDay(3), isoDay(4)]);
    expect(() => walkForwardFolds(handDataset({ days: 21, horizon: 2 }), 3, 1)).toThrow(/≥ the horizon \(2\)/);
  });
});

describe('summary across folds', () => {
  it('is the mean and the sample standard deviation of the fold metrics', () => {
    const fold = (n: number, acc: number) => ({
      fold: n, train_start: '', train_end: '', validation_start: '', validation_end: '', train_samples: 10, val_samples: 5,
      models: { dual_tower: { accuracy: acc, balanced_accuracy: acc, macro_f1: acc / 2, mcc: 0, log_loss: 1, best_epoch: 1 } },
      baselines: { majority: { accuracy: 0.4, macro_f1: 0.2 }, persistence: { accuracy: 0.3, macro_f1: 0.3 }, stratified: { accuracy: 0.35, macro_f1: 0.33 } },
    });
    const s = summariseFolds([fold(1, 0.5), fold(2, 0.6), fold(3, 0.7)], 3, 1);
    expect(s.models.dual_tower?.accuracy.mean).toBeCloseTo(0.6, 12);
    expect(s.models.dual_tower?.accuracy.std).toBeCloseTo(0.1, 12);
    expect(s.models.dual_tower?.macro_f1.mean).toBeCloseTo(0.3, 12);
    expect(s.models.lstm).toBeUndefined();
    expect(s.baselines.majority.accuracy.mean).toBeCloseTo(0.4, 12);
    expect(s.baselines.majority.accuracy.std).toBeCloseTo(0, 12);
    expect(summariseFolds([fold(1, 0.5)], 1, 1).models.dual_tower?.accuracy).toEqual({ mean: 0.5, std: 0 });
  });
});

describe('runWalkForward', () => {
  it('trains both models per fold on the same samples and reports mean ± spread with baselines', async () => {
    const ds = await buildDataset(resolveDatasetConfig({ tickers: ['AAPL', 'MSFT'], start: '2023-01-03', end: '2023-12-29', signal: 1, seed: 3 }));
    const cfg = { ...DEFAULT_TRAIN_CONFIG, epochs: 2, batchSize: 32, learningRate: 3e-3 };
    const seen: WalkForwardProgress[] = [];
    let epochs = 0;
    const s = await runWalkForward(ds, 3, { lstm: cfg, dual_tower: cfg }, { onFold: (p) => seen.push(p), onEpoch: () => epochs++ });
    expect(seen.map((p) => `${p.fold}/${p.folds} ${p.kind}`)).toEqual(['1/3 lstm', '1/3 dual_tower', '2/3 lstm', '2/3 dual_tower', '3/3 lstm', '3/3 dual_tower']);
    expect(epochs).toBe(3 * 2 * 2);
    expect(s).toMatchObject({ k: 3, horizon: 1, scheme: 'expanding' });
    // 249 labelled dates (2023 has 250 trading days, the last is unlabelled): blocks of 62, first training block 63 − 1
    const folds = walkForwardFolds(ds, 3);
    expect(s.folds.map((f) => f.validation_start)).toEqual(folds.map((f) => f.validationStart));
    expect(s.folds.map((f) => f.val_samples)).toEqual([124, 124, 124]);
    // seqLen 3: the first 2 rows of each ticker have no window → (62 − 2) · 2, (124 − 2) · 2, (186 − 2) · 2
    expect(s.folds.map((f) => f.train_samples)).toEqual([120, 244, 368]);
    for (const kind of ['lstm', 'dual_tower'] as const) {
      const accs = s.folds.map((f) => f.models[kind]?.accuracy as number);
      expect(accs.every((a) => a >= 0 && a <= 1)).toBe(true);
      expect(s.models[kind]?.accuracy.mean).toBeCloseTo(mean(accs), 12);
      expect(s.models[kind]?.accuracy.std).toBeCloseTo(sampleStandardDeviation(accs), 12);
      for (const metric of ['balanced_accuracy', 'macro_f1', 'mcc', 'log_loss'] as const) expect(Number.isFinite(s.models[kind]?.[metric].mean)).toBe(true);
    }
    s.folds.forEach((f, i) => {
      // the stratified baseline's accuracy is Σ_k q_train(k)·p_val(k) over the fold's own rows
      const share = (part: RowPart) => {
        const labels = folds[i].dataset.rows.filter((r) => r.part === part).map((r) => (r.target as number) + 1);
        return [0, 1, 2].map((k) => labels.filter((y) => y === k).length / labels.length);
      };
      const q = share('train');
      const p = share('validation');
      expect(f.baselines.stratified.accuracy).toBeCloseTo(q[0] * p[0] + q[1] * p[1] + q[2] * p[2], 12);
      expect(f.baselines.stratified.macro_f1).toBeGreaterThan(0.2);
    });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s); // plain data for training_summary.json
  });

  it('needs a model to train', async () => {
    await expect(runWalkForward(handDataset({ days: 21 }), 2, {})).rejects.toThrow(/at least one model/);
  });

  it('keeps feature values of the parent rows (folds are views, not copies of the features)', () => {
    const ds = handDataset({ days: 21 });
    const [f] = walkForwardFolds(ds, 2);
    expect(f.dataset.rows[0].features).toBe(ds.rows[0].features);
    expect(f.dataset.rows[0].features).toHaveLength(FEATURE_COUNT);
    expect(ds.rows.map((r) => r.part)).toEqual(handDataset({ days: 21 }).rows.map((r) => r.part)); // parent untouched
  });
});
