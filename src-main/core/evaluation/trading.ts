/**
 * The first, compact trading read-out (`trading` in training_summary.json, kept for older readers):
 * per ticker and as an equal-weight mean, derived from the full report in research/trading.ts so the
 * two can never disagree.
 */
import { tradingReport } from '../research/trading';
import type { Dataset } from '../types';

export interface TickerReadout {
  ticker: string;
  days: number;
  exposure: number; // share of days held long
  strategy_return: number; // compounded
  buy_and_hold_return: number;
}

export interface TradingReadout {
  cost_bps: number;
  days: number;
  /** equal-weight mean over tickers */
  strategy_return: number;
  buy_and_hold_return: number;
  exposure: number;
  per_ticker: TickerReadout[];
}

/** `keys[i]`/`pred[i]`: a validation sample and its predicted class (2 = up). */
export function tradingReadout(
  ds: Dataset,
  keys: readonly { ticker: string; date: string }[],
  pred: readonly number[],
  costBps = 5,
): TradingReadout {
  const perTicker: TickerReadout[] = tradingReport(ds, keys, pred, costBps)
    .per_ticker.filter((t) => t.days > 0)
    .map((t) => ({ ticker: t.ticker, days: t.days, exposure: t.exposure, strategy_return: t.cumulative_return, buy_and_hold_return: t.buy_and_hold_return }));
  const mean = (f: (t: TickerReadout) => number): number =>
    perTicker.length === 0 ? 0 : perTicker.reduce((a, t) => a + f(t), 0) / perTicker.length;
  return {
    cost_bps: costBps,
    days: perTicker.reduce((a, t) => a + t.days, 0),
    strategy_return: mean((t) => t.strategy_return),
    buy_and_hold_return: mean((t) => t.buy_and_hold_return),
    exposure: mean((t) => t.exposure),
    per_ticker: perTicker,
  };
}
