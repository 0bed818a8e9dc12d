/**
 * A deliberately simple trading read-out on the validation days: hold the stock for the next
 * day when "up" is predicted, stay flat otherwise, pay `costBps` on every change of position;
 * compared with buy-and-hold of the same ticker over the same days.
 */
import type { Dataset } from '../types';

const CLOSE = 3; // index of `close` in FEATURE_NAMES

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

/**
 * `keys[i]`/`pred[i]`: a validation sample and its predicted class (2 = up). Next-day returns are
 * taken from consecutive closes of the same ticker, so the read-out is daily whatever the horizon.
 */
export function tradingReadout(
  ds: Dataset,
  keys: readonly { ticker: string; date: string }[],
  pred: readonly number[],
  costBps = 5,
): TradingReadout {
  const index = new Map<string, number>();
  ds.rows.forEach((r, i) => index.set(`${r.ticker}|${r.date}`, i));
  const cost = costBps / 10_000;
  const byTicker = new Map<string, { row: number; long: boolean }[]>();
  keys.forEach((k, i) => {
    const row = index.get(`${k.ticker}|${k.date}`);
    if (row === undefined) return;
    const list = byTicker.get(k.ticker) ?? [];
    list.push({ row, long: pred[i] === 2 });
    byTicker.set(k.ticker, list);
  });

  const perTicker: TickerReadout[] = [];
  for (const [ticker, list] of byTicker) {
    list.sort((a, b) => a.row - b.row);
    let strat = 1;
    let hold = 1;
    let pos = 0;
    let held = 0;
    let days = 0;
    for (const { row, long } of list) {
      const next = ds.rows[row + 1];
      if (!next || next.ticker !== ticker) continue;
      const r = next.features[CLOSE] / ds.rows[row].features[CLOSE] - 1;
      const want = long ? 1 : 0;
      if (want !== pos) strat *= 1 - cost;
      pos = want;
      if (pos === 1) {
        strat *= 1 + r;
        held++;
      }
      if (days === 0) hold *= 1 - cost;
      hold *= 1 + r;
      days++;
    }
    if (days === 0) continue;
    perTicker.push({ ticker, days, exposure: held / days, strategy_return: strat - 1, buy_and_hold_return: hold - 1 });
  }
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
