import { describe, expect, it } from 'vitest';
import { tradingReadout } from '../../src-main/core/evaluation';
import { maxDrawdown, tradingReport } from '../../src-main/core/research';
import { FEATURE_COUNT, type Dataset, type Row } from '../../src-main/core/types';

const DATES = ['2024-03-04', '2024-03-05', '2024-03-06', '2024-03-07', '2024-03-08'];

/** Rows with only `close` (feature 3) set; the last day of each ticker is unlabelled. */
function dataset(closes: Record<string, number[]>): Dataset {
  const rows: Row[] = [];
  for (const [ticker, series] of Object.entries(closes)) {
    series.forEach((close, d) => {
      const features = new Array<number>(FEATURE_COUNT).fill(0);
      features[3] = close;
      const last = d === series.length - 1;
      rows.push({ date: DATES[d], ticker, features, target: last ? null : 0, forwardReturn: null, part: last ? 'unlabelled' : 'validation' });
    });
  }
  return { rows } as unknown as Dataset; // the read-out only reads rows
}

// AAA: +10%, −10%, 0%, +20%;  BBB: −10%, 0%, +20%, 0%
const ds = dataset({ AAA: [100, 110, 99, 99, 118.8], BBB: [50, 45, 45, 54, 54] });
const keys = ['AAA', 'BBB'].flatMap((ticker) => DATES.slice(0, 4).map((date) => ({ ticker, date })));
// AAA: up, up, flat, up → long, long, flat, long;  BBB: flat, up, up, down → flat, long, long, flat
const pred = [2, 2, 1, 2, 1, 2, 2, 0];
const c = 0.999; // 1 − 10 bps

describe('trading read-out (hand-checked)', () => {
  const report = tradingReport(ds, keys, pred, 10);
  const [aaa, bbb] = report.per_ticker;

  it('per ticker: cumulative return, trades, exposure, hit rate', () => {
    expect(report.cost_bps).toBe(10);
    expect(aaa.ticker).toBe('AAA');
    // enter (cost) +10%, −10%, exit (cost), enter (cost) +20%
    expect(aaa.cumulative_return).toBeCloseTo(c * 1.1 * 0.9 * c * c * 1.2 - 1, 12);
    expect(aaa.trades).toBe(3);
    expect(aaa.days).toBe(4);
    expect(aaa.exposure).toBe(0.75);
    expect(aaa.hit_rate).toBeCloseTo(2 / 3, 12); // +10% and +20% of three long days
    // the day with a 0% return does not count as a hit
    expect(bbb.cumulative_return).toBeCloseTo(c * 1.0 * 1.2 * c - 1, 12);
    expect(bbb.trades).toBe(2);
    expect(bbb.exposure).toBe(0.5);
    expect(bbb.hit_rate).toBe(0.5);
  });

  it('per ticker: buy-and-hold pays one entry and compounds every day', () => {
    expect(aaa.buy_and_hold_return).toBeCloseTo(c * 1.1 * 0.9 * 1.0 * 1.2 - 1, 12);
    expect(bbb.buy_and_hold_return).toBeCloseTo(c * 0.9 * 1.0 * 1.2 * 1.0 - 1, 12);
    expect(aaa.buy_and_hold_max_drawdown).toBeCloseTo(0.1, 12); // 1.0989 → 0.98901
    expect(bbb.buy_and_hold_max_drawdown).toBeCloseTo(0.1009, 12); // 1 → 0.8991
  });

  it('per ticker: equity curves start at 1 on the first sample day and end on the next close', () => {
    expect(aaa.equity.map((p) => p.date)).toEqual(DATES);
    const s = aaa.equity.map((p) => p.strategy);
    const expected = [1, c * 1.1, c * 1.1 * 0.9, c * 1.1 * 0.9 * c, c * 1.1 * 0.9 * c * c * 1.2];
    s.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    expect(aaa.max_drawdown).toBeCloseTo(1 - 0.9 * c, 12); // peak 1.0989, trough after paying the exit
    expect(bbb.equity.map((p) => p.strategy)).toEqual([1, 1, c, c * 1.2, c * 1.2 * c].map((v) => expect.closeTo(v, 12)));
    expect(bbb.max_drawdown).toBeCloseTo(0.001, 12);
  });

  it('portfolio: equal weight, never rebalanced', () => {
    const p = report.portfolio;
    expect(p.tickers).toBe(2);
    const mean = (i: number) => (aaa.equity[i].strategy + bbb.equity[i].strategy) / 2;
    expect(p.equity.map((e) => e.strategy)).toEqual([0, 1, 2, 3, 4].map((i) => expect.closeTo(mean(i), 12)));
    expect(p.cumulative_return).toBeCloseTo((aaa.cumulative_return + bbb.cumulative_return) / 2, 12);
    expect(p.hit_rate).toBeCloseTo(3 / 5, 12); // pooled over the five long ticker-days
    expect(p.trades).toBe(5);
    expect(p.exposure).toBe(0.625);
    expect(p.days).toBe(8);
    // strategy: peak 1.04945 (day 1) → 0.994005 (day 2)
    expect(p.max_drawdown).toBeCloseTo(1 - ((0.9 * 1.1 * c + c) / 2) / ((1.1 * c + 1) / 2), 12);
    // buy-and-hold: 1 → (0.98901 + 0.8991)/2 = 0.944055
    expect(p.buy_and_hold_max_drawdown).toBeCloseTo(1 - 0.944055, 12);
    expect(p.buy_and_hold_return).toBeCloseTo((1.186812 + 1.07892) / 2 - 1, 12);
  });

  it('agrees with the simple read-out in evaluation/', () => {
    const simple = tradingReadout(ds, keys, pred, 10);
    expect(simple.per_ticker.map((t) => t.strategy_return)).toEqual([aaa.cumulative_return, bbb.cumulative_return].map((v) => expect.closeTo(v, 12)));
    expect(simple.buy_and_hold_return).toBeCloseTo(report.portfolio.buy_and_hold_return, 12);
  });

  it('carries a ticker forward in the portfolio outside its own days, and has no hit rate without a long day', () => {
    const late = dataset({ AAA: [100, 110, 99, 99, 118.8] });
    const lateKeys = [{ ticker: 'AAA', date: DATES[2] }, { ticker: 'AAA', date: DATES[3] }];
    const r = tradingReport(late, lateKeys, [0, 0]);
    expect(r.per_ticker[0].hit_rate).toBeNull();
    expect(r.per_ticker[0].cumulative_return).toBe(0);
    expect(r.per_ticker[0].trades).toBe(0);
    expect(r.per_ticker[0].equity.map((p) => p.date)).toEqual(DATES.slice(2));
    // mixed with BBB over all days: AAA counts as 1 until its first point
    const both = tradingReport(ds, [...lateKeys, ...keys.slice(4)], [0, 0, 2, 2, 2, 2]);
    const bbbCurve = both.per_ticker[1].equity.map((e) => e.strategy);
    expect(both.portfolio.equity.map((e) => e.strategy)).toEqual(bbbCurve.map((v) => expect.closeTo((v + 1) / 2, 12)));
  });

  it('max drawdown of a curve', () => {
    expect(maxDrawdown([1, 2, 1, 3, 1.5, 4])).toBe(0.5);
    expect(maxDrawdown([1, 1.1, 1.2])).toBe(0);
    expect(maxDrawdown([])).toBe(0);
  });
});
