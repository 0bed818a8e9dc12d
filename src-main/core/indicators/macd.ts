import { emaFrom } from './moving-average';
import { checkPeriod, nulls } from './period';

export interface MacdResult {
  macd: (number | null)[];
  signal: (number | null)[];
  histogram: (number | null)[];
}

/**
 * MACD with TA-Lib's alignment: both EMAs start at bar slow−1 (the fast one is seeded with the SMA of the
 * `fast` closes ending there, not of the first closes), the signal line is an EMA of the MACD line seeded
 * with the SMA of its first `signal` values, and nothing is emitted before bar (slow−1)+(signal−1) — 33 for
 * 12/26/9.
 */
export function macd(values: number[], fast = 12, slow = 26, signal = 9): MacdResult {
  checkPeriod('MACD fast', fast);
  checkPeriod('MACD slow', slow);
  checkPeriod('MACD signal', signal, 1);
  // TA-Lib swaps the periods when given in the wrong order.
  if (slow < fast) [fast, slow] = [slow, fast];
  const n = values.length;
  const result: MacdResult = { macd: nulls(n), signal: nulls(n), histogram: nulls(n) };
  const lineStart = slow - 1;
  const firstOut = lineStart + signal - 1;
  if (firstOut >= n) return result;

  const fastEma = emaFrom(values, fast, slow - fast);
  const slowEma = emaFrom(values, slow, 0);
  const line = new Array<number>(n).fill(0);
  for (let i = lineStart; i < n; i++) line[i] = (fastEma[i] as number) - (slowEma[i] as number);
  const signalEma = emaFrom(line, signal, lineStart);
  for (let i = firstOut; i < n; i++) {
    const s = signalEma[i] as number;
    result.macd[i] = line[i];
    result.signal[i] = s;
    result.histogram[i] = line[i] - s;
  }
  return result;
}
