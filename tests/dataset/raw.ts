/** Hand-made raw data for the dataset tests: one ticker on the real trading calendar, simple closes. */
import { tradingDays, tradingDaysBefore } from '../../src-main/core/dataset/calendar';
import { resolveDatasetConfig } from '../../src-main/core/dataset';
import type { DatasetConfig, PriceBar, RawData } from '../../src-main/core/types';

/** Bars from 70 trading days before `start` to `end`: close 100 + 0.1·i, open = close, high/low ±1, volume 1000 + i. */
export function handBars(start: string, end: string, warmup = 70): PriceBar[] {
  return tradingDays(tradingDaysBefore(start, warmup), end).map((date, i) => {
    const close = 100 + 0.1 * i;
    return { date, open: close, high: close + 1, low: close - 1, close, volume: 1000 + i };
  });
}

export function handRaw(bars: PriceBar[], extra: Partial<RawData> = {}): RawData {
  return { source: 'csv', prices: { TEST: bars }, news: null, macro: {}, policy: null, repairs: [], ...extra };
}

export function handConfig(start: string, end: string, extra: Partial<DatasetConfig> = {}): DatasetConfig {
  return resolveDatasetConfig({ source: 'csv', prices: '/hand-made', tickers: ['TEST'], start, end, ...extra });
}
