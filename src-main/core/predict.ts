/**
 * Both models' class probabilities for the latest day of each chosen ticker (on or before a date).
 * The latest day usually has no label yet; that is exactly the day one wants a forecast for.
 */
import * as tf from '@tensorflow/tfjs';
import { WorkbenchError } from './errors';
import type { LoadedModel } from './models/io';
import { normaliseRows, statsFor } from './training/features';
import { lstmWindows, towerRows } from './training/samples';
import { FEATURE_COUNT, FEATURE_NAMES, type Dataset, type ModelKind } from './types';

export type ClassProbs = [number, number, number]; // p_down, p_flat, p_up

export interface TickerPrediction {
  ticker: string;
  /** the row actually used: the latest trading day ≤ the requested date */
  date: string;
  lstm: ClassProbs;
  dual_tower: ClassProbs;
  average: ClassProbs;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function tickerRanges(ds: Dataset): Map<string, { start: number; end: number }> {
  const ranges = new Map<string, { start: number; end: number }>();
  ds.rows.forEach((r, i) => {
    const range = ranges.get(r.ticker);
    if (range) range.end = i + 1;
    else ranges.set(r.ticker, { start: i, end: i + 1 });
  });
  return ranges;
}

function checkModel(kind: ModelKind, loaded: LoadedModel): void {
  if (loaded.meta.kind !== kind) throw new WorkbenchError('BAD_INPUT', `expected a ${kind} model, got a ${loaded.meta.kind} model`);
  const same = loaded.meta.features.length === FEATURE_COUNT && loaded.meta.features.every((f, i) => f === FEATURE_NAMES[i]);
  if (!same) throw new WorkbenchError('BAD_INPUT', `the ${kind} model was trained on other features than this dataset provides`);
}

async function probsOf(model: tf.LayersModel, x: tf.Tensor): Promise<ClassProbs[]> {
  const out = model.predict(x) as tf.Tensor;
  const flat = await out.data();
  out.dispose();
  x.dispose();
  const rows: ClassProbs[] = [];
  for (let i = 0; i < flat.length; i += 3) rows.push([flat[i], flat[i + 1], flat[i + 2]]);
  return rows;
}

export async function predictLatest(
  models: Record<ModelKind, LoadedModel>,
  ds: Dataset,
  tickers: string[],
  date?: string,
): Promise<TickerPrediction[]> {
  if (tickers.length === 0) throw new WorkbenchError('BAD_INPUT', 'choose at least one ticker');
  if (date !== undefined && !ISO_DATE.test(date)) throw new WorkbenchError('BAD_INPUT', `date must be YYYY-MM-DD, got "${date}"`);
  checkModel('lstm', models.lstm);
  checkModel('dual_tower', models.dual_tower);
  const seqLen = models.lstm.meta.seqLen;
  const ranges = tickerRanges(ds);

  // Row index of the day to predict from, per ticker.
  const picked = tickers.map((ticker) => {
    if (ticker.trim() === '') throw new WorkbenchError('BAD_INPUT', 'an empty ticker was given (a stray comma?)');
    const range = ranges.get(ticker);
    if (!range) throw new WorkbenchError('BAD_INPUT', `unknown ticker ${ticker} (the dataset has ${[...ranges.keys()].join(', ')})`);
    let i = range.end - 1;
    // A date past the data would silently mean "the last day": say so instead (the data has no later close).
    if (date !== undefined && date > ds.rows[i].date) {
      throw new WorkbenchError('BAD_INPUT', `no data for ${ticker} after ${ds.rows[i].date} (the run's data ends there); choose a date up to ${ds.rows[i].date}, or leave it empty for that day`);
    }
    if (date !== undefined) while (i >= range.start && ds.rows[i].date > date) i--;
    if (i < range.start) throw new WorkbenchError('BAD_INPUT', `no data for ${ticker} on or before ${date} (its first day is ${ds.rows[range.start].date})`);
    if (i - seqLen + 1 < range.start) {
      throw new WorkbenchError('BAD_INPUT', `the LSTM needs ${seqLen} days of ${ticker} up to ${ds.rows[i].date}; the dataset starts at ${ds.rows[range.start].date}`);
    }
    for (const kind of ['lstm', 'dual_tower'] as const) {
      if (!statsFor(models[kind].meta.normaliser, ticker)) throw new WorkbenchError('BAD_INPUT', `the ${kind} model was not trained on ${ticker}`);
    }
    return { ticker, row: i, start: i - seqLen + 1 };
  });

  // Normalise each ticker's window with each model's own (training) normaliser.
  const windowRows = picked.flatMap((p) => ds.rows.slice(p.start, p.row + 1));
  const lstmFeatures = normaliseRows(windowRows, models.lstm.meta.normaliser);
  const towerFeatures = normaliseRows(windowRows, models.dual_tower.meta.normaliser);
  const lastOfWindow = picked.map((_, j) => j * seqLen + seqLen - 1);
  const lstm = await probsOf(models.lstm.model, lstmWindows(lstmFeatures, lastOfWindow, seqLen));
  const dual = await probsOf(models.dual_tower.model, towerRows(towerFeatures, lastOfWindow));

  return picked.map((p, j) => ({
    ticker: p.ticker,
    date: ds.rows[p.row].date,
    lstm: lstm[j],
    dual_tower: dual[j],
    average: [0, 1, 2].map((k) => (lstm[j][k] + dual[j][k]) / 2) as ClassProbs,
  }));
}

/** Alias used by the CLI and pipeline. */
export type Prediction = TickerPrediction;
