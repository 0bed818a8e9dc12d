/** `training_summary.json`: DESIGN's shape (keys must stay stable), plus a few additive keys. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { WorkbenchError } from '../errors';
import type { Backend, FeatureName, FeatureProvenance, Metrics, ModelKind, SourceKind } from '../types';

export const SUMMARY_FILE = 'training_summary.json';

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
  baselines: { majority: BaselineSummary; persistence: BaselineSummary };
  comparison: { mcnemar_p: number | null; mcnemar_b?: number; mcnemar_c?: number };
  trading?: Partial<Record<ModelKind, TradingSummary>>;
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
