/**
 * Leakage guards: what the models see at day t is known at the close of t; the normalisation is fitted
 * without validation rows; no training label window reaches a validation date; windows never cross tickers.
 * Checked on the dataset's own split and on every walk-forward fold.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildDatasetFromRaw, resolveDatasetConfig, warmupStartFor } from '../../src-main/core/dataset';
import { publishedFrom } from '../../src-main/core/dataset/align';
import { tradingDays } from '../../src-main/core/dataset/calendar';
import { validationInputs, walkForwardFolds } from '../../src-main/core/research';
import { generateSynthetic } from '../../src-main/core/sources/synthetic';
import { buildSamples, lstmWindows, normaliseRows } from '../../src-main/core/training';
import { FEATURE_COUNT, FEATURE_NAMES, NEWS_FEATURES, type Dataset, type RawData, type Row } from '../../src-main/core/types';

beforeAll(async () => {
  await initBackend();
});

const config = resolveDatasetConfig({ tickers: ['AAPL', 'NVDA', 'TSLA'], start: '2022-06-01', end: '2023-12-29', signal: 0.5, seed: 11 });
const freshRaw = (): RawData => generateSynthetic(config, warmupStartFor(config.start));
const base = buildDatasetFromRaw(config, freshRaw());
const days = tradingDays(config.start, config.end);

/**
 * Changes every raw value that becomes known in (from, to]: bars, news, policy events and daily macro by
 * their date, monthly/quarterly macro by the day they are published.
 */
function tamper(raw: RawData, from: string, to = '9999-12-31'): RawData {
  const inside = (d: string): boolean => d > from && d <= to;
  for (const bars of Object.values(raw.prices)) {
    for (const b of bars) if (inside(b.date)) Object.assign(b, { open: b.open * 3, high: b.high * 3, low: b.low * 2.5, close: b.close * 2.9, volume: b.volume * 7 });
  }
  for (const n of raw.news ?? []) if (inside(n.date)) Object.assign(n, { sentiment: n.sentiment > 0 ? -1 : 1, count: n.count + 20, relevance: 1 - n.relevance });
  for (const p of raw.policy ?? []) if (inside(p.date)) Object.assign(p, { count: p.count + 3, impact: 50 });
  for (const series of Object.values(raw.macro)) {
    for (const p of series?.points ?? []) if (inside(publishedFrom(p.date, series!.frequency))) p.value += 40;
  }
  return raw;
}

const key = (r: Row): string => `${r.ticker} ${r.date}`;

describe('features at t never read t+1', () => {
  // a Friday (t+1 is Monday: weekend news lands there), a mid-week day, and the day before a holiday
  for (const t of ['2023-03-10', '2023-08-16', '2023-07-03']) {
    it(`changing only what becomes known on the trading day after ${t} leaves every row up to ${t} unchanged`, () => {
      const next = days[days.indexOf(t) + 1];
      const tampered = buildDatasetFromRaw(config, tamper(freshRaw(), t, next));
      expect(tampered.rows.map(key)).toEqual(base.rows.map(key));
      let before = 0;
      tampered.rows.forEach((row, i) => {
        const orig = base.rows[i];
        if (row.date <= t) {
          expect(row.features).toEqual(orig.features);
          before++;
        }
        if (row.date === next) expect(row.features).not.toEqual(orig.features); // the tampering did land on t+1
        // only the label of t (close t → close t+1) may read t+1
        if (row.date === t) expect(row.forwardReturn).not.toBe(orig.forwardReturn);
        else if (row.date < t) expect(row.forwardReturn).toBe(orig.forwardReturn);
      });
      expect(before).toBe(3 * (days.indexOf(t) + 1));
    });
  }

  it("a day's own news (an aggregate without times, with articles after the close) reaches only the next trading day", () => {
    const t = '2023-08-16';
    const next = days[days.indexOf(t) + 1];
    const raw = freshRaw();
    const changed = new Set<string>();
    for (const n of raw.news ?? []) {
      if (n.date !== t) continue;
      Object.assign(n, { sentiment: n.sentiment > 0 ? -1 : 1, count: n.count + 20, relevance: 1 - n.relevance });
      changed.add(n.ticker);
    }
    expect(changed.size).toBeGreaterThan(0);
    const tampered = buildDatasetFromRaw(config, raw);
    const news = NEWS_FEATURES.map((f) => FEATURE_NAMES.indexOf(f));
    tampered.rows.forEach((row, i) => {
      const orig = base.rows[i];
      if (row.date <= t) expect(row.features).toEqual(orig.features);
      if (row.date === next) expect(news.some((k) => row.features[k] !== orig.features[k])).toBe(changed.has(row.ticker));
    });
  });

  it('a sample at t is fed the rows t−seqLen+1 … t of its ticker, never t+1', () => {
    const features = normaliseRows(base.rows, base.normaliser);
    const s = buildSamples(base, features, 4);
    for (const i of [...s.train, ...s.val]) {
      const window = base.rows.slice(i - 3, i + 1);
      expect(window.at(-1)?.date).toBe(base.rows[i].date);
      expect(window.every((r) => r.date <= base.rows[i].date)).toBe(true);
    }
  });
});

