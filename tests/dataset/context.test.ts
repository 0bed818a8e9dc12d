import { describe, expect, it } from 'vitest';
import { buildDatasetFromRaw } from '../../src-main/core/dataset';
import { FEATURE_NAMES, type FeatureName, type Row } from '../../src-main/core/types';
import { handBars, handConfig, handRaw } from './raw';

const col = (name: FeatureName): number => FEATURE_NAMES.indexOf(name);
const on = (rows: Row[], date: string): Row => {
  const row = rows.find((r) => r.date === date);
  if (!row) throw new Error(`no row on ${date}`);
  return row;
};

describe('macro publication lag', () => {
  const config = handConfig('2024-10-15', '2024-12-31');
  const raw = handRaw(handBars(config.start, config.end), {
    macro: {
      inflation: {
        feature: 'inflation', sourceId: 'hand', frequency: 'monthly',
        points: [
          { date: '2024-09-01', value: 2.4 },
          { date: '2024-10-01', value: 2.6 },
          { date: '2024-11-01', value: 2.7 },
        ],
      },
      gdp_growth: {
        feature: 'gdp_growth', sourceId: 'hand', frequency: 'quarterly',
        points: [
          { date: '2024-04-01', value: 3.0 },
          { date: '2024-07-01', value: 2.8 },
        ],
      },
      vix: {
        feature: 'vix', sourceId: 'hand', frequency: 'daily',
        points: [
          { date: '2024-11-27', value: 14 },
          { date: '2024-11-30', value: 99 }, // a Saturday: first used on Monday
          { date: '2024-12-03', value: 15 },
        ],
      },
    },
  });
  const ds = buildDatasetFromRaw(config, raw);

  it('uses a monthly value only from one month after its month ends', () => {
    expect(on(ds.rows, '2024-10-31').features[col('inflation')]).toBe(2); // nothing published yet → neutral
    expect(on(ds.rows, '2024-11-01').features[col('inflation')]).toBe(2.4); // September, published from Nov 1
    expect(on(ds.rows, '2024-11-29').features[col('inflation')]).toBe(2.4); // October not visible yet
    expect(on(ds.rows, '2024-12-02').features[col('inflation')]).toBe(2.6); // October, from Dec 1 (a Sunday)
    expect(on(ds.rows, '2024-12-31').features[col('inflation')]).toBe(2.6); // November only from Jan 1
  });

  it('uses a quarterly value only from one month after its quarter ends', () => {
    expect(on(ds.rows, '2024-10-31').features[col('gdp_growth')]).toBe(3.0); // Q2, published Aug 1
    expect(on(ds.rows, '2024-11-01').features[col('gdp_growth')]).toBe(2.8); // Q3, published Nov 1
  });

  it('uses a daily value from its own date, forward filled', () => {
    expect(on(ds.rows, '2024-11-26').features[col('vix')]).toBe(20);
    expect(on(ds.rows, '2024-11-27').features[col('vix')]).toBe(14);
    expect(on(ds.rows, '2024-11-29').features[col('vix')]).toBe(14);
    expect(on(ds.rows, '2024-12-02').features[col('vix')]).toBe(99);
    expect(on(ds.rows, '2024-12-03').features[col('vix')]).toBe(15);
  });

  it('fills missing series with neutral values and says so', () => {
    expect(on(ds.rows, '2024-11-15').features[col('unemployment')]).toBe(4);
    expect(ds.manifest.provenance.unemployment).toBe('filled');
    expect(ds.manifest.filledCounts.unemployment).toBe(ds.rows.length);
    expect(ds.manifest.provenance.inflation).toBe('partial');
    // rows 2024-10-15 … 2024-10-31 are 13 trading days without a published inflation value
    expect(ds.manifest.filledCounts.inflation).toBe(13);
    expect(ds.manifest.provenance.close).toBe('real');
    expect(ds.manifest.provenance.news_sentiment).toBe('filled'); // no news source at all
    expect(ds.manifest.provenance.policy_impact_score).toBe('filled'); // no policy source at all
  });
});

