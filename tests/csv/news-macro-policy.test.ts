import { describe, expect, it } from 'vitest';
import { loadCsvSource } from '../../src-main/core/sources/csv';
import { csvConfig, fixture, refusal } from './helpers';

const prices = fixture('prices');

describe('csv news', () => {
  it('real FinBERT file: requested tickers only, calendar days in range, relevance from article counts', async () => {
    const raw = await loadCsvSource(csvConfig({ tickers: ['AAPL', 'msft'], prices, news: fixture('news.csv') }), '2024-10-15');
    const news = raw.news!;
    expect(news.length).toBe(89); // 43 AAPL + 46 MSFT rows from 2024-10-15 to 2024-11-29; JPM left out
    expect(news.filter((d) => d.ticker === 'AAPL').length).toBe(43);
    expect(new Set(news.map((d) => d.ticker))).toEqual(new Set(['AAPL', 'msft'])); // keyed as requested
    expect(news[0]).toEqual({ date: '2024-10-15', ticker: 'AAPL', sentiment: 0.3287617868429495, count: 6, relevance: 1 });
    expect(news.at(-1)).toEqual({ date: '2024-11-29', ticker: 'msft', sentiment: -0.318673023207225, count: 8, relevance: 1 });
    expect(raw.repairs).toEqual(['news.csv: no relevance column; relevance = 1 on days with articles, 0 otherwise']);
  });

  it('header variants, lower-case tickers, empty relevance, duplicate ticker-day, blank sentiment on a no-article day', async () => {
    const raw = await loadCsvSource(csvConfig({ tickers: ['AAPL', 'MSFT'], prices, news: fixture('news_variants', 'news.csv') }), '2024-10-15');
    expect(raw.news).toEqual([
      { date: '2024-11-01', ticker: 'AAPL', sentiment: 0.4535895574911164, count: 14, relevance: 0.9 },
      { date: '2024-11-02', ticker: 'AAPL', sentiment: 0.019677653355150416, count: 3, relevance: 1 },
      { date: '2024-11-01', ticker: 'MSFT', sentiment: 0.2729458574018543, count: 12, relevance: 0.6 },
      { date: '2024-11-03', ticker: 'MSFT', sentiment: 0, count: 0, relevance: 0 },
    ]);
    expect(raw.repairs).toEqual([
      'news.csv: 2 empty relevance values; set to 1 on days with articles, 0 otherwise',
      'news.csv: 1 duplicate ticker-day; kept the last row of each (dropped line 4)',
    ]);
  });

  it('a sentiment outside [-1, 1] is refused with its line', async () => {
    const err = await refusal(loadCsvSource(csvConfig({ prices, news: fixture('news_bad', 'news.csv') }), '2024-10-15'));
    expect([err.code, err.file, err.line]).toEqual(['BAD_INPUT', fixture('news_bad', 'news.csv'), 3]);
    expect(err.message).toMatch(/sentiment 1\.7 is outside \[-1, 1\]/);
  });

  it('a missing news file is refused', async () => {
    const err = await refusal(loadCsvSource(csvConfig({ prices, news: fixture('nope.csv') }), '2024-10-15'));
    expect([err.code, err.file, err.message]).toEqual(['BAD_INPUT', fixture('nope.csv'), `${fixture('nope.csv')}: file not found`]);
  });
});

