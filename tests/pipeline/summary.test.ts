/**
 * training_summary.json's research keys from evaluateRun, on a small built-in dataset with scripted
 * model outputs (no training): a perfect "LSTM" against an always-"up" dual tower, so every figure can be
 * checked by hand — McNemar's counts and reading, the stratified baseline, the trading report (always long
 * = buy-and-hold), the importance pass-through — and the whole summary must satisfy the contract.
 */
import { describe, expect, it } from 'vitest';
import { buildDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { WorkbenchError } from '../../src-main/core/errors';
import { mcnemarFromCounts } from '../../src-main/core/evaluation';
import { formatP, mcnemarReading } from '../../src-main/core/pipeline/readings';
import { evaluateRun, type ModelOutcome } from '../../src-main/core/pipeline/run';
import { alignSeqLen, checkFolds, mergeWalkForward } from '../../src-main/core/pipeline/walkForward';
import { summariseFolds, type PermutationImportance, type WalkForwardFoldResult } from '../../src-main/core/research';
import { normaliseRows } from '../../src-main/core/training/features';
import { buildSamples } from '../../src-main/core/training/samples';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES, featureGroup, type ModelKind } from '../../src-main/core/types';
import { TrainingSummarySchema } from '../../src-preload/contract';

const ds = await buildDataset(resolveDatasetConfig({ tickers: ['AAPL', 'MSFT'], start: '2024-01-02', end: '2024-06-28', seed: 7 }));
const samples = buildSamples(ds, normaliseRows(ds.rows, ds.normaliser), 3);
const valTrue = samples.valLabels;
const oneHot = (k: number) => [0, 1, 2].map((c) => (c === k ? 0.9 : 0.05));

function importanceOf(kind: ModelKind): PermutationImportance {
  const drop = { drop_accuracy: 0.01, drop_macro_f1: 0.02, rise_log_loss: 0.03 };
  return {
    kind,
    repeats: 3,
    seed: 42,
    samples: valTrue.length,
    base: { accuracy: 1, macro_f1: 1, log_loss: 0.1 },
    feature: FEATURE_NAMES.map((name) => ({ name, group: featureGroup(name), ...drop })),
    group: (['stock', 'news', 'macro', 'policy'] as const).map((name) => ({ name, features: FEATURE_NAMES.filter((f) => featureGroup(f) === name), ...drop })),
  };
}

function outcome(kind: ModelKind, probs: number[][]): ModelOutcome {
  return {
    kind,
    params: kind === 'lstm' ? 57219 : 2371,
    bestEpoch: 1,
    trainSeconds: 1,
    history: [{ epoch: 1, loss: 1, accuracy: 0.4, val_loss: 1, val_accuracy: 0.4, val_macro_f1: 0.3, seconds: 0.1 }],
    valProbs: probs,
    valTrue,
    valKeys: samples.valKeys,
    backend: 'wasm',
    trainSamples: samples.train.length,
    importance: importanceOf(kind),
  };
}

const summary = evaluateRun(ds, [outcome('lstm', valTrue.map(oneHot)), outcome('dual_tower', valTrue.map(() => oneHot(2)))], 10);

describe('evaluateRun: the research keys', () => {
  it('counts McNemar’s disagreements and reads them in one line', () => {
    const notUp = valTrue.filter((y) => y !== 2).length;
    expect(valTrue.length).toBeGreaterThan(50);
    expect(summary.comparison).toMatchObject({ mcnemar_b: notUp, mcnemar_c: 0, mcnemar_method: 'chi2' });
    expect(summary.comparison.mcnemar_p).toBeLessThan(0.001);
    expect(summary.comparison.mcnemar_reading).toBe(`p < 0.001: the LSTM is better beyond chance (LSTM alone right on ${notUp}, dual tower alone on 0)`);
  });

  it('adds the stratified-random baseline: expected accuracy Σ p_train(k)·p_val(k)', () => {
    const trainLabels = ds.rows.filter((r) => r.part === 'train' && r.target !== null).map((r) => (r.target as number) + 1);
    const freq = (labels: number[], k: number) => labels.filter((y) => y === k).length / labels.length;
    const expected = [0, 1, 2].reduce((s, k) => s + freq(trainLabels, k) * freq(valTrue, k), 0);
    const st = summary.baselines.stratified!;
    expect(st.accuracy).toBeCloseTo(expected, 12);
    expect(st.draws).toBe(200);
    expect(st.macro_f1).toBeGreaterThan(0.2);
    expect(st.macro_f1).toBeLessThan(0.45);
    expect(st.macro_f1_std).toBeGreaterThan(0);
  });

  it('gives the full trading report: always long is buy-and-hold, per ticker and for the portfolio', () => {
    const always = summary.trading_report!.dual_tower!;
    expect(always.cost_bps).toBe(10);
    expect(always.per_ticker.map((t) => t.ticker)).toEqual(['AAPL', 'MSFT']);
    for (const t of always.per_ticker) {
      expect(t).not.toHaveProperty('equity'); // per-ticker curves are not stored
      expect(t.cumulative_return).toBeCloseTo(t.buy_and_hold_return, 12);
      expect(t.trades).toBe(1);
      expect(t.exposure).toBe(1);
    }
    const p = always.portfolio;
    expect(p.tickers).toBe(2);
    expect(p.cumulative_return).toBeCloseTo(p.buy_and_hold_return, 12);
    expect(p.equity[0]).toEqual({ date: p.equity[0]!.date, strategy: 1, buy_and_hold: 1 });
    // one point per validation day of a ticker plus the start (the last sample day's next close is the end)
    expect(p.equity).toHaveLength(always.per_ticker[0]!.days + 1);
    expect(p.equity.at(-1)!.strategy - 1).toBeCloseTo(p.cumulative_return, 12);
    // the perfect model is long only on "up" days, so every long day rose
    expect(summary.trading_report!.lstm!.portfolio.hit_rate).toBe(1);
    // the first read-out stays for older readers and agrees
    expect(summary.trading!.dual_tower!.buy_and_hold_return).toBeCloseTo(always.per_ticker.reduce((s, t) => s + t.buy_and_hold_return, 0) / 2, 12);
  });

  it('passes the trainers’ permutation importance through and satisfies the contract', () => {
    expect(summary.importance?.lstm?.feature).toHaveLength(21);
    expect(summary.importance?.dual_tower?.group.map((g) => g.name)).toEqual(['stock', 'news', 'macro', 'policy']);
    expect(summary.walk_forward).toBeUndefined();
    const parsed = TrainingSummarySchema.safeParse(JSON.parse(JSON.stringify(summary)));
    expect(parsed.success, parsed.success ? '' : JSON.stringify(parsed.error.issues[0])).toBe(true);
  });
});

