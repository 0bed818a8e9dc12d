import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { addMonths, isTradingDay, parseIsoDate, tradingDays, tradingDaysBefore } from '../../src-main/core/dataset/calendar';

const nyse = readFileSync(new URL('../fixtures/dataset/nyse_trading_days_2020-2025.txt', import.meta.url), 'utf8').trim().split('\n');

describe('trading calendar', () => {
  it('matches the days the NYSE traded 2020-01-02 … 2025-12-02, except the one-off closure 2025-01-09', () => {
    const mine = tradingDays('2020-01-02', '2025-12-02');
    expect(nyse).toHaveLength(1488);
    expect(mine.filter((d) => !nyse.includes(d))).toEqual(['2025-01-09']);
    expect(nyse.filter((d) => !mine.includes(d))).toEqual([]);
  });

  it('knows weekends and the regular holidays', () => {
    expect(isTradingDay('2024-11-28')).toBe(false); // Thanksgiving
    expect(isTradingDay('2024-11-29')).toBe(true); // half day, still a trading day
    expect(isTradingDay('2024-03-29')).toBe(false); // Good Friday
    expect(isTradingDay('2022-06-20')).toBe(false); // Juneteenth observed on Monday
    expect(isTradingDay('2021-12-31')).toBe(true); // New Year on a Saturday is not observed on Friday
    expect(isTradingDay('2024-11-30')).toBe(false);
  });

  it('counts trading days back for the warm-up', () => {
    expect(tradingDaysBefore('2024-12-02', 1)).toBe('2024-11-29');
    expect(tradingDaysBefore('2024-12-02', 3)).toBe('2024-11-26'); // skips the weekend and Thanksgiving
  });

  it('parses only real ISO dates and adds months with clamping', () => {
    expect(parseIsoDate('2024-02-29')).not.toBeNull();
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('2024-1-5')).toBeNull();
    expect(addMonths('2024-10-01', 2)).toBe('2024-12-01');
    expect(addMonths('2024-07-01', 4)).toBe('2024-11-01');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2024-12-15', -13)).toBe('2023-11-15');
  });
});
