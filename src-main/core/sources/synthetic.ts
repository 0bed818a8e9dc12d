/**
 * The synthetic source: a deterministic market (from `config.seed`) with prices, news, macro series and
 * policy events for any tickers, on the US trading calendar.
 *
 * The world does not depend on the requested range: it is generated forward from SYNTH_ORIGIN (or from the
 * warm-up start when that is earlier) and each ticker's price level is pinned at PRICE_ANCHOR, so the same
 * seed gives the same bar on the same date whatever `start`/`end` are, and cutting `end` only cuts the future.
 * Every part draws from its own seeded stream (market, policy/rates, macro, one per ticker), so a ticker's
 * series does not change when other tickers are added.
 *
 * PLANTED SIGNAL. The log return from day t to t+1 of ticker i is
 *   r = μ + σ_i · (ρ·c_t + √(1−ρ²)·ε_{t+1}),   ρ = SIGNAL_RHO · config.signal,
 * where ε is a fat-tailed unit shock (Student-t, 4 dof; market factor + idiosyncratic part) drawn after t
 * and c_t is a (roughly) unit-variance score of two features known at the close of t, exactly as the
 * dataset computes them (news aligned to trading days with the same accumulator), clipped at ±4:
 *   c_t = W_NEWS · news_sentiment_t(i) / NEWS_SD  +  W_POLICY · policy_impact_score_t / POLICY_SD
 * so `news_sentiment` carries most of the signal and `policy_impact_score` the rest (SYNTHETIC_SIGNAL_FEATURES,
 * strongest first). Only the first day of an h-day target is driven by c_t, so h > 1 dilutes the signal.
 * With signal 0 the next return is independent of every feature at t: volatility is constant per ticker,
 * and volume and VIX react to the same day's move only.
 * Measured with a plain softmax regression on the default dataset (2020-01 … 2024-11, h = 1, θ = 0.5%):
 * validation accuracy vs. the majority class 0.58 vs 0.40 at signal 1, 0.455 vs 0.405 at 0.3, none at 0.
 */
import seedrandom from 'seedrandom';
import { addDays, addMonths, fromDayNumber, isTradingDayNumber, toDayNumber } from '../dataset/calendar';
import { NewsAccumulator } from '../dataset/align';
import type { DatasetConfig, MacroFeature, MacroFrequency, MacroSeries, NewsDay, PolicyEvent, PriceBar, RawData } from '../types';

/** Features that carry the planted signal, strongest first. */
export const SYNTHETIC_SIGNAL_FEATURES = ['news_sentiment', 'policy_impact_score'] as const;

export const SYNTH_ORIGIN = '2000-01-03';
export const PRICE_ANCHOR = '2020-01-02';

/** Correlation between the signal score and the next day's shock at signal 1. */
const SIGNAL_RHO = 0.6;
const W_NEWS = 0.85;
const W_POLICY = 0.5;
/** Standard deviations of the aligned features over all ticker-days (measured on 2005–2024 of this generator). */
const NEWS_SD = 0.375;
const POLICY_SD = 0.236;
/** Daily drift of log prices (~10%/year). */
const DRIFT = 0.0004;

interface TickerProfile {
  price: number; // close at PRICE_ANCHOR
  vol: number; // daily standard deviation of returns
  volume: number; // typical daily shares
  market: number; // share of the shock's variance that is the common market factor
}

const PROFILES: Record<string, TickerProfile> = {
  AAPL: { price: 150, vol: 0.017, volume: 80e6, market: 0.5 },
  MSFT: { price: 300, vol: 0.016, volume: 25e6, market: 0.5 },
  GOOGL: { price: 120, vol: 0.018, volume: 30e6, market: 0.45 },
  AMZN: { price: 140, vol: 0.02, volume: 50e6, market: 0.45 },
  NVDA: { price: 120, vol: 0.031, volume: 300e6, market: 0.4 },
  META: { price: 300, vol: 0.024, volume: 18e6, market: 0.4 },
  TSLA: { price: 220, vol: 0.036, volume: 100e6, market: 0.3 },
};

/** Other tickers get a profile derived from their name only (the same in every seed). */
function profileOf(ticker: string): TickerProfile {
  const known = PROFILES[ticker];
  if (known) return known;
  const u = seedrandom.alea(`profile:${ticker}`);
  return {
    price: Math.round(20 * Math.pow(20, u()) * 100) / 100,
    vol: 0.014 + 0.016 * u(),
    volume: Math.round(2e6 * Math.pow(30, u())),
    market: 0.3 + 0.2 * u(),
  };
}

