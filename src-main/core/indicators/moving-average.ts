import { checkPeriod, nulls } from './period';

/** Simple moving average; first value at index period-1 (TA-Lib lookback period-1). */
export function sma(values: number[], period: number): (number | null)[] {
  checkPeriod('SMA', period);
  const out = nulls(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (i >= period) sum -= values[i - period];
    if (i >= period - 1) out[i] = sum / period;
  }
  return out;
}

/**
 * EMA over values[from..], TA-Lib style: seeded with the SMA of values[from..from+period-1], first value at
 * from+period-1, then prev + k·(x − prev) with k = 2/(period+1). `from` lets MACD start its fast EMA late,
 * as TA-Lib does.
 */
export function emaFrom(values: readonly number[], period: number, from: number): (number | null)[] {
  const out = nulls(values.length);
  const first = from + period - 1;
  if (from < 0 || first >= values.length) return out;
  let seed = 0;
  for (let i = from; i <= first; i++) seed += values[i];
  let prev = seed / period;
  out[first] = prev;
  const k = 2 / (period + 1);
  for (let i = first + 1; i < values.length; i++) {
    prev = (values[i] - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

/** Exponential moving average, TA-Lib seeding (SMA of the first `period` values, first value at index period-1). */
export function ema(values: number[], period: number): (number | null)[] {
  checkPeriod('EMA', period);
  return emaFrom(values, period, 0);
}
