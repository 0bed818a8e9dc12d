import { checkPeriod, nulls } from './period';

/** TA-Lib's TA_IS_ZERO: a flat window has no gains and no losses, and TA-Lib then reports 0. */
const isZero = (v: number): boolean => v > -1e-8 && v < 1e-8;

/**
 * Relative strength index with Wilder smoothing, seeded as TA-Lib seeds it: simple averages of the first
 * `period` changes, first value at index `period`; then avg = (avg·(period−1) + change)/period.
 * The order of operations follows TA-Lib's C code so results agree to rounding.
 */
export function rsi(values: number[], period = 14): (number | null)[] {
  checkPeriod('RSI', period);
  const out = nulls(values.length);
  if (values.length <= period) return out;
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= period; i++) {
    const change = values[i] - values[i - 1];
    if (change < 0) loss -= change;
    else gain += change;
  }
  gain /= period;
  loss /= period;
  const value = (): number => (isZero(gain + loss) ? 0 : 100 * (gain / (gain + loss)));
  out[period] = value();
  for (let i = period + 1; i < values.length; i++) {
    const change = values[i] - values[i - 1];
    gain *= period - 1;
    loss *= period - 1;
    if (change < 0) loss -= change;
    else gain += change;
    gain /= period;
    loss /= period;
    out[i] = value();
  }
  return out;
}