describe('readings', () => {
  it('formats p and says which model is better only at the 5% level', () => {
    expect(formatP(0.25)).toBe('= 0.25');
    expect(formatP(0.0031)).toBe('= 0.003');
    expect(formatP(0.0004)).toBe('< 0.001');
    expect(mcnemarReading(0.25, 10, 14)).toBe('p = 0.25: no evidence the models differ (LSTM alone right on 10, dual tower alone on 14)');
    expect(mcnemarReading(0.003, 4, 20)).toBe('p = 0.003: the dual tower is better beyond chance (LSTM alone right on 4, dual tower alone on 20)');
    expect(mcnemarReading(1, 0, 0)).toBe('p = 1.00: the models made the same call on every validation sample');
    // exact binomial: 2 vs 10 disagreements, two-sided p = 2·(1+12+66)/4096 = 0.0386
    const t = mcnemarFromCounts(2, 10);
    expect(t.p).toBeCloseTo(158 / 4096, 12);
    expect(mcnemarReading(t.p, t.b, t.c)).toMatch(/^p = 0\.04: the dual tower is better beyond chance/);
  });
});

describe('walk-forward jobs: merging and checks', () => {
  const fold = (n: number, kind: ModelKind, acc: number, valSamples = 40): WalkForwardFoldResult => ({
    fold: n,
    train_start: '2024-01-02',
    train_end: `2024-0${n + 2}-01`,
    validation_start: `2024-0${n + 2}-05`,
    validation_end: `2024-0${n + 3}-01`,
    train_samples: 100 * n,
    val_samples: valSamples,
    models: { [kind]: { accuracy: acc, balanced_accuracy: acc, macro_f1: acc / 2, mcc: 0, log_loss: 1, best_epoch: 1 } },
    baselines: { majority: { accuracy: 0.4, macro_f1: 0.2 }, persistence: { accuracy: 0.3, macro_f1: 0.3 }, stratified: { accuracy: 0.34, macro_f1: 0.33 } },
  });

  it('merges one result per model into one summary with mean ± sample std per model', () => {
    const lstm = summariseFolds([fold(1, 'lstm', 0.4), fold(2, 'lstm', 0.5)], 2, 1);
    const tower = summariseFolds([fold(1, 'dual_tower', 0.3), fold(2, 'dual_tower', 0.3)], 2, 1);
    const merged = mergeWalkForward([lstm, tower]);
    expect(merged.folds.map((f) => Object.keys(f.models).sort())).toEqual([['dual_tower', 'lstm'], ['dual_tower', 'lstm']]);
    expect(merged.models.lstm!.accuracy.mean).toBeCloseTo(0.45, 12);
    expect(merged.models.lstm!.accuracy.std).toBeCloseTo(Math.sqrt(0.005), 12); // sample std of 0.4, 0.5
    expect(merged.models.dual_tower!.accuracy).toEqual({ mean: 0.3, std: 0 });
    expect(merged.baselines.majority.accuracy.mean).toBeCloseTo(0.4, 12);
    expect(() => mergeWalkForward([lstm, summariseFolds([fold(1, 'dual_tower', 0.3, 39), fold(2, 'dual_tower', 0.3)], 2, 1)])).toThrow(/different samples/);
  });

  it('accepts 2 to 10 folds and aligns the dual tower’s samples with the LSTM’s windows', () => {
    for (const k of [1, 11, 2.5, Number.NaN]) expect(() => checkFolds(k)).toThrow(WorkbenchError);
    for (const k of [2, 3, 10]) expect(() => checkFolds(k)).not.toThrow();
    const train = { lstm: { ...DEFAULT_TRAIN_CONFIG, seqLen: 5 }, dual_tower: { ...DEFAULT_TRAIN_CONFIG, seqLen: 3, epochs: 7 } };
    const aligned = alignSeqLen(train, ['lstm', 'dual_tower']);
    expect(aligned.dual_tower).toEqual({ ...train.dual_tower, seqLen: 5 });
    expect(alignSeqLen(train, ['dual_tower'])).toBe(train); // alone, the dual tower keeps its own
  });
});
