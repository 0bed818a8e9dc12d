import { describe, expect, it } from 'vitest';
import { loadCsvSource } from '../../src-main/core/sources/csv';
import { csvConfig, fixture } from './helpers';

// AAPL 2024-11-29 in the fixture: open 234.80999755859375, close 237.3300018310547, adj 236.26144409179688
const AAPL_LAST = { open: 234.80999755859375, high: 237.80999755859375, low: 233.97000122070312, close: 237.3300018310547, adj: 236.26144409179688, volume: 28481400 };

describe('csv prices: real files', () => {
  it('loads two tickers, applies Adj Close to the whole bar, keeps only warmupStart … end', async () => {
    const raw = await loadCsvSource(csvConfig({ tickers: ['AAPL', 'MSFT'], prices: fixture('prices'), end: '2024-11-27' }), '2024-06-10');
    expect(raw.source).toBe('csv');
    expect(Object.keys(raw.prices)).toEqual(['AAPL', 'MSFT']);
    const aapl = raw.prices.AAPL;
    // 126 rows 2024-06-03 … 2024-11-29; minus 5 before 06-10 and 11-29 after the end
    expect(aapl.length).toBe(120);
    expect(aapl[0].date).toBe('2024-06-10');
    expect(aapl[aapl.length - 1].date).toBe('2024-11-27');
    // 2024-11-27: close 234.92999267578125, adj 233.8722381591797
    const nov27 = aapl[aapl.length - 1];
    expect(nov27.close).toBe(233.8722381591797);
    expect(nov27.open).toBeCloseTo(234.47000122070312 * (233.8722381591797 / 234.92999267578125), 10);
    expect(nov27.volume).toBe(33498400);
    expect(raw.prices.MSFT.length).toBe(120);
    expect(raw.news).toBeNull();
    expect(raw.policy).toBeNull();
    expect(raw.macro).toEqual({});
    expect(raw.repairs).toEqual([]);
  });

  it('adjusted close equals adj_close from the file; open/high/low scale by adj/close', async () => {
    const raw = await loadCsvSource(csvConfig({ prices: fixture('prices') }), '2024-11-01');
    const bar = raw.prices.AAPL.at(-1)!;
    const f = AAPL_LAST.adj / AAPL_LAST.close;
    expect(bar).toEqual({
      date: '2024-11-29',
      open: AAPL_LAST.open * f,
      high: AAPL_LAST.high * f,
      low: AAPL_LAST.low * f,
      close: AAPL_LAST.adj,
      volume: AAPL_LAST.volume,
    });
    expect(raw.prices.AAPL.length).toBe(20); // trading days 2024-11-01 … 2024-11-29
  });

  it('an empty adj_close column (prices_2013_2023) means unadjusted Close, with a note', async () => {
    const raw = await loadCsvSource(csvConfig({ tickers: ['NVDA'], prices: fixture('prices_2013_2023'), end: '2023-12-29' }), '2023-12-01');
    const last = raw.prices.NVDA.at(-1)!;
    // pre-2024-split share basis, as in the source
    expect(last).toEqual({ date: '2023-12-29', open: 498.1300048828125, high: 499.9700012207031, low: 487.510009765625, close: 495.2200012207031, volume: 38869000 });
    expect(raw.repairs).toEqual(['NVDA.csv: Adj Close column is empty; using Close (prices not adjusted for dividends)']);
  });
});
