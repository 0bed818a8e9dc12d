/**
 * Putting context data (news, macro, policy) onto one ticker's trading days so that a feature at day t only
 * uses what was known at the close of t.
 */
import type { MacroFrequency, MacroSeries, NewsDay, PolicyEvent } from '../types';
import { addMonths } from './calendar';

/** Index of the first element of ascending `dates` that is ≥ `date` (dates.length when there is none). */
export function lowerBound(dates: readonly string[], date: string, end = dates.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element of ascending `dates` that is > `date` (dates.length when there is none). */
export function upperBound(dates: readonly string[], date: string): number {
  let lo = 0;
  let hi = dates.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dates[mid] <= date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface NewsAggregate {
  sentiment: number;
  count: number;
  relevance: number;
}

/**
 * News of several calendar days that land on one trading day (weekends, holidays): sentiment is the mean
 * weighted by article count, counts add up, relevance is the plain mean over the days. The synthetic source
 * uses this same accumulator for its planted signal, so the feature it plants and the feature the dataset
 * computes are the same number.
 */
export class NewsAccumulator {
  private weighted = 0;
  private sentimentSum = 0;
  private countSum = 0;
  private relevanceSum = 0;
  private days = 0;

  add(sentiment: number, count: number, relevance: number): void {
    this.weighted += sentiment * count;
    this.sentimentSum += sentiment;
    this.countSum += count;
    this.relevanceSum += relevance;
    this.days++;
  }

  get empty(): boolean {
    return this.days === 0;
  }

  /** The aggregate, or null when no news arrived (the caller fills neutral values). */
  result(): NewsAggregate | null {
    if (this.days === 0) return null;
    return {
      // a day with articles but count 0 cannot be weighted; fall back to the plain mean
      sentiment: this.countSum > 0 ? this.weighted / this.countSum : this.sentimentSum / this.days,
      count: this.countSum,
      relevance: this.relevanceSum / this.days,
    };
  }

  /** Adds everything another accumulator holds. */
  merge(other: NewsAccumulator): void {
    this.weighted += other.weighted;
    this.sentimentSum += other.sentimentSum;
    this.countSum += other.countSum;
    this.relevanceSum += other.relevanceSum;
    this.days += other.days;
  }

  reset(): void {
    this.weighted = this.sentimentSum = this.countSum = this.relevanceSum = 0;
    this.days = 0;
  }
}

export interface AlignedNews {
  sentiment: Float64Array;
  count: Float64Array;
  relevance: Float64Array;
  /** 1 where at least one news day landed on the trading day */
  real: Uint8Array;
}

/**
 * News for calendar day d goes to the first trading day after d; news from the last bar on is dropped.
 * Why after, not on, d: a day's aggregate has no times, and includes articles published after that
 * day's close (earnings after the bell), which the close of d cannot know. Weekend and holiday news
 * lands on the next trading day, as does the news of a trading day itself.
 */
export function alignNews(news: readonly NewsDay[], ticker: string, dates: readonly string[]): AlignedNews {
  const n = dates.length;
  const acc = Array.from({ length: n }, () => new NewsAccumulator());
  const mine = news.filter((item) => item.ticker === ticker).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const item of mine) {
    const i = upperBound(dates, item.date);
    if (i < n) acc[i].add(item.sentiment, item.count, item.relevance);
  }
  const out: AlignedNews = {
    sentiment: new Float64Array(n),
    count: new Float64Array(n),
    relevance: new Float64Array(n),
    real: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const agg = acc[i].result();
    if (!agg) continue;
    out.sentiment[i] = agg.sentiment;
    out.count[i] = agg.count;
    out.relevance[i] = agg.relevance;
    out.real[i] = 1;
  }
  return out;
}

/**
 * First day a macro value may be used. FRED dates are period starts: a monthly value is usable one month
 * after its month ends (2024-10-01 → 2024-12-01), a quarterly one one month after its quarter ends
 * (2024-07-01 → 2024-11-01), a daily one from its own date.
 */
export function publishedFrom(date: string, frequency: MacroFrequency): string {
  if (frequency === 'monthly') return addMonths(date, 2);
  if (frequency === 'quarterly') return addMonths(date, 4);
  return date;
}

export interface AlignedSeries {
  values: Float64Array;
  real: Uint8Array;
}

/** The latest published value at each date (forward fill); `neutral` where nothing was published yet. */
export function alignMacro(series: MacroSeries | undefined, dates: readonly string[], neutral: number): AlignedSeries {
  const n = dates.length;
  const out: AlignedSeries = { values: new Float64Array(n).fill(neutral), real: new Uint8Array(n) };
  if (!series || series.points.length === 0) return out;
  const points = series.points
    .map((p) => ({ from: publishedFrom(p.date, series.frequency), date: p.date, value: p.value }))
    .filter((p) => Number.isFinite(p.value))
    // among values usable on the same day the newest period wins
    .sort((a, b) => (a.from !== b.from ? (a.from < b.from ? -1 : 1) : a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  let j = -1;
  for (let i = 0; i < n; i++) {
    while (j + 1 < points.length && points[j + 1].from <= dates[i]) j++;
    if (j >= 0) {
      out.values[i] = points[j].value;
      out.real[i] = 1;
    }
  }
  return out;
}

export interface AlignedPolicy {
  count: Float64Array;
  impact: Float64Array;
}

/** Policy events count on the first trading day ≥ their date: counts and impacts add up. */
export function alignPolicy(events: readonly PolicyEvent[], dates: readonly string[]): AlignedPolicy {
  const n = dates.length;
  const out: AlignedPolicy = { count: new Float64Array(n), impact: new Float64Array(n) };
  for (const event of events) {
    const i = lowerBound(dates, event.date);
    if (i >= n) continue;
    out.count[i] += event.count;
    out.impact[i] += event.impact;
  }
  return out;
}
