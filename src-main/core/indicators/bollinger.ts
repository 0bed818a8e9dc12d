import { sma } from './moving-average';
import { checkPeriod, nulls } from './period';

export interface BollingerResult {
  upper: (number | null)[];
  middle: (number | null)[];
  lower: (number | null)[];
}

/**
 * Bollinger bands as TA-Lib's BBANDS (SMA middle): middle ± k × population standard deviation of the
 * window. The running sums are taken around the first value so large price levels do not cancel badly.
 */
export function bollinger(values: number[], period = 20, k = 2): BollingerResult {
  checkPeriod('Bollinger', period);
  const n = values.length;
  const middle = sma(values, period);
  const upper = nulls(n);
  const lower = nulls(n);
  const shift = n > 0 ? values[0] : 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i] - shift;
    sum += d;
    sumSq += d * d;
    if (i >= period) {
      const old = values[i - period] - shift;
      sum -= old;
      sumSq -= old * old;
    }
    const mid = middle[i];
    if (mid === null) continue;
    const mean = sum / period;
    const variance = sumSq / period - mean * mean;
    // TA-Lib's TA_IS_ZERO_OR_NEG guard: rounding can leave a flat window with a tiny (even negative) variance.
    const std = variance < 1e-8 ? 0 : Math.sqrt(variance);
    upper[i] = mid + k * std;
    lower[i] = mid - k * std;
  }
  return { upper, middle, lower };
}
