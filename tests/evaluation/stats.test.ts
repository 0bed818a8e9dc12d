import { describe, expect, it } from 'vitest';
import { majorityBaseline, mcnemar, mcnemarFromCounts, persistenceBaseline } from '../../src-main/core/evaluation';

describe('McNemar', () => {
  it('uses the exact binomial test for b + c < 25', () => {
    // n = 12, k = min(b,c) = 2: 2·(C(12,0)+C(12,1)+C(12,2))/2^12 = 2·79/4096 = 0.03857421875
    const r = mcnemarFromCounts(10, 2);
    expect(r.method).toBe('exact');
    expect(r.p).toBeCloseTo(0.03857421875, 12);
    expect(r.statistic).toBeCloseTo(49 / 12, 12); // (|10−2| − 1)² / 12
  });

  it('uses chi-square with continuity correction for b + c ≥ 25', () => {
    // (|30−10| − 1)² / 40 = 9.025; p = erfc(sqrt(9.025/2)) = 0.0026631 (Python math.erfc)
    const r = mcnemarFromCounts(30, 10);
    expect(r.method).toBe('chi2');
    expect(r.statistic).toBeCloseTo(9.025, 12);
    expect(r.p).toBeCloseTo(0.002663119, 6);
  });

  it('counts disagreements from predictions', () => {
    const yTrue = [0, 1, 2, 0, 1, 2, 0];
    const a = [0, 1, 2, 1, 1, 0, 0]; // right at 0,1,2,4,6
    const b = [0, 0, 2, 0, 2, 0, 1]; // right at 0,2,3
    // A right & B wrong: 1, 4, 6 → b = 3; A wrong & B right: 3 → c = 1
    const r = mcnemar(yTrue, a, b);
    expect([r.b, r.c]).toEqual([3, 1]);
    expect(r.p).toBeCloseTo(0.625, 12); // 2·(1+4)/16
    expect(mcnemarFromCounts(0, 0).p).toBe(1);
    expect(mcnemarFromCounts(5, 5).p).toBe(1);
  });
});

describe('baselines', () => {
  it('majority class of train applied to validation', () => {
    // train: class 2 ×3, class 0 ×2 → predicts 2; val: 2 of 5 are class 2
    const r = majorityBaseline([2, 2, 0, 0, 2], [2, 1, 0, 2, 1]);
    expect(r.class).toBe(2);
    expect(r.accuracy).toBeCloseTo(0.4, 12);
    // F1 for class 2: precision 2/5, recall 1 → 4/7; classes 0,1 → 0; macro = 4/21
    expect(r.macro_f1).toBeCloseTo(4 / 21, 12);
  });

  it('persistence: previous label repeated', () => {
    const r = persistenceBaseline([0, 1, 2, 2], [0, 1, 1, 2]);
    expect(r.accuracy).toBeCloseTo(0.75, 12);
    // per class F1: c0 1, c1 p=1/2 r=1 → 2/3, c2 p=1 r=1/2 → 2/3; macro = (1 + 4/3)/3 = 7/9
    expect(r.macro_f1).toBeCloseTo(7 / 9, 12);
  });
});