describe('csv macro', () => {
  it('FRED series by id: CPI → YoY %, frequencies, DFF preferred while it covers the end, unknown files noted', async () => {
    const raw = await loadCsvSource(csvConfig({ prices, macro: fixture('macro') }), '2024-06-03');
    const { inflation, unemployment, interest_rate, gdp_growth, vix } = raw.macro;
    expect(Object.keys(raw.macro).sort()).toEqual(['gdp_growth', 'inflation', 'interest_rate', 'unemployment', 'vix']);

    // CPIAUCSL 2024-11-01 316.528, 2023-11-01 308.148
    expect(inflation!.sourceId).toBe('CPIAUCSL');
    expect(inflation!.frequency).toBe('monthly');
    expect(inflation!.points.at(-1)).toEqual({ date: '2024-11-01', value: (316.528 / 308.148 - 1) * 100 });
    // the fixture starts 2022-01, so the first YoY value is 2023-01; kept from warmupStart − 400 days (2023-04-30)
    expect(inflation!.points[0].date).toBe('2023-05-01');
    expect(inflation!.points.length).toBe(19);

    expect(unemployment).toMatchObject({ sourceId: 'UNRATE', frequency: 'monthly' });
    expect(unemployment!.points.at(-1)).toEqual({ date: '2024-11-01', value: 4.2 });
    expect(gdp_growth).toMatchObject({ sourceId: 'A191RL1Q225SBEA', frequency: 'quarterly' });
    expect(gdp_growth!.points.map((p) => p.date)).toEqual(['2023-07-01', '2023-10-01', '2024-01-01', '2024-04-01', '2024-07-01', '2024-10-01']);
    expect(gdp_growth!.points.at(-1)!.value).toBe(2.3);
    expect(interest_rate).toMatchObject({ sourceId: 'DFF', frequency: 'daily' });
    expect(interest_rate!.points.find((p) => p.date === '2024-11-01')!.value).toBe(4.83);
    expect(interest_rate!.points.at(-1)).toEqual({ date: '2024-11-29', value: 4.58 });
    expect(vix).toMatchObject({ sourceId: 'VIXCLS', frequency: 'daily' });
    expect(vix!.points.at(-1)).toEqual({ date: '2024-11-29', value: 13.51 });
    expect(vix!.points.some((p) => p.date === '2024-03-29')).toBe(false); // empty (Good Friday) skipped

    expect(raw.repairs).toEqual([
      'DGS10.csv: not a recognised macro series; ignored',
      'VIXCLS.csv: skipped 6 empty values',
      'DFF.csv: used for interest_rate; ignored FEDFUNDS.csv',
      'policy: no policy file; 2 events derived from DFF moves of at least 0.20 points',
    ]);
    // DFF moves in the fixture: 2024-09-19 −0.50, 2024-11-08 −0.25 (and 2024-12-19, after the end)
    expect(raw.policy).toEqual([
      { date: '2024-09-19', count: 1, impact: -0.5 },
      { date: '2024-11-08', count: 1, impact: -0.25 },
    ]);
  });

  it('FEDFUNDS is used instead of DFF when only FEDFUNDS covers the end date', async () => {
    // DFF in the fixture ends 2025-01-01; FEDFUNDS runs to 2025-06. Prices end 2024-11-29, which is fine.
    const raw = await loadCsvSource(csvConfig({ prices, macro: fixture('macro'), end: '2025-01-15' }), '2024-06-03');
    expect(raw.macro.interest_rate).toMatchObject({ sourceId: 'FEDFUNDS', frequency: 'monthly' });
    expect(raw.macro.interest_rate!.points.at(-1)).toEqual({ date: '2025-01-01', value: 4.33 });
    expect(raw.repairs).toContain('FEDFUNDS.csv: used for interest_rate (DFF.csv ends 2025-01-01, before 2025-01-15); ignored DFF.csv');
    // On 2024-12-31 DFF still reaches the end, so it is kept.
    const dec = await loadCsvSource(csvConfig({ prices, macro: fixture('macro'), end: '2024-12-31' }), '2024-06-03');
    expect(dec.macro.interest_rate!.sourceId).toBe('DFF');
  });

  it('raw FRED header (observation_date,<ID>) and empty values; monthly policy events dated when the month is known', async () => {
    const raw = await loadCsvSource(csvConfig({ prices, macro: fixture('macro_fred_raw'), end: '2024-11-29' }), '2024-06-03');
    expect(raw.macro.interest_rate!.points.map((p) => p.value)).toEqual([5.33, 5.33, 5.33, 5.33, 5.33, 5.33, 5.33, 5.33, 5.13, 4.83, 4.64]);
    expect(raw.macro.vix).toBeUndefined(); // the VIXCLS cut is 2024-12-16 … 31, after the end
    // FEDFUNDS 2024-09 5.13 (−0.20 vs Aug), 2024-10 4.83 (−0.30); 2024-11 4.64 (−0.19, below the threshold)
    expect(raw.policy).toEqual([
      { date: '2024-10-01', count: 1, impact: -0.2 },
      { date: '2024-11-01', count: 1, impact: -0.3 },
    ]);
    expect(raw.repairs).toEqual([
      'VIXCLS.csv: skipped 1 empty value',
      'VIXCLS.csv: no values between 2023-04-30 and 2024-11-29; vix will be filled',
      'policy: no policy file; 2 events derived from FEDFUNDS moves of at least 0.20 points',
    ]);
  });

  it('files named by feature: frequency inferred from date spacing, values used as given', async () => {
    const raw = await loadCsvSource(csvConfig({ prices, macro: fixture('macro_named') }), '2024-06-03');
    expect(raw.macro.gdp_growth).toMatchObject({ sourceId: 'gdp_growth', frequency: 'quarterly' });
    expect(raw.macro.gdp_growth!.points.length).toBe(6);
    expect(raw.macro.unemployment).toMatchObject({ sourceId: 'unemployment', frequency: 'monthly' });
    expect(raw.macro.unemployment!.points.at(-1)).toEqual({ date: '2024-11-01', value: 4.2 });
    expect(raw.macro.vix).toMatchObject({ sourceId: 'vix', frequency: 'daily' });
    expect(raw.macro.vix!.points.length).toBe(10); // FRED has a VIX value on Thanksgiving 2024-11-28 (13.90)
    expect(raw.macro.inflation).toBeUndefined();
    expect(raw.policy).toBeNull(); // no policy file and no interest-rate series
    expect(raw.repairs).toEqual(['notes.txt: not a recognised macro series; ignored']);
  });

  it('a non-numeric macro value is refused with its line', async () => {
    const err = await refusal(loadCsvSource(csvConfig({ prices, macro: fixture('macro_bad') }), '2024-06-03'));
    expect([err.code, err.file, err.line]).toEqual(['BAD_INPUT', fixture('macro_bad', 'CPIAUCSL.csv'), 5]);
    expect(err.message).toMatch(/non-numeric value "#N\/A"/);
  });
});

describe('csv policy file', () => {
  it('is read as given (events in range) instead of being derived', async () => {
    const raw = await loadCsvSource(csvConfig({ prices, macro: fixture('macro'), policy: fixture('policy.csv') }), '2024-06-03');
    expect(raw.policy).toEqual([
      { date: '2024-09-18', count: 1, impact: -0.5 },
      { date: '2024-11-07', count: 1, impact: -0.25 },
    ]);
    expect(raw.repairs.some((r) => r.startsWith('policy:'))).toBe(false);
  });
});