/** Draws from one seeded stream. */
class Stream {
  private readonly u: () => number;
  constructor(seed: number, name: string) {
    this.u = seedrandom.alea(`${seed}:${name}`);
  }
  uniform(): number {
    return this.u();
  }
  /** In (0, 1], safe for logarithms. */
  positive(): number {
    return 1 - this.u();
  }
  normal(): number {
    return Math.sqrt(-2 * Math.log(this.positive())) * Math.cos(2 * Math.PI * this.u());
  }
  /** Student-t with 4 degrees of freedom scaled to unit variance (fat tails), clipped at ±12. */
  fatTailed(): number {
    const chi2 = -2 * Math.log(this.positive() * this.positive()); // χ² with 4 dof
    const t = this.normal() / Math.sqrt(chi2 / 4);
    return Math.max(-12, Math.min(12, t / Math.SQRT2));
  }
  /** Poisson by Knuth's method (small means only). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    for (let p = this.u(); p > limit; p *= this.u()) k++;
    return k;
  }
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

interface TickerState {
  ticker: string;
  profile: TickerProfile;
  stream: Stream;
  /** news waiting for the next trading day */
  pendingNews: NewsAccumulator;
  /** a trading day's own news, pending from the day after */
  todaysNews: NewsAccumulator;
  logClose: number;
  score: number; // c_t of the last trading day
  bars: PriceBar[];
}

interface MacroState {
  inflation: number;
  unemployment: number;
  gdp: number;
}

/**
 * Generates prices from the first trading day ≥ `warmupStart` up to `config.end`, with news, macro and policy
 * data over the same span (monthly and quarterly macro from ~13 months earlier, so values published before
 * the warm-up are known).
 */
