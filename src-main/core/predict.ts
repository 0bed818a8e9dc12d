/**
 * Both models' class probabilities for the latest day of each chosen ticker (on or before a date).
 * The latest day usually has no label yet; that is exactly the day one wants a forecast for.
 */
import * as tf from '@tensorflow/tfjs';
import { parseIsoDate } from './dataset/calendar';
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
  /** null where the run has no such model (a `--model lstm` run) */
  lstm: ClassProbs | null;
  dual_tower: ClassProbs | null;
  /** the mean of the models there are (with one model: its probabilities) */
  average: ClassProbs;
}


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
  models: Partial<Record<ModelKind, LoadedModel>>,
  ds: Dataset,
  tickers: string[],
  date?: string,
): Promise<TickerPrediction[]> {
  if (tickers.length === 0) throw new WorkbenchError('BAD_INPUT', 'choose at least one ticker');
  if (date !== undefined && parseIsoDate(date) === null) throw new WorkbenchError('BAD_INPUT', `date must be a calendar date as YYYY-MM-DD, got "${date}"`);
  const kinds = (['lstm', 'dual_tower'] as const).filter((k) => models[k]);
  if (kinds.length === 0) throw new WorkbenchError('BAD_INPUT', 'no model to predict with');
  for (const kind of kinds) checkModel(kind, models[kind] as LoadedModel);
  // the dual tower reads one row; the LSTM its window
  const seqLen = models.lstm?.meta.seqLen ?? 1;
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
    for (const kind of kinds) {
      if (!statsFor((models[kind] as LoadedModel).meta.normaliser, ticker)) throw new WorkbenchError('BAD_INPUT', `the ${kind} model was not trained on ${ticker}`);
    }
    return { ticker, row: i, start: i - seqLen + 1 };
  });

  // Normalise each ticker's window with each model's own (training) normaliser.
  const windowRows = picked.flatMap((p) => ds.rows.slice(p.start, p.row + 1));
  const lastOfWindow = picked.map((_, j) => j * seqLen + seqLen - 1);
  const lstm = models.lstm ? await probsOf(models.lstm.model, lstmWindows(normaliseRows(windowRows, models.lstm.meta.normaliser), lastOfWindow, seqLen)) : null;
  const dual = models.dual_tower ? await probsOf(models.dual_tower.model, towerRows(normaliseRows(windowRows, models.dual_tower.meta.normaliser), lastOfWindow)) : null;

  return picked.map((p, j) => {
    const have = [lstm?.[j], dual?.[j]].filter((x): x is ClassProbs => x !== undefined);
    return {
      ticker: p.ticker,
      date: ds.rows[p.row].date,
      lstm: lstm ? lstm[j] : null,
      dual_tower: dual ? dual[j] : null,
      average: [0, 1, 2].map((k) => have.reduce((sum, probs) => sum + probs[k], 0) / have.length) as ClassProbs,
    };
  });
}

/** Alias used by the CLI and pipeline. */
export type Prediction = TickerPrediction;
