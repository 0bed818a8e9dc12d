/** Naive baselines every model must beat to be worth anything. */
import type { Dataset } from '../types';
import { CLASS_COUNT, metricsFromPredictions } from './metrics';

export interface BaselineScore {
  accuracy: number;
  macro_f1: number;
}

/** The most frequent training class (ties → lowest index), predicted for every validation sample. */
export function majorityClass(trainLabels: readonly number[]): number {
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  for (const y of trainLabels) counts[y] += 1;
  let best = 0;
  for (let k = 1; k < CLASS_COUNT; k++) if (counts[k] > counts[best]) best = k;
  return best;
}

export function majorityBaseline(trainLabels: readonly number[], valLabels: readonly number[]): BaselineScore & { class: number } {
  const cls = majorityClass(trainLabels);
  const m = metricsFromPredictions(valLabels, valLabels.map(() => cls));
  return { accuracy: m.accuracy, macro_f1: m.macro_f1, class: cls };
}

/** Predict that the last known label of the same ticker repeats. */
export function persistenceBaseline(valTrue: readonly number[], prevLabels: readonly number[]): BaselineScore {
  const m = metricsFromPredictions(valTrue, prevLabels);
  return { accuracy: m.accuracy, macro_f1: m.macro_f1 };
}

/**
 * For each (ticker, date) key, the label that was already known at the close of that date:
 * the label of the row `horizon` trading days earlier (for h = 1, yesterday's label — a later
 * row's label would need prices after the date). `fallback` where no such row exists.
 */
export function previousLabels(ds: Dataset, keys: readonly { ticker: string; date: string }[], fallback: number): number[] {
  const index = new Map<string, number>();
  ds.rows.forEach((r, i) => index.set(`${r.ticker}|${r.date}`, i));
  const h = ds.config.horizon;
  return keys.map((k) => {
    const i = index.get(`${k.ticker}|${k.date}`);
    if (i === undefined || i - h < 0) return fallback;
    const prev = ds.rows[i - h];
    if (prev.ticker !== k.ticker || prev.target === null) return fallback;
    return prev.target + 1;
  });
}