describe('the normalisation never sees validation rows', () => {
  it('is identical when every value from the first validation date on is changed drastically', () => {
    const { validationStart } = base.manifest.split;
    const before = days[days.indexOf(validationStart) - 1];
    const tampered = buildDatasetFromRaw(config, tamper(freshRaw(), before));
    expect(tampered.rows.map((r) => r.part)).toEqual(base.rows.map((r) => r.part));
    const changed = tampered.rows.filter((r, i) => r.part === 'validation' && r.features.some((v, k) => v !== base.rows[i].features[k]));
    expect(changed).toHaveLength(base.manifest.valSamples); // every validation row differs…
    expect(tampered.normaliser).toEqual(base.normaliser); // …and the statistics do not move
  });

  it('moves when a training day is changed (the check above is not vacuous)', () => {
    const t = base.manifest.split.trainEnd;
    const tampered = buildDatasetFromRaw(config, tamper(freshRaw(), days[days.indexOf(t) - 1], t));
    expect(tampered.normaliser).not.toEqual(base.normaliser);
  });

  it('is identical per walk-forward fold when that fold validation block and everything after it change', () => {
    const folds = walkForwardFolds(base, 3);
    for (const fold of folds) {
      const before = days[days.indexOf(fold.validationStart) - 1];
      const tampered = walkForwardFolds(buildDatasetFromRaw(config, tamper(freshRaw(), before)), 3)[fold.fold - 1];
      expect(tampered.dataset.normaliser).toEqual(fold.dataset.normaliser);
      expect(tampered.dataset.rows.filter((r) => r.part === 'validation').some((r, i) => r.features[3] !== fold.dataset.rows.filter((x) => x.part === 'validation')[i].features[3])).toBe(true);
    }
    // and each fold's statistics differ from the full dataset's (fitted on its own, shorter, training part)
    expect(folds[0].dataset.normaliser.stats.AAPL.mean[3]).not.toBe(base.normaliser.stats.AAPL.mean[3]);
  });
});

/** Every training row's label window (t … t+h, in that ticker's bars) ends before the first validation date. */
function checkLabelWindows(ds: Dataset): number {
  const firstValidation = ds.rows.filter((r) => r.part === 'validation').map((r) => r.date).sort()[0];
  const lastTrain = ds.rows.filter((r) => r.part === 'train').map((r) => r.date).sort().at(-1) as string;
  expect(firstValidation > lastTrain).toBe(true);
  let checked = 0;
  ds.rows.forEach((row, i) => {
    if (row.part !== 'train') return;
    const end = ds.rows[i + ds.config.horizon];
    expect(end.ticker).toBe(row.ticker);
    expect(end.date < firstValidation).toBe(true);
    checked++;
  });
  return checked;
}

