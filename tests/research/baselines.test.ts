import { describe, expect, it } from 'vitest';
import { binomialStandardError, classFrequencies, expectedStratifiedAccuracy, stratifiedBaseline } from '../../src-main/core/research';

describe('stratified-random baseline', () => {
  // train: 5 down, 3 flat, 2 up → q = (0.5, 0.3, 0.2); validation: 2 down, 4 flat, 4 up → p = (0.2, 0.4, 0.4)
  const train = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2];
  const val = [0, 0, 1, 1, 1, 1, 2, 2, 2, 2];

  it('has the analytic expected accuracy Σ q(k)·p(k)', () => {
    expect(classFrequencies(train)).toEqual([0.5, 0.3, 0.2]);
    expect(expectedStratifiedAccuracy(train, val)).toBeCloseTo(0.5 * 0.2 + 0.3 * 0.4 + 0.2 * 0.4, 12); // 0.30
  });

  it('Monte-Carlo accuracy sits on the analytic value, with the binomial spread', () => {
    // n = 2000 validation samples, p = (0.2, 0.4, 0.4): expected accuracy 0.3
    const bigVal = Array.from({ length: 2000 }, (_, i) => (i % 5 === 0 ? 0 : i % 5 <= 2 ? 1 : 2));
    const b = stratifiedBaseline(train, bigVal, { draws: 400, seed: 3 });
    expect(b.expected_accuracy).toBeCloseTo(0.3, 12);
    expect(b.draws).toBe(400);
    // the mean of 400 draws is within 4 standard errors of the expectation: σ/√400 with σ = √(0.3·0.7/2000)
    const sd = binomialStandardError(0.3, 2000);
    expect(Math.abs(b.accuracy_mean - 0.3)).toBeLessThan((4 * sd) / Math.sqrt(400));
    expect(b.accuracy_std).toBeGreaterThan(0.7 * sd);
    expect(b.accuracy_std).toBeLessThan(1.3 * sd);
    // per class F1 of independent guessing is 2·p·q/(p+q) in expectation: (0.2·0.5·2/0.7 + 2·0.4·0.3/0.7 + 2·0.4·0.2/0.6)/3
    const approx = ((2 * 0.2 * 0.5) / 0.7 + (2 * 0.4 * 0.3) / 0.7 + (2 * 0.4 * 0.2) / 0.6) / 3;
    expect(b.macro_f1_mean).toBeCloseTo(approx, 2);
    expect(b.macro_f1_std).toBeGreaterThan(0);
  });

  it('is reproducible from its seed and changes with it', () => {
    const a = stratifiedBaseline(train, val, { seed: 1 });
    expect(stratifiedBaseline(train, val, { seed: 1 })).toEqual(a);
    expect(stratifiedBaseline(train, val, { seed: 2 }).macro_f1_mean).not.toBe(a.macro_f1_mean);
    expect(a.train_frequencies).toEqual([0.5, 0.3, 0.2]);
    expect(a.val_frequencies).toEqual([0.2, 0.4, 0.4]);
  });

  it('never predicts a class absent from training', () => {
    const b = stratifiedBaseline([2, 2, 2], [0, 1, 2, 2], { draws: 20 });
    expect(b.expected_accuracy).toBe(0.5);
    expect(b.accuracy_mean).toBe(0.5);
    expect(b.accuracy_std).toBe(0);
  });

  it('binomial standard error', () => {
    expect(binomialStandardError(0.5, 100)).toBeCloseTo(0.05, 12);
    expect(binomialStandardError(0.4, 0)).toBe(0);
  });
});
