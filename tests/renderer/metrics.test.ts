import { describe, expect, it } from 'vitest';
import {
  argmax,
  averageProbabilities,
  balanceShares,
  bestColumn,
  better,
  delta,
  heatColour,
  matrixTotal,
  rowShares,
} from '../../src-renderer/lib/metrics';

describe('class balance', () => {
  it('gives counts and shares per class', () => {
    const shares = balanceShares({ down: 30, flat: 10, up: 60 });
    expect(shares).toEqual([
      { name: 'down', count: 30, share: 0.3 },
      { name: 'flat', count: 10, share: 0.1 },
      { name: 'up', count: 60, share: 0.6 },
    ]);
    expect(balanceShares({ down: 0, flat: 0, up: 0 }).map((s) => s.share)).toEqual([0, 0, 0]);
  });
});

describe('confusion matrix', () => {
  // rows = true class; 35 samples as in the seed's November 2024 report
  const m = [
    [5, 2, 3],
    [4, 4, 0],
    [6, 3, 8],
  ];

  it('normalises each true-class row', () => {
    const r = rowShares(m);
    expect(r[0]).toEqual([0.5, 0.2, 0.3]);
    expect(r[1]).toEqual([0.5, 0.5, 0]);
    expect(r[2]![2]).toBeCloseTo(8 / 17, 12);
    expect(rowShares([[0, 0, 0]])).toEqual([[0, 0, 0]]);
    expect(matrixTotal(m)).toBe(35);
  });

  it('colours cells from white to dark blue with readable text', () => {
    expect(heatColour(0)).toEqual({ background: 'rgb(247, 251, 255)', text: '#0b1b2b' });
    expect(heatColour(1)).toEqual({ background: 'rgb(8, 48, 107)', text: '#ffffff' });
    expect(heatColour(0.5).background).toBe('rgb(128, 150, 181)');
    expect(heatColour(Number.NaN)).toEqual(heatColour(0));
    expect(heatColour(7)).toEqual(heatColour(1));
  });
});

describe('comparisons', () => {
  it('computes deltas and which model is better', () => {
    expect(delta(0.33, 0.25)).toBeCloseTo(-0.08, 12);
    expect(delta(null, 0.25)).toBeNull();
    expect(better(0.33, 0.25, true)).toBe('a');
    expect(better(1.1, 0.9, false)).toBe('b'); // lower log loss wins
    expect(better(0.5, 0.5, true)).toBe('tie');
    expect(better(undefined, 0.5, true)).toBeNull();
  });

  it('averages the two models’ class probabilities', () => {
    const avg = averageProbabilities([
      [0.2, 0.3, 0.5],
      [0.4, 0.5, 0.1],
    ]);
    expect(avg[0]).toBeCloseTo(0.3, 12);
    expect(avg[1]).toBeCloseTo(0.4, 12);
    expect(avg[2]).toBeCloseTo(0.3, 12);
    expect(argmax(avg)).toBe(1);
    expect(argmax([0.4, 0.2, 0.4])).toBe(0);
    expect(argmax([])).toBe(-1);
    expect(averageProbabilities([])).toEqual([]);
  });
});

describe('best column', () => {
  it('stars the single best value and nothing on a tie', () => {
    expect(bestColumn([0.41, 0.39], true)).toBe(0);
    expect(bestColumn([1.09, 1.07], false)).toBe(1); // log loss
    expect(bestColumn([0.07, 0.07], true)).toBe(-1);
    expect(bestColumn([0.3, null, 0.5, 0.5], true)).toBe(-1);
    expect(bestColumn([0.3, null, 0.5], true)).toBe(2);
    expect(bestColumn([0.3], true)).toBe(-1);
  });
});