describe('no validation label window overlaps training', () => {
  for (const horizon of [1, 5]) {
    it(`holds for the main split and for every fold (h = ${horizon})`, () => {
      const ds = horizon === 1 ? base : buildDatasetFromRaw({ ...config, horizon }, freshRaw());
      expect(checkLabelWindows(ds)).toBe(ds.manifest.trainSamples);
      const folds = walkForwardFolds(ds, 4);
      for (const f of folds) {
        expect(checkLabelWindows(f.dataset)).toBe(f.dataset.manifest.trainSamples);
        // exactly h labelled dates separate the last training date from the validation block
        expect(days.indexOf(f.validationStart) - days.indexOf(f.trainEnd)).toBe(horizon + 1);
      }
    });
  }

  it('moves a training row whose label jumps a gap in its bars into the embargo (main split and folds)', () => {
    const probe = walkForwardFolds(base, 3)[1];
    const raw = freshRaw();
    // NVDA misses the embargo day and the first validation day of fold 2 and of the main split
    const gaps = new Set([...probe.embargo, probe.validationStart, days[days.indexOf(base.manifest.split.trainEnd) + 1], base.manifest.split.validationStart]);
    raw.prices.NVDA = raw.prices.NVDA.filter((b) => !gaps.has(b.date));
    const ds = buildDatasetFromRaw(config, raw);
    expect(checkLabelWindows(ds)).toBe(ds.manifest.trainSamples);
    const nvdaTrainEnd = ds.rows.find((r) => r.ticker === 'NVDA' && r.date === ds.manifest.split.trainEnd);
    expect(nvdaTrainEnd?.part).toBe('embargo'); // its label reaches past the first validation date
    const fold = walkForwardFolds(ds, 3)[1];
    expect(fold.trainEnd).toBe(probe.trainEnd); // AAPL and TSLA keep the dates
    expect(checkLabelWindows(fold.dataset)).toBe(fold.dataset.manifest.trainSamples);
    expect(fold.dataset.rows.find((r) => r.ticker === 'NVDA' && r.date === fold.trainEnd)?.part).toBe('embargo');
  });
});

describe('windows never cross tickers', () => {
  const seqLen = 5;

  function checkWindows(ds: Dataset): number {
    const features = normaliseRows(ds.rows, ds.normaliser);
    const s = buildSamples(ds, features, seqLen);
    const all = [...s.train, ...s.val];
    for (const i of all) {
      const window = ds.rows.slice(i - seqLen + 1, i + 1);
      expect(new Set(window.map((r) => r.ticker))).toEqual(new Set([ds.rows[i].ticker]));
      // consecutive bars of that ticker, oldest first
      window.slice(1).forEach((r, k) => expect(r.date > window[k].date).toBe(true));
    }
    // the tensors the models get hold exactly those rows
    const x = lstmWindows(features, all, seqLen);
    const data = x.dataSync();
    x.dispose();
    all.forEach((i, j) => {
      const from = (i - seqLen + 1) * FEATURE_COUNT;
      expect(Array.from(data.subarray(j * seqLen * FEATURE_COUNT, (j + 1) * seqLen * FEATURE_COUNT))).toEqual(Array.from(features.subarray(from, from + seqLen * FEATURE_COUNT)));
    });
    // and the permutation-importance inputs are the same windows
    const inputs = validationInputs(ds, 'lstm', seqLen);
    expect(inputs.n).toBe(s.val.length);
    expect(Array.from(inputs.x.subarray(0, seqLen * FEATURE_COUNT))).toEqual(Array.from(features.subarray((s.val[0] - seqLen + 1) * FEATURE_COUNT, (s.val[0] + 1) * FEATURE_COUNT)));
    return all.length;
  }

  it('in the dataset: the first seqLen − 1 rows of each ticker have no window', () => {
    const n = checkWindows(base);
    expect(n).toBe(base.manifest.trainSamples + base.manifest.valSamples - 3 * (seqLen - 1));
    // the rows just after a ticker boundary are not samples
    const features = normaliseRows(base.rows, base.normaliser);
    const s = buildSamples(base, features, seqLen);
    const firstOfTicker = base.rows.flatMap((r, i) => (i === 0 || base.rows[i - 1].ticker !== r.ticker ? [i] : []));
    expect(firstOfTicker).toHaveLength(3);
    for (const first of firstOfTicker) for (let k = 0; k < seqLen - 1; k++) expect(s.train.includes(first + k)).toBe(false);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('in every walk-forward fold', () => {
    for (const f of walkForwardFolds(base, 3)) expect(checkWindows(f.dataset)).toBeGreaterThan(0);
  });
});
