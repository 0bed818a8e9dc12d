/**
 * The trading read-out with what a researcher looks at first: long the next day when "up" is predicted,
 * flat otherwise, `costBps` paid on every change of position (entering buy-and-hold pays it once), against
 * buy-and-hold over the same days — per ticker and for an equal-weight portfolio, with equity curves.
 *
 * Conventions (the same as evaluation/trading.ts, so the cumulative returns agree with it): the position for
 * day t → t+1 is set at the close of t from the prediction for t; the return is close(t+1)/close(t) − 1 of
 * the same ticker (daily, whatever the horizon); nothing is charged for a final exit. The portfolio puts
 * 1/N of the capital in each ticker at the start and does not rebalance, so its value is the mean of the
 * tickers' values.
 */
import type { Dataset } from '../types';

const CLOSE = 3; // index of `close` in FEATURE_NAMES

export interface EquityPoint {
  date: string;
  strategy: number;
  buy_and_hold: number;
}

export interface TradingStats {
  /** days with a next-day return in the read-out */
  days: number;
  cumulative_return: number;
  /** share of long days whose next-day return was positive; null without a long day */
  hit_rate: number | null;
  /** largest fall from a running peak of the equity curve, as a positive fraction */
  max_drawdown: number;
  /** share of days held long */
  exposure: number;
  /** position changes (each one paid costBps) */
  trades: number;
  buy_and_hold_return: number;
  buy_and_hold_max_drawdown: number;
}

export interface TickerTrading extends TradingStats {
  ticker: string;
  /** value of 1 invested: first point at the first sample date (1, 1), then one point per following close */
  equity: EquityPoint[];
}

export interface TradingReport {
  cost_bps: number;
  per_ticker: TickerTrading[];
  portfolio: TradingStats & { equity: EquityPoint[]; tickers: number };
}

export function maxDrawdown(values: readonly number[]): number {
  let peak = -Infinity;
  let worst = 0;
  for (const v of values) {
    peak = Math.max(peak, v);
    if (peak > 0) worst = Math.max(worst, 1 - v / peak);
  }
  return worst;
}

interface Day {
  row: number;
  long: boolean;
}

/** One ticker's read-out, with its raw long-day counts for the portfolio's pooled hit rate. */
function tickerTrading(ds: Dataset, ticker: string, days: Day[], cost: number): { read: TickerTrading; hits: number; held: number } | null {
  days.sort((a, b) => a.row - b.row);
  let strat = 1;
  let hold = 1;
  let pos = 0;
  let held = 0;
  let hits = 0;
  let trades = 0;
  let count = 0;
  const equity: EquityPoint[] = [];
  for (const { row, long } of days) {
    const next = ds.rows[row + 1];
    if (!next || next.ticker !== ticker) continue;
    if (equity.length === 0) equity.push({ date: ds.rows[row].date, strategy: 1, buy_and_hold: 1 });
    const r = next.features[CLOSE] / ds.rows[row].features[CLOSE] - 1;
    const want = long ? 1 : 0;
    if (want !== pos) {
      strat *= 1 - cost;
      trades++;
    }
    pos = want;
    if (pos === 1) {
      strat *= 1 + r;
      held++;
      if (r > 0) hits++;
    }
    if (count === 0) hold *= 1 - cost;
    hold *= 1 + r;
    count++;
    equity.push({ date: next.date, strategy: strat, buy_and_hold: hold });
  }
  if (count === 0) return null;
  const read: TickerTrading = {
    ticker,
    days: count,
    cumulative_return: strat - 1,
    hit_rate: held > 0 ? hits / held : null,
    max_drawdown: maxDrawdown(equity.map((p) => p.strategy)),
    exposure: held / count,
    trades,
    buy_and_hold_return: hold - 1,
    buy_and_hold_max_drawdown: maxDrawdown(equity.map((p) => p.buy_and_hold)),
    equity,
  };
  return { read, hits, held };
}

/** Equal-weight, never rebalanced: on each date the mean of the tickers' values (a ticker is 1 before its first point and keeps its last value after its last). */
function portfolioCurve(tickers: readonly TickerTrading[]): EquityPoint[] {
  const dates = [...new Set(tickers.flatMap((t) => t.equity.map((p) => p.date)))].sort();
  const cursor = tickers.map(() => -1);
  return dates.map((date) => {
    let strategy = 0;
    let hold = 0;
    tickers.forEach((t, k) => {
      while (cursor[k] + 1 < t.equity.length && t.equity[cursor[k] + 1].date <= date) cursor[k]++;
      const p = cursor[k] >= 0 ? t.equity[cursor[k]] : { strategy: 1, buy_and_hold: 1 };
      strategy += p.strategy;
      hold += p.buy_and_hold;
    });
    return { date, strategy: strategy / tickers.length, buy_and_hold: hold / tickers.length };
  });
}

/**
 * `keys[i]`/`pred[i]`: a validation sample and its predicted class (2 = up). Samples whose (ticker, date) is
 * not in the dataset are ignored.
 */
export function tradingReport(ds: Dataset, keys: readonly { ticker: string; date: string }[], pred: readonly number[], costBps = 5): TradingReport {
  if (keys.length !== pred.length) throw new Error(`tradingReport: ${keys.length} samples vs ${pred.length} predictions`);
  const index = new Map<string, number>();
  ds.rows.forEach((r, i) => index.set(`${r.ticker}|${r.date}`, i));
  const byTicker = new Map<string, Day[]>();
  keys.forEach((k, i) => {
    const row = index.get(`${k.ticker}|${k.date}`);
    if (row === undefined) return;
    const list = byTicker.get(k.ticker) ?? [];
    list.push({ row, long: pred[i] === 2 });
    byTicker.set(k.ticker, list);
  });
  const cost = costBps / 10_000;
  const perTicker: TickerTrading[] = [];
  let hits = 0;
  let held = 0;
  for (const [ticker, days] of [...byTicker].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const t = tickerTrading(ds, ticker, days, cost);
    if (!t) continue;
    hits += t.hits;
    held += t.held;
    perTicker.push(t.read);
  }
  const equity = portfolioCurve(perTicker);
  const last = equity.at(-1) ?? { strategy: 1, buy_and_hold: 1 };
  const n = perTicker.length;
  const meanOf = (f: (t: TickerTrading) => number): number => (n === 0 ? 0 : perTicker.reduce((a, t) => a + f(t), 0) / n);
  return {
    cost_bps: costBps,
    per_ticker: perTicker,
    portfolio: {
      tickers: n,
      days: perTicker.reduce((a, t) => a + t.days, 0),
      cumulative_return: last.strategy - 1,
      hit_rate: held > 0 ? hits / held : null,
      max_drawdown: maxDrawdown(equity.map((p) => p.strategy)),
      exposure: meanOf((t) => t.exposure),
      trades: perTicker.reduce((a, t) => a + t.trades, 0),
      buy_and_hold_return: last.buy_and_hold - 1,
      buy_and_hold_max_drawdown: maxDrawdown(equity.map((p) => p.buy_and_hold)),
      equity,
    },
  };
}
