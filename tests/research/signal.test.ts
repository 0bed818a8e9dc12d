/**
 * A strong planted signal (`signal 1`): both models must find it — well above both baselines — and
 * permutation importance must point at the features that carry it (news_sentiment, policy_impact_score).
 */
import type * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDataset } from '../../src-main/core/dataset';
import { argmax, computeMetrics, majorityBaseline, persistenceBaseline, previousLabels } from '../../src-main/core/evaluation';
import { binomialStandardError, permutationImportance, rankFeatures, runWalkForward, stratifiedBaseline, tradingReport, type PermutationImportance } from '../../src-main/core/research';
import { SYNTHETIC_SIGNAL_FEATURES } from '../../src-main/core/sources/synthetic';
import { trainModel, type TrainResult } from '../../src-main/core/training';
import { MODEL_KINDS, type Dataset, type ModelKind } from '../../src-main/core/types';
import { STUDY_TRAIN, studyConfig } from './helpers';

const SEED = 1;
let ds: Dataset;
const results = {} as Record<ModelKind, TrainResult>;
const importance = {} as Record<ModelKind, PermutationImportance>;

beforeAll(async () => {
  await initBackend();
  ds = await buildDataset(studyConfig(1, SEED));
  for (const kind of MODEL_KINDS) {
    results[kind] = await trainModel(kind, ds, { ...STUDY_TRAIN, seed: SEED });
    importance[kind] = await permutationImportance(results[kind].model, kind, ds, { seqLen: STUDY_TRAIN.seqLen, repeats: 3, seed: 1 });
  }
}, 240_000);

afterAll(() => {
  for (const kind of MODEL_KINDS) (results[kind]?.model as tf.LayersModel | undefined)?.dispose();
});

describe('signal 1: both models find the planted signal', () => {
  it.each(MODEL_KINDS)('%s beats the majority, persistence and stratified baselines by ≥ 10 accuracy points', (kind) => {
    const r = results[kind];
    const trainLabels = ds.rows.filter((row) => row.part === 'train' && row.target !== null).map((row) => (row.target as number) + 1);
    const majority = majorityBaseline(trainLabels, r.valTrue);
    const persistence = persistenceBaseline(r.valTrue, previousLabels(ds, r.valKeys, majority.class));
    const stratified = stratifiedBaseline(trainLabels, r.valTrue, { seed: SEED });
    const acc = computeMetrics(r.valTrue, r.valProbs).accuracy;
    console.info(`[signal] ${kind}: accuracy ${acc.toFixed(3)}, majority ${majority.accuracy.toFixed(3)}, persistence ${persistence.accuracy.toFixed(3)}, stratified ${stratified.expected_accuracy.toFixed(3)}`);
    expect(acc - majority.accuracy).toBeGreaterThanOrEqual(0.1);
    expect(acc - persistence.accuracy).toBeGreaterThanOrEqual(0.1);
    expect(acc - stratified.expected_accuracy).toBeGreaterThanOrEqual(0.1);
  });

  it.each(MODEL_KINDS)('%s: permutation importance ranks news_sentiment first and the two planted features top-2', (kind) => {
    const imp = importance[kind];
    expect(imp.samples).toBe(results[kind].valTrue.length);
    expect(imp.base.accuracy).toBeCloseTo(computeMetrics(results[kind].valTrue, results[kind].valProbs).accuracy, 5);
    const byAccuracy = rankFeatures(imp, 'drop_accuracy');
    const byLogLoss = rankFeatures(imp, 'rise_log_loss');
    console.info(`[signal] ${kind} importance (accuracy drop): ${byAccuracy.slice(0, 4).map((f) => `${f.name} ${f.drop_accuracy.toFixed(3)}`).join(', ')}`);
    console.info(`[signal] ${kind} importance (log-loss rise): ${byLogLoss.slice(0, 4).map((f) => `${f.name} ${f.rise_log_loss.toFixed(3)}`).join(', ')}`);
    expect(byAccuracy[0].name).toBe(SYNTHETIC_SIGNAL_FEATURES[0]);
    expect(byAccuracy[0].drop_accuracy).toBeGreaterThan(0.08);
    expect(rankFeatures(imp, 'drop_macro_f1')[0].name).toBe(SYNTHETIC_SIGNAL_FEATURES[0]);
    // policy_impact_score is non-zero on about one day in twelve, so it moves few argmax decisions; the
    // log loss, which it changes on every sample it touches, separates it from the unplanted features.
    expect(byLogLoss.slice(0, 2).map((f) => f.name).sort()).toEqual([...SYNTHETIC_SIGNAL_FEATURES].sort());
    // groups: news carries the signal
    const groups = [...imp.group].sort((a, b) => b.drop_accuracy - a.drop_accuracy);
    expect(groups[0].name).toBe('news');
    expect(imp.group.find((g) => g.name === 'news')?.features).toEqual(['news_sentiment', 'news_count', 'news_relevance']);
  });

  it('trading on the predictions: long days are up more often than days in general', () => {
    const r = results.dual_tower;
    const report = tradingReport(ds, r.valKeys, r.valProbs.map(argmax), 5);
    const index = new Map(ds.rows.map((row, i) => [`${row.ticker}|${row.date}`, i]));
    const upShare = r.valKeys.filter((k) => {
      const i = index.get(`${k.ticker}|${k.date}`) as number;
      return ds.rows[i + 1].features[3] > ds.rows[i].features[3];
    }).length / r.valKeys.length;
    const longDays = report.per_ticker.reduce((a, t) => a + Math.round(t.exposure * t.days), 0);
    console.info(`[signal] trading: hit rate ${report.portfolio.hit_rate?.toFixed(3)} on ${longDays} long days vs ${upShare.toFixed(3)} of all days up; strategy ${report.portfolio.cumulative_return.toFixed(3)} vs buy-and-hold ${report.portfolio.buy_and_hold_return.toFixed(3)}`);
    expect(report.per_ticker).toHaveLength(4);
    // more than 2.5 binomial SE above the base rate of up days
    expect(report.portfolio.hit_rate as number).toBeGreaterThan(upShare + 2.5 * binomialStandardError(upShare, longDays));
  });

  it('walk-forward (3 folds, dual tower): the signal is found in every fold', async () => {
    const s = await runWalkForward(ds, 3, { dual_tower: { ...STUDY_TRAIN, seed: SEED } });
    for (const f of s.folds) {
      console.info(`[signal] fold ${f.fold}: accuracy ${f.models.dual_tower?.accuracy.toFixed(3)} vs majority ${f.baselines.majority.accuracy.toFixed(3)} (${f.train_samples} train, ${f.val_samples} validation)`);
      const se = binomialStandardError(f.baselines.majority.accuracy, f.val_samples);
      expect((f.models.dual_tower?.accuracy as number) - f.baselines.majority.accuracy).toBeGreaterThan(2.5 * se);
    }
    const m = s.models.dual_tower!;
    expect(m.accuracy.mean - s.baselines.majority.accuracy.mean).toBeGreaterThanOrEqual(0.1);
    expect(m.accuracy.std).toBeGreaterThan(0);
  });
});
