import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { disagreementsOf, tradingOf } from '../../src-renderer/lib/readouts';

const summary = JSON.parse(readFileSync(new URL('../fixtures/renderer/training_summary.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('optional summary read-outs', () => {
  it('reads the trading read-out when the summary has one', () => {
    const trading = {
      lstm: {
        cost_bps: 5,
        days: 35,
        strategy_return: 0.021,
        buy_and_hold_return: 0.034,
        exposure: 0.4,
        per_ticker: [{ ticker: 'AAPL', days: 5, exposure: 0.6, strategy_return: 0.01, buy_and_hold_return: 0.02 }],
      },
    };
    const r = tradingOf({ ...summary, trading });
    expect(r?.lstm?.strategy_return).toBe(0.021);
    expect(r?.lstm?.per_ticker[0]?.ticker).toBe('AAPL');
    expect(r?.dual_tower).toBeUndefined();
  });

  it('shows nothing for a summary without it or with another shape', () => {
    expect(tradingOf(summary)).toBeNull();
    expect(tradingOf({ ...summary, trading: { lstm: { days: 'many' } } })).toBeNull();
    expect(tradingOf({ ...summary, trading: {} })).toBeNull();
  });

  it('reads McNemar disagreement counts only when both are there', () => {
    expect(disagreementsOf(summary)).toBeNull();
    expect(disagreementsOf({ comparison: { mcnemar_p: 0.41, mcnemar_b: 12, mcnemar_c: 7 } })).toEqual({ b: 12, c: 7 });
    expect(disagreementsOf({ comparison: { mcnemar_p: 0.41, mcnemar_b: 12 } })).toBeNull();
  });
});
