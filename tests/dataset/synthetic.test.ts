import { sampleCorrelation, sampleKurtosis, standardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { resolveDatasetConfig, warmupStartFor } from '../../src-main/core/dataset';
import { generateSynthetic } from '../../src-main/core/sources/synthetic';
import type { PriceBar } from '../../src-main/core/types';

const config = resolveDatasetConfig({ start: '2020-01-02', end: '2022-12-30' });
const warmup = warmupStartFor(config.start);
const raw = generateSynthetic(config, warmup);

const logReturns = (bars: PriceBar[]): number[] => bars.slice(1).map((b, i) => Math.log(b.close / bars[i].close));

describe('synthetic source', () => {
  it('is deterministic from the seed', () => {
    expect(generateSynthetic(config, warmup)).toEqual(raw);
    const other = generateSynthetic({ ...config, seed: 43 }, warmup);
    expect(other.prices.AAPL.map((b) => b.close)).not.toEqual(raw.prices.AAPL.map((b) => b.close));
  });

  it('cuts only the future when the end moves earlier', () => {
    const short = generateSynthetic({ ...config, end: '2021-06-30' }, warmup);
    for (const ticker of config.tickers) {
      expect(short.prices[ticker]).toEqual(raw.prices[ticker].filter((b) => b.date <= '2021-06-30'));
    }
    expect(short.news).toEqual(raw.news!.filter((n) => n.date <= '2021-06-30'));
    expect(short.policy).toEqual(raw.policy!.filter((p) => p.date <= '2021-06-30'));
    expect(short.macro.vix!.points).toEqual(raw.macro.vix!.points.filter((p) => p.date <= '2021-06-30'));
    expect(short.macro.inflation!.points).toEqual(raw.macro.inflation!.points.filter((p) => p.date <= '2021-06-30'));
  });

  it("keeps a ticker's series when other tickers are added", () => {
    const one = generateSynthetic({ ...config, tickers: ['AAPL'] }, warmup);
    expect(one.prices.AAPL).toEqual(raw.prices.AAPL);
    expect(one.news).toEqual(raw.news!.filter((n) => n.ticker === 'AAPL'));
  });

  it('starts at the warm-up start, on trading days only', () => {
    const dates = raw.prices.AAPL.map((b) => b.date);
    expect(dates[0]).toBe(warmup);
    expect(dates.filter((d) => d >= '2020-01-02' && d <= '2020-01-10')).toEqual(['2020-01-02', '2020-01-03', '2020-01-06', '2020-01-07', '2020-01-08', '2020-01-09', '2020-01-10']);
    expect(dates).not.toContain('2020-11-26'); // Thanksgiving
    expect(dates[dates.length - 1]).toBe('2022-12-30');
  });

  it('has realistic price levels, volatilities and fat tails per ticker', () => {
    expect(raw.prices.AAPL.find((b) => b.date === '2020-01-02')!.close).toBe(150); // level pinned at the anchor
    const sd = (t: string): number => standardDeviation(logReturns(raw.prices[t]));
    expect(sd('AAPL')).toBeGreaterThan(0.014);
    expect(sd('AAPL')).toBeLessThan(0.021);
    expect(sd('NVDA')).toBeGreaterThan(sd('AAPL'));
    expect(sd('TSLA')).toBeGreaterThan(sd('NVDA'));
    expect(sampleKurtosis(logReturns(raw.prices.AAPL))).toBeGreaterThan(1); // excess kurtosis: fatter than normal
  });

  it('keeps bars consistent and volume tied to the size of the move', () => {
    for (const ticker of config.tickers) {
      for (const b of raw.prices[ticker]) {
        expect(b.low).toBeLessThanOrEqual(Math.min(b.open, b.close));
        expect(b.high).toBeGreaterThanOrEqual(Math.max(b.open, b.close));
        expect(Number.isInteger(b.volume) && b.volume > 0).toBe(true);
      }
    }
    const bars = raw.prices.TSLA;
    const moves = logReturns(bars).map(Math.abs);
    expect(sampleCorrelation(moves, bars.slice(1).map((b) => Math.log(b.volume)))).toBeGreaterThan(0.2);
  });

  it('has news with gaps and at weekends, five macro series and policy events tied to rate moves', () => {
    const aaplNews = new Set(raw.news!.filter((n) => n.ticker === 'AAPL').map((n) => n.date));
    const tradingDates = raw.prices.AAPL.map((b) => b.date).filter((d) => d > raw.news![0].date);
    const missing = tradingDates.filter((d) => !aaplNews.has(d)).length / tradingDates.length;
    expect(missing).toBeGreaterThan(0.15);
    expect(missing).toBeLessThan(0.4);
    expect([...aaplNews].some((d) => [0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))).toBe(true);
    for (const n of raw.news!) {
      expect(Math.abs(n.sentiment)).toBeLessThanOrEqual(1);
      expect(n.relevance).toBeGreaterThanOrEqual(0);
      expect(n.relevance).toBeLessThanOrEqual(1);
    }

    expect(Object.fromEntries(Object.values(raw.macro).map((s) => [s!.feature, s!.frequency]))).toEqual({
      gdp_growth: 'quarterly', inflation: 'monthly', unemployment: 'monthly', interest_rate: 'daily', vix: 'daily',
    });
    expect(raw.macro.inflation!.points.every((p) => p.date.endsWith('-01'))).toBe(true);
    expect(raw.macro.gdp_growth!.points.every((p) => /-(01|04|07|10)-01$/.test(p.date))).toBe(true);

    // every change of the interest rate comes with a policy event that day
    const rate = raw.macro.interest_rate!.points;
    const eventDays = new Set(raw.policy!.map((p) => p.date));
    const moves = rate.filter((p, i) => i > 0 && p.value !== rate[i - 1].value);
    expect(moves.length).toBeGreaterThan(3);
    expect(moves.every((p) => eventDays.has(p.date))).toBe(true);
    expect(raw.policy!.length).toBeGreaterThan(moves.length);
  });

  it('moves VIX against the market', () => {
    const vix = new Map(raw.macro.vix!.points.map((p) => [p.date, p.value]));
    const dates = raw.prices.AAPL.map((b) => b.date);
    const market = dates.slice(1).map((_, i) => {
      const r = config.tickers.map((t) => Math.log(raw.prices[t][i + 1].close / raw.prices[t][i].close));
      return r.reduce((a, b) => a + b, 0) / r.length;
    });
    const dVix = dates.slice(1).map((d, i) => vix.get(d)! - vix.get(dates[i])!);
    expect(sampleCorrelation(market, dVix)).toBeLessThan(-0.3);
  });
});