export function generateSynthetic(config: DatasetConfig, warmupStart: string): RawData {
  const rho = SIGNAL_RHO * clamp(config.signal, 0, 1);
  const residual = Math.sqrt(1 - rho * rho);
  const origin = Math.min(toDayNumber(SYNTH_ORIGIN), toDayNumber(warmupStart));
  const firstKept = toDayNumber(warmupStart);
  const endDay = toDayNumber(config.end);
  const anchorDay = toDayNumber(PRICE_ANCHOR);
  const lastDay = Math.max(endDay, anchorDay);

  const market = new Stream(config.seed, 'market');
  const policyStream = new Stream(config.seed, 'policy');
  const macroStream = new Stream(config.seed, 'macro');
  const tickers: TickerState[] = config.tickers.map((ticker) => ({
    ticker,
    profile: profileOf(ticker),
    stream: new Stream(config.seed, `ticker:${ticker}`),
    pendingNews: new NewsAccumulator(),
    todaysNews: new NewsAccumulator(),
    logClose: Math.log(profileOf(ticker).price),
    score: 0,
    bars: [],
  }));

  const news: NewsDay[] = [];
  const policy: PolicyEvent[] = [];
  const macroPoints: Record<MacroFeature, { date: string; value: number }[]> = {
    gdp_growth: [],
    inflation: [],
    unemployment: [],
    interest_rate: [],
    vix: [],
  };
  const macroState: MacroState = { inflation: 2.5, unemployment: 4.8, gdp: 2.2 };
  let vix = 18;
  let rate = 2.5;
  let anchorClose: number[] | null = null;
  let nextMonth = toDayNumber(addMonths(fromDayNumber(origin).slice(0, 8) + '01', 1));
  // News from the last trading day before the first kept bar on lands on a kept bar (news goes to the
  // first trading day after its date, as the dataset aligns it); earlier news does not.
  let newsFrom = firstKept;
  if (newsFrom > origin) newsFrom--;
  while (newsFrom > origin && !isTradingDayNumber(newsFrom)) newsFrom--;

  for (let day = origin; day <= lastDay; day++) {
    // date strings only where something is kept (most of the generated history is burn-in)
    const keep = day >= newsFrom && day <= endDay;
    const date = keep ? fromDayNumber(day) : '';
    const trading = isTradingDayNumber(day);
    if (day === nextMonth) {
      const monthStart = fromDayNumber(day);
      drawMacro(monthStart, macroStream, macroState, macroPoints);
      nextMonth = toDayNumber(addMonths(monthStart, 1));
    }

    // News arrives every calendar day (less at weekends) and is pending until the next trading day
    // after its date: a trading day's own news counts from the following one.
    for (const t of tickers) {
      const s = t.stream;
      t.todaysNews.reset();
      if (s.uniform() >= (trading ? 0.75 : 0.3)) continue;
      const sentiment = round(clamp(0.45 * s.normal(), -1, 1), 4);
      const count = 1 + s.poisson(3);
      const relevance = round(0.3 + 0.7 * s.uniform(), 4);
      (trading ? t.todaysNews : t.pendingNews).add(sentiment, count, relevance);
      if (keep) news.push({ date, ticker: t.ticker, sentiment, count, relevance });
    }
    if (!trading) continue;

    // Market: one common shock; VIX jumps more on down days than it falls on up days.
    const m = market.fatTailed();
    vix = clamp(vix + 0.06 * (18.5 - vix) - 1.6 * m * (m < 0 ? 1.5 : 0.8) + 0.7 * market.normal(), 9, 85);

    // Policy: rate decisions at ~8 meetings a year (a hike is bad news for stocks), other events ~1 in 20 days.
    let eventCount = 0;
    let impact = 0;
    if (policyStream.uniform() < 8 / 252) {
      const u = policyStream.uniform();
      const up = clamp(0.25 + 0.08 * (2.5 - rate), 0.05, 0.5);
      const down = rate > 0.3 ? clamp(0.25 - 0.08 * (2.5 - rate), 0.05, 0.5) : 0;
      const step = u < up ? 0.25 : u < up + down ? -0.25 : 0;
      if (step !== 0) {
        rate = round(rate + step, 2);
        eventCount++;
        impact += -4 * step;
      }
    }
    if (policyStream.uniform() < 0.05) {
      eventCount++;
      impact += round(clamp(policyStream.normal(), -2.5, 2.5), 3);
    }

    for (const t of tickers) {
      const s = t.stream;
      const { vol, market: share, volume } = t.profile;
      const shock = Math.sqrt(share) * m + Math.sqrt(1 - share) * s.fatTailed();
      const r = DRIFT + vol * (rho * t.score + residual * shock);
      const prevClose = Math.exp(t.logClose);
      t.logClose += r;
      const close = Math.exp(t.logClose);
      const open = prevClose * Math.exp(0.3 * r + 0.15 * vol * s.normal());
      const high = Math.max(open, close) * Math.exp(0.4 * vol * Math.abs(s.normal()));
      const low = Math.min(open, close) * Math.exp(-0.4 * vol * Math.abs(s.normal()));
      // volume rises with the size of the day's move (in units of the ticker's volatility)
      const shares = volume * Math.exp(0.25 * s.normal() + 0.35 * (Math.abs(r - DRIFT) / vol - 0.8));
      if (keep && day >= firstKept) t.bars.push({ date, open, high, low, close, volume: Math.round(shares) });

      const aligned = t.pendingNews.result();
      t.pendingNews.reset();
      t.pendingNews.merge(t.todaysNews);
      const sentiment = aligned ? aligned.sentiment : 0;
      t.score = clamp((W_NEWS * sentiment) / NEWS_SD + (W_POLICY * impact) / POLICY_SD, -4, 4);
    }

    if (keep && day >= firstKept) {
      macroPoints.vix.push({ date, value: round(vix, 2) });
      macroPoints.interest_rate.push({ date, value: rate });
      if (eventCount > 0) policy.push({ date, count: eventCount, impact: round(impact, 3) });
    }
    if (anchorClose === null && day >= anchorDay) anchorClose = tickers.map((t) => Math.exp(t.logClose));
  }

  const prices: Record<string, PriceBar[]> = {};
  tickers.forEach((t, k) => {
    const scale = t.profile.price / (anchorClose ? anchorClose[k] : Math.exp(t.logClose));
    prices[t.ticker] = t.bars.map((b) => ({
      date: b.date,
      open: round(b.open * scale, 4),
      high: round(b.high * scale, 4),
      low: round(b.low * scale, 4),
      close: round(b.close * scale, 4),
      volume: b.volume,
    }));
  });

  const macroFrom = addDays(warmupStart, -400);
  const series = (feature: MacroFeature, frequency: MacroFrequency): MacroSeries => ({
    feature,
    sourceId: `synthetic:${feature}`,
    frequency,
    points: macroPoints[feature].filter((p) => p.date >= macroFrom && p.date <= config.end),
  });

  return {
    source: 'synthetic',
    prices,
    news,
    macro: {
      gdp_growth: series('gdp_growth', 'quarterly'),
      inflation: series('inflation', 'monthly'),
      unemployment: series('unemployment', 'monthly'),
      interest_rate: series('interest_rate', 'daily'),
      vix: series('vix', 'daily'),
    },
    policy,
    repairs: [],
  };
}

/** Monthly inflation (YoY %) and unemployment, quarterly real GDP growth (% annualised); AR(1) around typical levels. */
function drawMacro(
  date: string,
  stream: Stream,
  state: MacroState,
  points: Record<MacroFeature, { date: string; value: number }[]>,
): void {
  state.inflation = clamp(2.6 + 0.93 * (state.inflation - 2.6) + 0.3 * stream.normal(), -2, 10);
  state.unemployment = clamp(4.8 + 0.95 * (state.unemployment - 4.8) + 0.15 * stream.normal(), 2.5, 12);
  points.inflation.push({ date, value: round(state.inflation, 1) });
  points.unemployment.push({ date, value: round(state.unemployment, 1) });
  const month = Number(date.slice(5, 7));
  if (month % 3 === 1) {
    state.gdp = clamp(2.2 + 0.3 * (state.gdp - 2.2) + 1.6 * stream.normal(), -10, 10);
    points.gdp_growth.push({ date, value: round(state.gdp, 1) });
  }
}