describe('news and policy alignment', () => {
  const config = handConfig('2024-10-15', '2024-12-31');
  const news = [
    { date: '2024-11-23', ticker: 'TEST', sentiment: 0.5, count: 2, relevance: 0.8 }, // Saturday
    { date: '2024-11-24', ticker: 'TEST', sentiment: -0.1, count: 3, relevance: 0.4 }, // Sunday
    { date: '2024-11-25', ticker: 'TEST', sentiment: 0.2, count: 5, relevance: 0.6 }, // Monday
    { date: '2024-11-25', ticker: 'OTHER', sentiment: -1, count: 50, relevance: 1 },
    { date: '2024-11-28', ticker: 'TEST', sentiment: -0.4, count: 1, relevance: 0.5 }, // Thanksgiving
    { date: '2025-01-02', ticker: 'TEST', sentiment: 1, count: 9, relevance: 1 }, // after the last bar
  ];
  const policy = [
    { date: '2024-12-01', count: 1, impact: -0.5 }, // Sunday
    { date: '2024-12-02', count: 2, impact: 0.25 },
  ];
  const ds = buildDatasetFromRaw(config, handRaw(handBars(config.start, config.end), { news, policy }));

  it("puts Friday's and the weekend's news on Monday: count-weighted sentiment, summed count, mean relevance", () => {
    // no Friday news here: Monday gets Saturday and Sunday
    const monday = on(ds.rows, '2024-11-25').features;
    expect(monday[col('news_count')]).toBe(5);
    expect(monday[col('news_sentiment')]).toBeCloseTo((0.5 * 2 - 0.1 * 3) / 5, 12); // 0.14
    expect(monday[col('news_relevance')]).toBeCloseTo((0.8 + 0.4) / 2, 12);
  });

  it("uses a trading day's own news from the next trading day on (its aggregate includes articles after the close)", () => {
    expect(on(ds.rows, '2024-11-26').features.slice(col('news_sentiment'), col('news_relevance') + 1)).toEqual([0.2, 5, 0.6]);
    // another ticker's news never lands here
    expect(on(ds.rows, '2024-11-26').features[col('news_count')]).toBe(5);
  });

  it('puts holiday news on the next trading day and leaves news-less days neutral', () => {
    expect(on(ds.rows, '2024-11-29').features.slice(col('news_sentiment'), col('news_relevance') + 1)).toEqual([-0.4, 1, 0.5]);
    expect(on(ds.rows, '2024-11-27').features.slice(col('news_sentiment'), col('news_relevance') + 1)).toEqual([0, 0, 0]);
    expect(ds.manifest.provenance.news_sentiment).toBe('partial');
    expect(ds.manifest.filledCounts.news_count).toBe(ds.rows.length - 3);
  });

  it('adds policy events on the first trading day on or after their date', () => {
    const monday = on(ds.rows, '2024-12-02').features;
    expect(monday[col('policy_event_count')]).toBe(3);
    expect(monday[col('policy_impact_score')]).toBeCloseTo(-0.25, 12);
    expect(on(ds.rows, '2024-12-03').features[col('policy_event_count')]).toBe(0);
    // days without events are real zeros when a policy source exists
    expect(ds.manifest.provenance.policy_event_count).toBe('real');
  });
});

describe('target', () => {
  // 70 warm-up bars, then hand-picked closes from 2024-11-01 (a Friday) on
  const closes = [100, 100.4, 101, 100, 100.5, 99.6, 99.6, 102];
  function build(horizon: number, threshold: number) {
    const bars = handBars('2024-11-01', '2024-11-12');
    const first = bars.findIndex((b) => b.date === '2024-11-01');
    closes.forEach((c, i) => (bars[first + i] = { ...bars[first + i], open: c, high: c + 1, low: c - 1, close: c }));
    // a long range is needed for the split; the target test reads the hand-made days only
    return buildDatasetFromRaw(handConfig('2024-10-01', '2024-11-12', { horizon, threshold }), handRaw(bars));
  }
  const days = ['2024-11-01', '2024-11-04', '2024-11-05', '2024-11-06', '2024-11-07', '2024-11-08', '2024-11-11', '2024-11-12'];

  it('gives direction against the ±θ band for h = 1', () => {
    const ds = build(1, 0.005);
    // returns: +0.4%, +0.598%, −0.990%, +0.5% (not above the band), −0.896%, 0, +2.41%, none
    expect(days.map((d) => on(ds.rows, d).target)).toEqual([0, 1, -1, 0, -1, 0, 1, null]);
    expect(on(ds.rows, '2024-11-05').forwardReturn).toBeCloseTo(100 / 101 - 1, 12);
    expect(on(ds.rows, '2024-11-12').part).toBe('unlabelled');
  });

  it('looks h days ahead and leaves the last h days unlabelled', () => {
    const ds = build(2, 0.005);
    // 100→101 +1%, 100.4→100 −0.4%, 101→100.5 −0.5% (not below the band), 100→99.6 −0.4%, 100.5→99.6 −0.9%, 99.6→102 +2.4%
    expect(days.map((d) => on(ds.rows, d).target)).toEqual([1, 0, 0, 0, -1, 1, null, null]);
  });

  it('widens the neutral band with θ', () => {
    const ds = build(1, 0.01);
    expect(days.map((d) => on(ds.rows, d).target)).toEqual([0, 0, 0, 0, 0, 0, 1, null]);
    const zero = build(1, 0);
    expect(days.map((d) => on(zero.rows, d).target)).toEqual([1, 1, -1, 1, -1, 0, 1, null]);
  });
});
