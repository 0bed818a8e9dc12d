import { describe, expect, it } from 'vitest';
import { loadCsvSource } from '../../src-main/core/sources/csv';
import type { PriceBar } from '../../src-main/core/types';
import { csvConfig, fixture, refusal } from './helpers';

const load = (folder: string, tickers = ['AAPL']) =>
  loadCsvSource(csvConfig({ tickers, prices: fixture('malformed', folder) }), '2024-11-01');

// The 7 real AAPL rows every malformed fixture starts from (date, close, adj_close, volume).
const REAL: [string, number, number, number][] = [
  ['2024-11-20', 229.0, 227.96896362304688, 35169600],
  ['2024-11-21', 228.52000427246094, 227.4911346435547, 42108300],
  ['2024-11-22', 229.8699951171875, 228.83502197265625, 38168300],
  ['2024-11-25', 232.8699951171875, 231.82151794433594, 90152800],
  ['2024-11-26', 235.05999755859375, 234.00167846679688, 45986200],
  ['2024-11-27', 234.92999267578125, 233.8722381591797, 33498400],
  ['2024-11-29', 237.3300018310547, 236.26144409179688, 28481400],
];
const adjusted = (bars: PriceBar[]) => bars.map((b) => [b.date, b.close, b.volume]);
const EXPECTED_ADJUSTED = REAL.map(([d, , adj, v]) => [d, adj, v]);

describe('csv prices: repaired variants', () => {
  it('Yahoo header with a BOM, file name in another case', async () => {
    const raw = await load('yahoo_header');
    expect(adjusted(raw.prices.AAPL)).toEqual(EXPECTED_ADJUSTED);
    expect(raw.repairs).toEqual([]);
  });

  it('reordered, mixed-case columns with an extra one read the same values', async () => {
    const [reordered, yahoo] = await Promise.all([load('reordered'), load('yahoo_header')]);
    expect(reordered.prices.AAPL).toEqual(yahoo.prices.AAPL);
    expect(reordered.repairs).toEqual([]);
  });

  it('a Yahoo null row is dropped and noted', async () => {
    const raw = await load('null_rows');
    expect(adjusted(raw.prices.AAPL)).toEqual(EXPECTED_ADJUSTED);
    expect(raw.repairs).toEqual(['AAPL.csv: dropped 1 row with null values (line 7)']);
  });

  it('descending dates are sorted and noted', async () => {
    const raw = await load('descending');
    expect(adjusted(raw.prices.AAPL)).toEqual(EXPECTED_ADJUSTED);
    expect(raw.repairs).toEqual(['AAPL.csv: dates were in descending order; sorted ascending']);
  });

  it('a duplicate date keeps the last row and notes the dropped line', async () => {
    const raw = await load('duplicates');
    expect(adjusted(raw.prices.AAPL)).toEqual(EXPECTED_ADJUSTED); // volume 38168300, not the stale 1000
    expect(raw.repairs).toEqual(['AAPL.csv: 1 duplicate date; kept the last row of each (dropped line 4)']);
  });

  it('quoted thousands separators are read as numbers', async () => {
    const raw = await load('thousands');
    expect(adjusted(raw.prices.AAPL)).toEqual(EXPECTED_ADJUSTED);
    expect(raw.repairs).toEqual(['AAPL.csv: removed thousands separators from numbers (first on line 2)']);
  });

  it('no Adj Close: Close is used unscaled, and noted', async () => {
    const raw = await load('no_adj');
    expect(adjusted(raw.prices.AAPL)).toEqual(REAL.map(([d, close, , v]) => [d, close, v]));
    expect(raw.prices.AAPL[0].open).toBe(228.05999755859375);
    expect(raw.repairs).toEqual(['AAPL.csv: no Adj Close column; using Close (prices not adjusted for dividends)']);
  });
});

describe('csv prices: a comma after the last value', () => {
  it('is an empty extra cell: dropped and noted, values unchanged', async () => {
    const raw = await load('trailing_comma');
    expect(adjusted(raw.prices.AAPL)).toEqual(EXPECTED_ADJUSTED);
    expect(raw.repairs).toEqual(['AAPL.csv: dropped empty cells after the last column (lines 2, 3)']);
  });
});

describe('csv prices: refused with file and line', () => {
  const cases: [string, number | undefined, RegExp][] = [
    ['empty', 1, /file is empty/],
    ['header_only', 1, /header but no data rows/],
    ['non_numeric', 4, /non-numeric value "#N\/A" in column "close"/],
    ['missing_column', 1, /missing required column "volume"/],
    ['missing_value', 3, /missing value in column "close"/],
    ['bad_date', 5, /invalid date "2024-11-31"/],
    ['adj_gap', 6, /missing value in column "adj close"/],
    ['bad_quote', 4, /not a readable CSV file \(Quote Not Closed\)/],
    ['zero_price', 7, /low must be positive, got 0/],
    ['unquoted_thousands', 4, /has 9 values where the header has 7 columns — an unquoted thousands separator/],
    ['swapped_high_low', 5, /inconsistent bar: high 229\.74000549316406, low 233\.25.*columns swapped\?/],
  ];
  for (const [folder, line, message] of cases) {
    it(folder, async () => {
      const err = await refusal(load(folder));
      expect(err.code).toBe('BAD_INPUT');
      expect(err.file).toBe(fixture('malformed', folder, 'AAPL.csv'));
      expect(err.line).toBe(line);
      expect(err.message).toMatch(message);
      expect(err.message.startsWith(`${err.file}:${line}: `)).toBe(true);
    });
  }

  it('a requested ticker without a file', async () => {
    const err = await refusal(loadCsvSource(csvConfig({ tickers: ['AAPL', 'NVDA'], prices: fixture('prices') }), '2024-11-01'));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.file).toBe(fixture('prices', 'NVDA.csv'));
    expect(err.line).toBeUndefined();
    expect(err.message).toMatch(/no price file for ticker NVDA \(expected NVDA\.csv\)/);
  });

  it('a missing prices folder, and no prices folder at all', async () => {
    const err = await refusal(loadCsvSource(csvConfig({ prices: fixture('no-such-folder') }), '2024-11-01'));
    expect([err.code, err.file, err.message]).toEqual(['BAD_INPUT', fixture('no-such-folder'), `${fixture('no-such-folder')}: prices folder not found`]);
    const none = await refusal(loadCsvSource(csvConfig({}), '2024-11-01'));
    expect(none.message).toBe('the csv source needs a prices folder');
  });

  it('no bars between warmupStart and end', async () => {
    const err = await refusal(loadCsvSource(csvConfig({ prices: fixture('prices'), end: '2024-12-31' }), '2024-12-01'));
    expect(err.file).toBe(fixture('prices', 'AAPL.csv'));
    expect(err.message).toMatch(/no bars between 2024-12-01 and 2024-12-31 \(the file covers 2024-06-03 … 2024-11-29\)/);
  });

  it('bad dates in the request', async () => {
    await expect(loadCsvSource(csvConfig({ prices: fixture('prices') }), '2024-13-01')).rejects.toThrow(/warm-up start date "2024-13-01"/);
    await expect(loadCsvSource(csvConfig({ prices: fixture('prices'), end: '2024-01-01' }), '2024-02-01')).rejects.toThrow(/after the end date/);
  });
});
