import { describe, expect, it } from 'vitest';
import { computeMetrics, confusionMatrix, logLoss, mccFromConfusion, rowNormalised } from '../../src-main/core/evaluation';

// Ten samples, hand-checked:
//   yTrue = 0 0 0 0 1 1 1 2 2 2
//   yPred = 0 0 1 2 1 1 0 2 2 1
// confusion (rows = true): [2 1 1] [1 2 0] [0 1 2]
const yTrue = [0, 0, 0, 0, 1, 1, 1, 2, 2, 2];
const yPred = [0, 0, 1, 2, 1, 1, 0, 2, 2, 1];
// predicted class gets 0.5, the two others 0.25: p(true) = 0.5 when right (6×), 0.25 when wrong (4×)
const probs = yPred.map((k) => [0, 1, 2].map((c) => (c === k ? 0.5 : 0.25)));

describe('confusion matrix and metrics on a hand-checked 3-class example', () => {
  it('counts with rows = true class', () => {
    expect(confusionMatrix(yTrue, yPred)).toEqual([
      [2, 1, 1],
      [1, 2, 0],
      [0, 1, 2],
    ]);
  });

  it('computes every metric exactly', () => {
    const m = computeMetrics(yTrue, probs);
    expect(m.accuracy).toBeCloseTo(0.6, 12); // 6/10
    // precision: 2/3, 2/4, 2/3; recall: 2/4, 2/3, 2/3
    expect(m.per_class.map((c) => c.precision)).toEqual([2 / 3, 0.5, 2 / 3].map((v) => expect.closeTo(v, 12)));
    expect(m.per_class.map((c) => c.recall)).toEqual([0.5, 2 / 3, 2 / 3].map((v) => expect.closeTo(v, 12)));
    // F1: 2·(2/3·1/2)/(2/3+1/2) = 4/7; 2·(1/2·2/3)/(1/2+2/3) = 4/7; 2/3
    expect(m.per_class.map((c) => c.f1)).toEqual([4 / 7, 4 / 7, 2 / 3].map((v) => expect.closeTo(v, 12)));
    expect(m.per_class.map((c) => c.support)).toEqual([4, 3, 3]);
    expect(m.macro_f1).toBeCloseTo(38 / 63, 12); // (4/7 + 4/7 + 2/3) / 3
    expect(m.balanced_accuracy).toBeCloseTo(11 / 18, 12); // (1/2 + 2/3 + 2/3) / 3
    // Gorodkin: s=10, c=6, t=[4,3,3], p=[3,4,3]; (6·10 − 33) / sqrt((100−34)(100−34)) = 27/66
    expect(m.mcc).toBeCloseTo(9 / 22, 12);
    // −(6 ln 0.5 + 4 ln 0.25)/10 = 1.4 ln 2
    expect(m.log_loss).toBeCloseTo(1.4 * Math.LN2, 12);
    expect(m.confusion_matrix).toEqual(confusionMatrix(yTrue, yPred));
  });

  it('row-normalises the confusion matrix', () => {
    expect(rowNormalised([[2, 1, 1], [0, 0, 0], [0, 1, 2]])).toEqual([[0.5, 0.25, 0.25], [0, 0, 0], [0, 1 / 3, 2 / 3]]);
  });

  it('treats zero division as 0', () => {
    // everything predicted "flat", no "up" at all
    const m = computeMetrics([0, 1, 1], [[0, 1, 0], [0, 1, 0], [0, 1, 0]]);
    expect(m.per_class[0]).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.per_class[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(m.per_class[1].precision).toBeCloseTo(2 / 3, 12);
    expect(m.per_class[1].recall).toBe(1);
    expect(m.mcc).toBe(0); // a constant prediction has zero variance
    expect(m.balanced_accuracy).toBeCloseTo(0.5, 12); // classes present in yTrue: (0 + 1)/2
    expect(computeMetrics([], []).accuracy).toBe(0);
  });

  it('clips probabilities in log loss', () => {
    expect(logLoss([0], [[0, 1, 0]])).toBeCloseTo(-Math.log(1e-15), 9);
    expect(mccFromConfusion([[5, 0, 0], [0, 5, 0], [0, 0, 5]])).toBe(1);
  });
});
