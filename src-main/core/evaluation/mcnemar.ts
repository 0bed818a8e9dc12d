/** McNemar's test on the disagreements of two classifiers scored on the same samples. */
import { errorFunction } from 'simple-statistics';

export interface McNemarResult {
  /** A right, B wrong */
  b: number;
  /** A wrong, B right */
  c: number;
  /** continuity-corrected chi-square statistic (|b−c|−1)²/(b+c); 0 when b+c = 0 */
  statistic: number;
  p: number;
  method: 'exact' | 'chi2';
}

/** Two-sided exact binomial p-value for min(b,c) out of n = b+c under p = 1/2. */
function exactP(b: number, c: number): number {
  const n = b + c;
  const k = Math.min(b, c);
  let coef = 1; // C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    tail += coef;
    coef = (coef * (n - i)) / (i + 1);
  }
  return Math.min(1, (2 * tail) / 2 ** n);
}

export function mcnemar(yTrue: readonly number[], predA: readonly number[], predB: readonly number[]): McNemarResult {
  if (yTrue.length !== predA.length || yTrue.length !== predB.length) {
    throw new Error('mcnemar: label and prediction arrays differ in length');
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const aOk = predA[i] === yTrue[i];
    const bOk = predB[i] === yTrue[i];
    if (aOk && !bOk) b++;
    else if (!aOk && bOk) c++;
  }
  return mcnemarFromCounts(b, c);
}

/** Exact binomial test when b+c < 25 (the chi-square approximation is poor there), else chi-square(1) with continuity correction. */
export function mcnemarFromCounts(b: number, c: number): McNemarResult {
  const n = b + c;
  if (n === 0) return { b, c, statistic: 0, p: 1, method: 'exact' };
  const statistic = (Math.abs(b - c) - 1) ** 2 / n;
  if (n < 25) return { b, c, statistic, p: exactP(b, c), method: 'exact' };
  // Survival of chi-square with 1 df: P(X > s) = erfc(sqrt(s/2)).
  const p = 1 - errorFunction(Math.sqrt(statistic / 2));
  return { b, c, statistic, p: Math.min(1, Math.max(0, p)), method: 'chi2' };
}
