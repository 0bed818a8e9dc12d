/** `training_summary.json`: DESIGN's shape (keys must stay stable), plus a few additive keys. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WorkbenchError } from '../errors';
import type { PermutationImportance, TickerTrading, TradingReport, WalkForwardSummary } from '../research';
import type { Backend, FeatureName, FeatureProvenance, Metrics, ModelKind, SourceKind } from '../types';
import type { PermutationImportanceDto, TradingReportDto, WalkForwardDto } from '../../../src-preload/contract';

export const SUMMARY_FILE = 'training_summary.json';

// Compile-time checks: the contract's research DTOs stay assignable to the core's types (the other
// direction is checked at run time: tests parse real summaries with the contract's schema).
type Assignable<A, B> = [A] extends [B] ? true : false;
const _checks: [
  Assignable<WalkForwardDto, WalkForwardSummary>,
  Assignable<PermutationImportanceDto, PermutationImportance>,
  Assignable<Omit<TradingReportDto, 'per_ticker'>, Omit<TradingReportSummary, 'per_ticker'>>,
] = [true, true, true];
void _checks;

export interface HistoryPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  val_macro_f1?: number;
  seconds?: number;
}

export interface ModelSummary {
  params: number;
  params_note?: string;
  best_epoch: number;
  train_seconds: number;
  /** threads the training ran on (2: the LSTM's batch parts in parallel, training/step.ts) */
  threads?: number;
  history: HistoryPoint[];
  metrics: Metrics;
}

export interface BaselineSummary {
  accuracy: number;
  macro_f1: number;
}

export interface TradingSummary {
  cost_bps: number;
  days: number;
  strategy_return: number;
  buy_and_hold_return: number;
  exposure: number;
  per_ticker: { ticker: string; days: number; exposure: number; strategy_return: number; buy_and_hold_return: number }[];
}

/** The stratified-random baseline: random predictions with the training class frequencies (mean over seeded draws). */
export interface StratifiedSummary extends BaselineSummary {
  accuracy_std: number;
  macro_f1_std: number;
  draws: number;
}

/**
 * research/trading's report as stored: per-ticker figures without their curves (they would multiply the
 * summary's size), the equal-weight portfolio with its equity curve.
 */
export interface TradingReportSummary extends Omit<TradingReport, 'per_ticker'> {
  per_ticker: Omit<TickerTrading, 'equity'>[];
}

export interface TrainingSummary {
  created: string;
  backend: Backend;
  dataset: {
    source: SourceKind;
    tickers: string[];
    start: string;
    end: string;
    horizon: number;
    threshold: number;
    seed: number;
    train_samples: number;
    val_samples: number;
    features: FeatureName[];
    hash: string;
    provenance?: Record<string, FeatureProvenance>;
  };
  models: Partial<Record<ModelKind, ModelSummary>>;
  baselines: { majority: BaselineSummary; persistence: BaselineSummary; stratified?: StratifiedSummary };
  comparison: {
    mcnemar_p: number | null;
    mcnemar_b?: number;
    mcnemar_c?: number;
    mcnemar_method?: 'exact' | 'chi2';
    /** one line for people, e.g. "p = 0.25: no evidence the models differ" */
    mcnemar_reading?: string;
  };
  /** the first read-out (kept for older readers); trading_report is the full one */
  trading?: Partial<Record<ModelKind, TradingSummary>>;
  trading_report?: Partial<Record<ModelKind, TradingReportSummary>>;
  /** permutation importance on validation (absent in summaries written before it existed) */
  importance?: Partial<Record<ModelKind, PermutationImportance>>;
  /** present once a walk-forward evaluation was run for this run's configuration */
  walk_forward?: WalkForwardSummary;
}

const metricsSchema = z.looseObject({
  accuracy: z.number(),
  macro_f1: z.number(),
  confusion_matrix: z.array(z.array(z.number()).length(3)).length(3),
  per_class: z.array(z.looseObject({ precision: z.number(), recall: z.number(), f1: z.number(), support: z.number() })).length(3),
});
const modelSchema = z.looseObject({
  params: z.number(),
  best_epoch: z.number(),
  train_seconds: z.number(),
  history: z.array(z.looseObject({ epoch: z.number(), loss: z.number(), accuracy: z.number(), val_loss: z.number(), val_accuracy: z.number() })),
  metrics: metricsSchema,
});
const summarySchema = z.looseObject({
  created: z.string(),
  backend: z.enum(['tensorflow', 'wasm', 'cpu']),
  dataset: z.looseObject({
    source: z.enum(['synthetic', 'csv']),
    tickers: z.array(z.string()),
    start: z.string(),
    end: z.string(),
    horizon: z.number(),
    threshold: z.number(),
    seed: z.number(),
    train_samples: z.number(),
    val_samples: z.number(),
    features: z.array(z.string()),
    hash: z.string(),
  }),
  models: z.looseObject({ lstm: modelSchema.optional(), dual_tower: modelSchema.optional() }),
  baselines: z.looseObject({
    majority: z.looseObject({ accuracy: z.number(), macro_f1: z.number() }),
    persistence: z.looseObject({ accuracy: z.number(), macro_f1: z.number() }),
  }),
  comparison: z.looseObject({ mcnemar_p: z.number().nullable() }),
});

/** Read and validate a summary; a truncated or hand-broken file is a CORRUPT error naming it. */
export async function loadSummary(dir: string): Promise<TrainingSummary> {
  const file = path.join(dir, SUMMARY_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    throw new WorkbenchError('NOT_FOUND', `no ${SUMMARY_FILE} in ${dir}`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new WorkbenchError('CORRUPT', 'not valid JSON (truncated or edited?)', { file });
  }
  const parsed = summarySchema.safeParse(json);
  if (!parsed.success) throw new WorkbenchError('CORRUPT', `unexpected content: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`, { file });
  return parsed.data as unknown as TrainingSummary;
}
