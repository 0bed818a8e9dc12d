import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bollinger, ema, macd, rsi, sma, WARMUP_BARS } from '../../src-main/core/indicators';
import { WorkbenchError } from '../../src-main/core/errors';

type Series = (number | null)[];
interface Reference {
  params: Record<string, number | string>;
  input: number[];
  expected: Record<string, Series>;
  expected_lookback: number;
  published_checkpoints?: Record<string, number | string>[];
}

const fixtures = fileURLToPath(new URL('../fixtures/indicators', import.meta.url));
const load = (name: string): Reference => JSON.parse(readFileSync(path.join(fixtures, name), 'utf8')) as Reference;

/** Same nulls at the same places, and every value within 1e-6 relative (1e-9 absolute near zero). */
function expectSeries(actual: Series, expected: Series): void {
  expect(actual.length).toBe(expected.length);
  const nullsActual = actual.flatMap((v, i) => (v === null ? [i] : []));
  const nullsExpected = expected.flatMap((v, i) => (v === null ? [i] : []));
  expect(nullsActual).toEqual(nullsExpected);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    if (e === null) continue;
    const a = actual[i] as number;
    worst = Math.max(worst, Math.abs(a - e) / Math.max(1e-3, Math.abs(e)));
  }
  expect(worst).toBeLessThan(1e-6);
}

const firstValueIndex = (s: Series): number => s.findIndex((v) => v !== null);

for (const set of ['talib_ref252', 'AAPL_2023_2024_talib']) {
  describe(`TA-Lib reference ${set}`, () => {
    it('SMA', () => {
      const ref = load(`SMA__${set}.json`);
      const out = sma(ref.input, Number(ref.params.timePeriod));
      expectSeries(out, ref.expected.sma);
      expect(firstValueIndex(out)).toBe(ref.expected_lookback);
    });
    it('EMA', () => {
      const ref = load(`EMA__${set}.json`);
      const out = ema(ref.input, Number(ref.params.timePeriod));
      expectSeries(out, ref.expected.ema);
      expect(firstValueIndex(out)).toBe(ref.expected_lookback);
    });
    it('RSI', () => {
      const ref = load(`RSI__${set}.json`);
      const out = rsi(ref.input, Number(ref.params.timePeriod));
      expectSeries(out, ref.expected.rsi);
      expect(firstValueIndex(out)).toBe(14);
    });
    it('MACD 12/26/9', () => {
      const ref = load(`MACD__${set}.json`);
      const out = macd(ref.input, 12, 26, 9);
      expectSeries(out.macd, ref.expected.macd);
      expectSeries(out.signal, ref.expected.signal);
      expectSeries(out.histogram, ref.expected.hist);
      expect(firstValueIndex(out.macd)).toBe(33);
      expect(firstValueIndex(out.signal)).toBe(33);
    });
    it('BBANDS 20/2', () => {
      const ref = load(`BBANDS__${set}.json`);
      const out = bollinger(ref.input, 20, 2);
      expectSeries(out.upper, ref.expected.upper);
      expectSeries(out.middle, ref.expected.middle);
      expectSeries(out.lower, ref.expected.lower);
      expect(firstValueIndex(out.middle)).toBe(19);
    });
  });
}

describe("TA-Lib's published regression checkpoints (ref252 series)", () => {
  // The tables are rounded or truncated to 2–4 decimals.
  const near = (a: number | null, b: number, tol = 0.01): void => {
    expect(a).not.toBeNull();
    expect(Math.abs((a as number) - b)).toBeLessThanOrEqual(tol);
  };

  it('SMA(30) and SMA(2), EMA(10) and EMA(2)', () => {
    for (const [file, fn] of [['SMA__talib_ref252.json', sma], ['EMA__talib_ref252.json', ema]] as const) {
      const ref = load(file);
      expect(ref.published_checkpoints?.length).toBeGreaterThan(0);
      for (const cp of ref.published_checkpoints ?? []) {
        near(fn(ref.input, Number(cp.period))[Number(cp.inputIndex)], Number(cp.value));
      }
    }
  });

  it('RSI(14): 49.14, 52.32, 46.07 at bars 14–16 and 49.63 at bar 251', () => {
    const ref = load('RSI__talib_ref252.json');
    const out = rsi(ref.input, 14);
    near(out[14], 49.14);
    near(out[15], 52.32);
    near(out[16], 46.07);
    near(out[251], 49.63);
  });

  it('MACD(12,26,9) at bar 33: -1.9738 / -2.7071 / 0.7333', () => {
    const ref = load('MACD__talib_ref252.json');
    const out = macd(ref.input);
    near(out.macd[33], -1.9738, 1e-4);
    near(out.signal[33], -2.7071, 1e-4);
    near(out.histogram[33], 0.7333, 1e-4);
    expect(out.macd[32]).toBeNull();
  });

  it('BBANDS(20,2) at bar 19: 98.0734 / 92.8910 / 87.7086', () => {
    const ref = load('BBANDS__talib_ref252.json');
    const out = bollinger(ref.input);
    near(out.upper[19], 98.0734, 1e-4);
    near(out.middle[19], 92.891, 1e-4);
    near(out.lower[19], 87.7086, 1e-4);
  });
});

describe('hand-checkable cases', () => {
  it('SMA and EMA on 1..5', () => {
    expect(sma([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
    // seed (1+2+3)/3 = 2, then 2 + 0.5·(4−2) = 3, 3 + 0.5·(5−3) = 4
    expect(ema([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
  });

  it('RSI is 100 on a rising series and 0 (TA-Lib) on a flat one', () => {
    expect(rsi([1, 2, 3, 4], 2)).toEqual([null, null, 100, 100]);
    expect(rsi([5, 5, 5, 5], 2)).toEqual([null, null, 0, 0]);
  });

  it('Bollinger on a flat window has zero width; on [1,2,3,4] std is the population one', () => {
    expect(bollinger([7, 7, 7], 3, 2)).toEqual({ upper: [null, null, 7], middle: [null, null, 7], lower: [null, null, 7] });
    const b = bollinger([1, 2, 3, 4], 4, 1);
    expect(b.middle[3]).toBe(2.5);
    expect(b.upper[3]).toBeCloseTo(2.5 + Math.sqrt(1.25), 12); // population: sqrt(5/4), not sqrt(5/3)
  });

  it('too-short inputs give only nulls; bad periods are refused', () => {
    expect(macd(new Array(33).fill(1)).macd.every((v) => v === null)).toBe(true);
    expect(macd(new Array(34).fill(1)).macd[33]).toBe(0);
    expect(rsi([1, 2], 14)).toEqual([null, null]);
    expect(ema([], 5)).toEqual([]);
    expect(() => sma([1, 2, 3], 1)).toThrow(WorkbenchError);
    expect(() => rsi([1, 2, 3], 2.5)).toThrow(/integer/);
  });

  it('WARMUP_BARS covers MACD 12/26/9', () => {
    expect(WARMUP_BARS).toBeGreaterThanOrEqual(33);
  });
});
