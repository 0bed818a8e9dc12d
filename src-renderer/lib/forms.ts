/**
 * The Dataset and Train forms as the user types them (tickers as one comma-separated list that
 * the default-ticker toggles edit) and their conversion to contract requests, validated with
 * the contract's own schemas so the form reports exactly what the main side would refuse.
 */
import {
  DatasetParams,
  TrainParams,
  describeIssues,
  type DatasetManifestDto,
  type DatasetParamsInput,
  type TrainParams as TrainParamsT,
} from '../../src-preload/contract';

export interface DatasetForm {
  source: 'synthetic' | 'csv';
  /** comma/space separated symbols */
  tickers: string;
  start: string;
  end: string;
  horizon: number;
  /** neutral band θ as a fraction (0.005 = ±0.5%), as the e2e tests type it */
  threshold: number;
  seed: number;
  signal: number;
  prices: string;
  news: string;
  macro: string;
  policy: string;
}

export type FieldErrors = Partial<Record<string, string>>;

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; summary: string };

export function datasetFormFrom(p: DatasetParamsInput): DatasetForm {
  return {
    source: p.source ?? 'synthetic',
    tickers: (p.tickers ?? []).join(', '),
    start: p.start,
    end: p.end,
    horizon: p.horizon ?? 1,
    threshold: p.threshold ?? 0.005,
    seed: p.seed ?? 42,
    signal: p.signal ?? 0.3,
    prices: p.prices ?? '',
    news: p.news ?? '',
    macro: p.macro ?? '',
    policy: p.policy ?? '',
  };
}

/**
 * The form that would rebuild a dataset the main side already holds (a reload, or a second window):
 * the form then describes the rows on screen instead of the defaults.
 */
export function datasetFormFromManifest(m: DatasetManifestDto): DatasetForm {
  return datasetFormFrom({
    source: m.source,
    tickers: [...m.tickers],
    start: m.start,
    end: m.end,
    horizon: m.horizon,
    threshold: m.threshold,
    seed: m.seed,
    signal: m.signal,
    ...(m.inputs.prices ? { prices: m.inputs.prices } : {}),
    ...(m.inputs.news ? { news: m.inputs.news } : {}),
    ...(m.inputs.macro ? { macro: m.inputs.macro } : {}),
    ...(m.inputs.policy ? { policy: m.inputs.policy } : {}),
  });
}

/** "aapl, MSFT;msft  brk.b" → ["AAPL", "MSFT", "BRK.B"]: upper-cased, in order, without repeats. */
export function tickersOf(text: string): string[] {
  const list = text
    .split(/[\s,;]+/)
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t.length > 0);
  return [...new Set(list)];
}

/** Add or remove one symbol from a ticker list text (the default-ticker toggles). */
export function toggleTicker(text: string, ticker: string): string {
  const list = tickersOf(text);
  const next = list.includes(ticker) ? list.filter((t) => t !== ticker) : [...list, ticker];
  return next.join(', ');
}

/** The parts of a zod issue a friendlier message is made from. */
interface IssueLike {
  path: PropertyKey[];
  message: string;
  code?: string;
  minimum?: number | bigint;
  maximum?: number | bigint;
  inclusive?: boolean;
  expected?: string;
}

/** "Too big: expected number to be <=1" → "at most 1": what a form field says under itself. */
export function friendlyIssue(i: IssueLike): string {
  // a schema's own message ("at least one ticker") stays; only zod's generic wording is rephrased
  if (!/^(Too big|Too small|Invalid input)/.test(i.message)) return i.message;
  if (i.code === 'too_big' && i.maximum !== undefined) return i.inclusive === false ? `must be below ${i.maximum}` : `at most ${i.maximum}`;
  if (i.code === 'too_small' && i.minimum !== undefined) return i.inclusive === false ? `must be above ${i.minimum}` : `at least ${i.minimum}`;
  if (i.code === 'invalid_type' && i.expected === 'int') return 'a whole number';
  if (i.code === 'invalid_type' && i.expected === 'number') return 'a number';
  return i.message;
}

function issuesByField(issues: IssueLike[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const i of issues) errors[String(i.path[0] ?? 'form')] ??= friendlyIssue(i);
  return errors;
}

export function datasetRequest(form: DatasetForm): Checked<DatasetParamsInput> {
  const optional = (s: string) => (s.trim() === '' ? undefined : s.trim());
  const csv = form.source === 'csv';
  const candidate: DatasetParamsInput = {
    source: form.source,
    tickers: tickersOf(form.tickers),
    start: form.start,
    end: form.end,
    horizon: form.horizon,
    threshold: form.threshold,
    seed: form.seed,
    signal: form.signal,
    // folders only matter for the csv source; sending them otherwise would be checked needlessly
    prices: csv ? optional(form.prices) : undefined,
    news: csv ? optional(form.news) : undefined,
    macro: csv ? optional(form.macro) : undefined,
    policy: csv ? optional(form.policy) : undefined,
  };
  for (const k of ['prices', 'news', 'macro', 'policy'] as const) if (candidate[k] === undefined) delete candidate[k];
  const r = DatasetParams.safeParse(candidate);
  if (r.success) return { ok: true, value: candidate };
  return {
    ok: false,
    errors: issuesByField(r.error.issues),
    summary: describeIssues(r.error),
  };
}

export function trainRequest(params: TrainParamsT): Checked<TrainParamsT> {
  const r = TrainParams.safeParse(params);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, errors: issuesByField(r.error.issues), summary: describeIssues(r.error) };
}

/** Field names as the Train view labels them. */
export const TRAIN_FIELD_LABEL: Record<string, string> = {
  epochs: 'epochs',
  batchSize: 'batch size',
  learningRate: 'learning rate',
  seqLen: 'window',
  decayEvery: 'decay every',
  decayFactor: 'decay factor',
  clipNorm: 'gradient clip',
  dropout: 'dropout',
  towerSplit: 'tower split',
  selectBy: 'keep the epoch by',
  seed: 'seed',
};
