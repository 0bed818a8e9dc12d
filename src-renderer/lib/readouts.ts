/**
 * Optional parts of training_summary.json the contract passes through untyped (its objects are
 * loose): the trading read-out and McNemar's disagreement counts. Read defensively: a summary
 * without them, or with another shape, simply shows nothing.
 */
import { z } from 'zod';

const TickerReadout = z.object({
  ticker: z.string(),
  days: z.number(),
  exposure: z.number(),
  strategy_return: z.number(),
  buy_and_hold_return: z.number(),
});

const Readout = z.object({
  cost_bps: z.number(),
  days: z.number(),
  strategy_return: z.number(),
  buy_and_hold_return: z.number(),
  exposure: z.number(),
  per_ticker: z.array(TickerReadout),
});
export type TradingReadout = z.infer<typeof Readout>;

const Trading = z.object({ lstm: Readout.optional(), dual_tower: Readout.optional() });

export function tradingOf(summary: unknown): { lstm?: TradingReadout; dual_tower?: TradingReadout } | null {
  const t = z.object({ trading: Trading }).safeParse(summary);
  if (!t.success) return null;
  const { lstm, dual_tower } = t.data.trading;
  return lstm || dual_tower ? t.data.trading : null;
}

/** McNemar's discordant pairs: b = only the LSTM right, c = only the dual tower right. */
export function disagreementsOf(summary: unknown): { b: number; c: number } | null {
  const r = z.object({ comparison: z.object({ mcnemar_b: z.number(), mcnemar_c: z.number() }) }).safeParse(summary);
  return r.success ? { b: r.data.comparison.mcnemar_b, c: r.data.comparison.mcnemar_c } : null;
}
