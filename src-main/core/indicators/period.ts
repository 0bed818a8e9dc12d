import { WorkbenchError } from '../errors';

/** TA-Lib accepts periods from 2 up; anything else is a caller's mistake, not data to smooth over. */
export function checkPeriod(name: string, period: number, min = 2): void {
  if (!Number.isInteger(period) || period < min) {
    throw new WorkbenchError('BAD_INPUT', `${name} period must be an integer ≥ ${min}, got ${period}`);
  }
}

export function nulls(n: number): (number | null)[] {
  return new Array<number | null>(n).fill(null);
}
