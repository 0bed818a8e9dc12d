/**
 * Pure noise (`signal 0`): the next return is independent of every feature, so no model may look better than
 * the baselines beyond chance. Three seeds (each a different synthetic market and training seed), both models.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDataset } from '../../src-main/core/dataset';
import { computeMetrics, majorityBaseline } from '../../src-main/core/evaluation';
import { binomialStandardError, stratifiedBaseline } from '../../src-main/core/research';
import { trainModel } from '../../src-main/core/training';
import { MODEL_KINDS, type ModelKind } from '../../src-main/core/types';
import { STUDY_TRAIN, studyConfig } from './helpers';

const SEEDS = [1, 2, 3];

interface SeedOutcome {
  n: number;
  majority: number;
  stratifiedF1: number;
  stratifiedF1Sd: number;
  accuracy: Record<ModelKind, number>;
  macroF1: Record<ModelKind, number>;
}

const outcomes: SeedOutcome[] = [];

beforeAll(async () => {
  await initBackend();
  for (const seed of SEEDS) {
    const ds = await buildDataset(studyConfig(0, seed));
    const trainLabels = ds.rows.filter((r) => r.part === 'train' && r.target !== null).map((r) => (r.target as number) + 1);
    const out: Partial<SeedOutcome> = { accuracy: {} as Record<ModelKind, number>, macroF1: {} as Record<ModelKind, number> };
    for (const kind of MODEL_KINDS) {
      const r = await trainModel(kind, ds, { ...STUDY_TRAIN, seed });
      r.model.dispose();
      const m = computeMetrics(r.valTrue, r.valProbs);
      out.accuracy![kind] = m.accuracy;
      out.macroF1![kind] = m.macro_f1;
      if (out.n === undefined) {
        const stratified = stratifiedBaseline(trainLabels, r.valTrue, { seed });
        Object.assign(out, {
          n: r.valTrue.length,
          majority: majorityBaseline(trainLabels, r.valTrue).accuracy,
          stratifiedF1: stratified.macro_f1_mean,
          stratifiedF1Sd: stratified.macro_f1_std,
        });
      }
    }
    outcomes.push(out as SeedOutcome);
  }
}, 240_000);

const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('signal 0 (pure noise), 3 seeds', () => {
  it.each(MODEL_KINDS)('%s: mean validation accuracy does not beat the majority baseline by more than 2.5 binomial SE', (kind) => {
    // The bound is the binomial SE of one validation set (n = 832), √(p(1−p)/n) at the majority's accuracy p,
    // as the issue states it. It is looser than the SE of a 3-seed mean (SE/√3) on purpose: the reported
    // accuracy is that of the best epoch, chosen on these same validation samples (a maximum over epochs),
    // so under the null it sits above chance by up to ~1 SE. A real leak shows as many SE (signal 1: ~10 SE).
    const p = avg(outcomes.map((o) => o.majority));
    const se = binomialStandardError(p, avg(outcomes.map((o) => o.n)));
    const excess = avg(outcomes.map((o) => o.accuracy[kind])) - p;
    console.info(`[noise] ${kind}: accuracy ${outcomes.map((o) => o.accuracy[kind].toFixed(3)).join(' ')} vs majority ${outcomes.map((o) => o.majority.toFixed(3)).join(' ')}; mean excess ${(excess / se).toFixed(2)} SE`);
    expect(excess).toBeLessThanOrEqual(2.5 * se);
  });

  it.each(MODEL_KINDS)('%s: mean macro-F1 does not beat the stratified-random baseline beyond its noise', (kind) => {
    // Stratified random guessing with the training class mix is the no-skill reference that knows the
    // class balance; its macro-F1 over 200 seeded draws has mean μ and spread σ on each validation set.
    // Noise band: mean over seeds of μ + 2.5 · mean σ (one set's σ, for the same reason as above).
    const mu = avg(outcomes.map((o) => o.stratifiedF1));
    const sigma = avg(outcomes.map((o) => o.stratifiedF1Sd));
    const f1 = avg(outcomes.map((o) => o.macroF1[kind]));
    console.info(`[noise] ${kind}: macro-F1 ${outcomes.map((o) => o.macroF1[kind].toFixed(3)).join(' ')} vs stratified ${mu.toFixed(3)} ± ${sigma.toFixed(3)}`);
    expect(sigma).toBeGreaterThan(0.005); // a real band, not a degenerate one
    expect(f1).toBeLessThanOrEqual(mu + 2.5 * sigma);
  });
});
