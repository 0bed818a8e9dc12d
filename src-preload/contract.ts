/**
 * THE contract between the renderer and the main side (Electron IPC or the browser-mode WebSocket).
 * Both ends compile against this one file: every call's request and response and every event payload
 * is a zod schema here, the TypeScript types are inferred from them, and the main side parses every
 * payload with these schemas before touching anything.
 *
 * Conventions
 * - Call names are `<group>.<method>`; the renderer sees them as `api.<group>.<method>(request)`.
 * - A call answers `{ ok: true, value }` or `{ ok: false, error: { code, message } }` on the wire;
 *   `createApi` turns the error into a rejected `ApiError` (read it with `errorOf(e)`, which also works
 *   after Electron's contextBridge has stripped custom error properties).
 * - Tickers: /^[A-Z][A-Z0-9.\-]{0,9}$/ for every source. The synthetic source accepts ANY symbol of
 *   that form (known tickers get their calibrated price level and volatility, others parameters derived
 *   from the symbol), so "unknown ticker" only means "badly formed ticker".
 * - Paths in requests are plain strings here; the main side additionally requires them to resolve
 *   (path.resolve + realpath) inside one of `app.info().allowedFolders`, else BAD_REQUEST.
 *
 * Content-Security-Policy for src-renderer/index.html: RENDERER_CSP_META below, verbatim, in the
 * meta tag; both front doors also send RENDERER_CSP (the same plus frame-ancestors) as a header.
 */
import { z } from 'zod';
import {
  CLASS_NAMES,
  DEFAULT_TICKERS,
  FEATURE_NAMES,
  type DatasetManifest,
  type EpochRecord,
  type FeatureName,
  type Metrics,
  type TrainConfig,
} from '../src-main/core/types';
import type { ErrorCode } from '../src-main/core/errors';
import { DATASET_LIMITS as DL, MAX_TICKERS, TICKER_PATTERN, TICKER_RULE, TRAIN_LIMITS as TL } from '../src-main/core/limits';

/**
 * The renderer's Content-Security-Policy. `RENDERER_CSP_META` goes verbatim into index.html's
 * <meta http-equiv="Content-Security-Policy"> (browsers ignore frame-ancestors in a meta tag and log
 * an error for it); `RENDERER_CSP` adds it and is sent as a response header by both front doors.
 */
export const RENDERER_CSP_META =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; form-action 'none'";
export const RENDERER_CSP = `${RENDERER_CSP_META}; frame-ancestors 'none'`;

export { CLASS_NAMES, DEFAULT_TICKERS, FEATURE_NAMES };

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

export { TICKER_PATTERN };
export const Ticker = z.string().regex(TICKER_PATTERN, TICKER_RULE);

function isRealIsoDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine(isRealIsoDate, 'not a calendar date');

/** A user-supplied path. Containment in an allowed folder is checked by the main side (needs the file system). */
export const FolderPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\0'), 'path contains a NUL byte');

export const RunId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'malformed run id');

export const SourceKindSchema = z.enum(['synthetic', 'csv']);
export const BackendSchema = z.enum(['tensorflow', 'wasm', 'cpu']);
export const ModelKindSchema = z.enum(['lstm', 'dual_tower']);
export const RowPartSchema = z.enum(['train', 'embargo', 'validation', 'unlabelled']);
export const FeatureNameSchema = z.enum(FEATURE_NAMES);
export const FeatureGroupSchema = z.enum(['stock', 'news', 'macro', 'policy']);
export const DirectionSchema = z.union([z.literal(-1), z.literal(0), z.literal(1)]);
export const ErrorCodeSchema = z.enum([
  'BAD_INPUT',
  'NOT_FOUND',
  'BAD_REQUEST',
  'CORRUPT',
  'CANCELLED',
  'TRAINING_FAILED',
  'INTERNAL',
] as const satisfies readonly ErrorCode[]);

export const ErrorPayloadSchema = z.object({ code: ErrorCodeSchema, message: z.string() });
export type ErrorPayload = z.infer<typeof ErrorPayloadSchema>;

const Empty = z.object({}).strict();
const Fraction = z.number().min(0).max(1);
const Count = z.number().int().min(0);
const Probabilities = z.tuple([Fraction, Fraction, Fraction]);

const uniqueTickers = (max: number) =>
  z
    .array(Ticker)
    .min(1, 'at least one ticker')
    .max(max)
    .refine((t) => new Set(t).size === t.length, 'tickers must be unique');

// ---------------------------------------------------------------------------------------------
// Dataset
// ---------------------------------------------------------------------------------------------

/**
 * Upper bound on tickers × trading days a request may ask for (~50 tickers × 39 years; the default
 * dataset is ~8,700 rows). It keeps one request from exhausting the main process's memory.
 */
export const MAX_DATASET_ROWS = 500_000;

/** Trading days between two ISO dates, estimated (252 a year) — enough for a size limit. */
function estimatedTradingDays(start: string, end: string): number {
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000;
  return Math.ceil((Math.max(0, days) * 252) / 365.25);
}

/** Dataset parameters as the Dataset view sends them (= DatasetConfig with defaults). */
export const DatasetParams = z
  .object({
    source: SourceKindSchema.default('synthetic'),
    tickers: uniqueTickers(MAX_TICKERS),
    start: IsoDate,
    end: IsoDate,
    horizon: z.number().int().min(DL.horizon[0]).max(DL.horizon[1]).default(1),
    threshold: z.number().min(DL.threshold[0]).max(DL.threshold[1]).default(0.005),
    seed: z.number().int().min(DL.seed[0]).max(DL.seed[1]).default(42),
    signal: z.number().min(DL.signal[0]).max(DL.signal[1]).default(0.3),
    trainFraction: z.number().min(DL.trainFraction[0]).max(DL.trainFraction[1]).default(2 / 3),
    normalisation: z.enum(['per_ticker', 'global']).default('per_ticker'),
    prices: FolderPath.optional(),
    news: FolderPath.optional(),
    macro: FolderPath.optional(),
    policy: FolderPath.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if (p.start >= p.end) ctx.addIssue({ code: 'custom', path: ['end'], message: 'start must be before end' });
    const rows = p.tickers.length * estimatedTradingDays(p.start, p.end);
    if (rows > MAX_DATASET_ROWS)
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `about ${rows.toLocaleString('en-US')} rows (tickers × trading days); the limit is ${MAX_DATASET_ROWS.toLocaleString('en-US')} — choose fewer tickers or a shorter range`,
      });
    if (p.source === 'csv' && !p.prices)
      ctx.addIssue({ code: 'custom', path: ['prices'], message: 'the csv source needs a prices folder' });
  });
export type DatasetParams = z.infer<typeof DatasetParams>;
export type DatasetParamsInput = z.input<typeof DatasetParams>;

const ClassBalanceSchema = z.object({ down: Count, flat: Count, up: Count });

/** Mirrors core DatasetManifest (checked at compile time below). */
export const DatasetManifestSchema = z.object({
  source: SourceKindSchema,
  seed: z.number(),
  signal: z.number(),
  tickers: z.array(z.string()),
  start: z.string(),
  end: z.string(),
  horizon: z.number(),
  threshold: z.number(),
  features: z.array(FeatureNameSchema),
  provenance: z.record(FeatureNameSchema, z.enum(['real', 'filled', 'partial'])),
  filledCounts: z.record(FeatureNameSchema, z.number()),
  classBalance: z.object({ train: ClassBalanceSchema, validation: ClassBalanceSchema, all: ClassBalanceSchema }),
  split: z.object({
    trainFraction: z.number(),
    trainEnd: z.string(),
    validationStart: z.string(),
    embargoDays: z.number(),
  }),
  trainSamples: Count,
  valSamples: Count,
  rows: Count,
  repairs: z.array(z.string()),
  inputs: z.object({
    prices: z.string().optional(),
    news: z.string().optional(),
    macro: z.string().optional(),
    policy: z.string().optional(),
  }),
  hash: z.string(),
});
export type DatasetManifestDto = z.infer<typeof DatasetManifestSchema>;

export const DatasetRowsRequest = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
    ticker: Ticker.optional(),
    part: RowPartSchema.optional(),
    sortBy: z.union([FeatureNameSchema, z.enum(['date', 'ticker', 'target'])]).default('ticker'),
    sortDir: z.enum(['asc', 'desc']).default('asc'),
  })
  .strict();

export const DatasetRow = z.object({
  /** position in the dataset (ticker, date order) */
  index: Count,
  date: z.string(),
  ticker: z.string(),
  /** raw (unnormalised) values in FEATURE_NAMES order */
  features: z.array(z.number()).length(FEATURE_NAMES.length),
  target: DirectionSchema.nullable(),
  part: RowPartSchema,
});
export type DatasetRow = z.infer<typeof DatasetRow>;

export const DatasetRowsResponse = z.object({ total: Count, offset: Count, rows: z.array(DatasetRow) });

export const FeatureSummary = z.object({
  name: FeatureNameSchema,
  group: FeatureGroupSchema,
  min: z.number(),
  mean: z.number(),
  max: z.number(),
  /** rows whose value was filled with a neutral value (no real data) */
  filled: Count,
  /** rows whose value is not a finite number (0 in a healthy dataset) */
  missing: Count,
  provenance: z.enum(['real', 'filled', 'partial']),
});
export type FeatureSummary = z.infer<typeof FeatureSummary>;

export const DatasetSeriesResponse = z.object({
  ticker: z.string(),
  dates: z.array(z.string()),
  close: z.array(z.number()),
  sma_20: z.array(z.number()),
  bb_upper: z.array(z.number()),
  bb_lower: z.array(z.number()),
  rsi_14: z.array(z.number()),
  macd: z.array(z.number()),
  macd_signal: z.array(z.number()),
  target: z.array(DirectionSchema.nullable()),
  part: z.array(RowPartSchema),
});
export type DatasetSeries = z.infer<typeof DatasetSeriesResponse>;

// ---------------------------------------------------------------------------------------------
// Training
// ---------------------------------------------------------------------------------------------

/** Per-model training parameters (= core TrainConfig). Every field has the seed's default. */
export const TrainParams = z
  .object({
    epochs: z.number().int().min(TL.epochs[0]).max(TL.epochs[1]).default(20),
    batchSize: z.number().int().min(TL.batchSize[0]).max(TL.batchSize[1]).default(8),
    learningRate: z.number().gt(TL.learningRate[0]).max(TL.learningRate[1]).default(1e-3),
    decayEvery: z.number().int().min(TL.decayEvery[0]).max(TL.decayEvery[1]).default(5),
    decayFactor: z.number().gt(TL.decayFactor[0]).max(TL.decayFactor[1]).default(0.5),
    clipNorm: z.number().gt(TL.clipNorm[0]).max(TL.clipNorm[1]).default(1),
    seqLen: z.number().int().min(TL.seqLen[0]).max(TL.seqLen[1]).default(3),
    dropout: z.number().min(TL.dropout[0]).max(TL.dropout[1]).default(0.3),
    towerSplit: z.enum(['group', 'seed_index']).default('group'),
    selectBy: z.enum(['macro_f1', 'accuracy', 'balanced_accuracy', 'val_loss']).default('macro_f1'),
    seed: z.number().int().min(TL.seed[0]).max(TL.seed[1]).default(42),
  })
  .strict();
export type TrainParams = z.infer<typeof TrainParams>;
export type TrainParamsInput = z.input<typeof TrainParams>;

export const TrainStartRequest = z
  .object({
    models: z
      .array(ModelKindSchema)
      .min(1)
      .max(2)
      .refine((m) => new Set(m).size === m.length, 'models must be unique'),
    lstm: TrainParams.prefault({}),
    dual_tower: TrainParams.prefault({}),
    /** permutation importance of each model after training (it can take longer than the training) */
    importance: z.boolean().default(true),
  })
  .strict();
export type TrainStartRequest = z.input<typeof TrainStartRequest>;

export const EpochRecordSchema = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  accuracy: z.number(),
  val_loss: z.number(),
  val_accuracy: z.number(),
  val_macro_f1: z.number(),
  seconds: z.number(),
});

export const MetricsSchema = z.object({
  accuracy: z.number(),
  balanced_accuracy: z.number(),
  macro_f1: z.number(),
  mcc: z.number(),
  log_loss: z.number(),
  per_class: z.array(z.object({ precision: z.number(), recall: z.number(), f1: z.number(), support: Count })),
  confusion_matrix: z.array(z.array(Count)),
});

/** One model's entry in training_summary.json (DESIGN's `M`). Extra keys pass through. */
export const ModelSummarySchema = z.looseObject({
  params: Count,
  /** e.g. the Keras-vs-PyTorch LSTM parameter count note */
  params_note: z.string().optional(),
  best_epoch: z.number().int(),
  train_seconds: z.number(),
  history: z.array(
    z.looseObject({
      epoch: z.number().int(),
      loss: z.number(),
      accuracy: z.number(),
      val_loss: z.number(),
      val_accuracy: z.number(),
      val_macro_f1: z.number().optional(),
      seconds: z.number().optional(),
    }),
  ),
  metrics: MetricsSchema,
});
export type ModelSummaryDto = z.infer<typeof ModelSummarySchema>;

const BaselineSchema = z.looseObject({ accuracy: z.number(), macro_f1: z.number() });

/** Trading read-out on validation: long when "up" is predicted, flat otherwise, against buy-and-hold. */
export const TradingSummarySchema = z.looseObject({
  cost_bps: z.number(),
  days: z.number(),
  strategy_return: z.number(),
  buy_and_hold_return: z.number(),
  exposure: z.number(),
  per_ticker: z.array(
    z.object({
      ticker: z.string(),
      days: z.number(),
      exposure: z.number(),
      strategy_return: z.number(),
      buy_and_hold_return: z.number(),
    }),
  ),
});
export type TradingSummaryDto = z.infer<typeof TradingSummarySchema>;

/** Random predictions with the training class mix: mean (and spread) over seeded draws. */
export const StratifiedBaselineSchema = z.looseObject({
  accuracy: z.number(),
  macro_f1: z.number(),
  accuracy_std: z.number(),
  macro_f1_std: z.number(),
  draws: Count,
});

const EquityPointSchema = z.object({ date: z.string(), strategy: z.number(), buy_and_hold: z.number() });
const TradingStatsShape = {
  days: Count,
  cumulative_return: z.number(),
  /** share of long days that rose; null without a long day */
  hit_rate: z.number().nullable(),
  max_drawdown: z.number(),
  exposure: z.number(),
  trades: Count,
  buy_and_hold_return: z.number(),
  buy_and_hold_max_drawdown: z.number(),
};

/** The full trading read-out: per ticker, and an equal-weight portfolio with its equity curve (value of 1 invested). */
export const TradingReportSchema = z.looseObject({
  cost_bps: z.number(),
  per_ticker: z.array(z.looseObject({ ticker: z.string(), ...TradingStatsShape })),
  portfolio: z.looseObject({ ...TradingStatsShape, tickers: Count, equity: z.array(EquityPointSchema) }),
});
export type TradingReportDto = z.infer<typeof TradingReportSchema>;

const DropShape = { drop_accuracy: z.number(), drop_macro_f1: z.number(), rise_log_loss: z.number() };

/** Permutation importance on validation: the drop of each metric when a feature (or a group, jointly) is shuffled. */
export const PermutationImportanceSchema = z.looseObject({
  kind: ModelKindSchema,
  repeats: Count,
  seed: z.number(),
  samples: Count,
  base: z.object({ accuracy: z.number(), macro_f1: z.number(), log_loss: z.number() }),
  feature: z.array(z.object({ name: FeatureNameSchema, group: FeatureGroupSchema, ...DropShape })),
  group: z.array(z.object({ name: FeatureGroupSchema, features: z.array(FeatureNameSchema), ...DropShape })),
});
export type PermutationImportanceDto = z.infer<typeof PermutationImportanceSchema>;

const SpreadSchema = z.object({ mean: z.number(), std: z.number() });
const WalkForwardMetricsShape = {
  accuracy: z.number(),
  balanced_accuracy: z.number(),
  macro_f1: z.number(),
  mcc: z.number(),
  log_loss: z.number(),
};
const WalkForwardSpreads = z.object({
  accuracy: SpreadSchema,
  balanced_accuracy: SpreadSchema,
  macro_f1: SpreadSchema,
  mcc: SpreadSchema,
  log_loss: SpreadSchema,
});
const BaselineSpreads = z.object({ accuracy: SpreadSchema, macro_f1: SpreadSchema });
const WalkForwardFoldModel = z.object({ ...WalkForwardMetricsShape, best_epoch: z.number().int() });

/** Walk-forward: k chronological folds (expanding window, embargo = horizon), every model retrained per fold. */
export const WalkForwardSchema = z.looseObject({
  k: z.number().int(),
  horizon: z.number().int(),
  scheme: z.literal('expanding'),
  folds: z.array(
    z.looseObject({
      fold: z.number().int(),
      train_start: z.string(),
      train_end: z.string(),
      validation_start: z.string(),
      validation_end: z.string(),
      train_samples: Count,
      val_samples: Count,
      models: z.object({ lstm: WalkForwardFoldModel.optional(), dual_tower: WalkForwardFoldModel.optional() }),
      baselines: z.object({ majority: BaselineSchema, persistence: BaselineSchema, stratified: BaselineSchema }),
    }),
  ),
  /** mean and sample standard deviation over the folds */
  models: z.object({ lstm: WalkForwardSpreads.optional(), dual_tower: WalkForwardSpreads.optional() }),
  baselines: z.object({ majority: BaselineSpreads, persistence: BaselineSpreads, stratified: BaselineSpreads }),
});
export type WalkForwardDto = z.infer<typeof WalkForwardSchema>;

/** Bounds of `runs.walkForward`'s k. */
export const WALK_FORWARD_FOLDS = { min: 2, max: 10, default: 3 } as const;

/** training_summary.json (DESIGN "Outputs on disk"). Keys are stable; extra keys pass through. */
export const TrainingSummarySchema = z.looseObject({
  created: z.string(),
  backend: BackendSchema,
  dataset: z.looseObject({
    source: SourceKindSchema,
    tickers: z.array(z.string()),
    start: z.string(),
    end: z.string(),
    horizon: z.number(),
    threshold: z.number(),
    seed: z.number(),
    train_samples: Count,
    val_samples: Count,
    features: z.array(z.string()),
    hash: z.string(),
    provenance: z.record(z.string(), z.enum(['real', 'filled', 'partial'])).optional(),
  }),
  models: z.object({ lstm: ModelSummarySchema.optional(), dual_tower: ModelSummarySchema.optional() }),
  baselines: z.looseObject({ majority: BaselineSchema, persistence: BaselineSchema, stratified: StratifiedBaselineSchema.optional() }),
  /** McNemar on the two models' validation disagreements (b, c = discordant counts); null with one model */
  comparison: z.looseObject({
    mcnemar_p: z.number().nullable(),
    mcnemar_b: z.number().optional(),
    mcnemar_c: z.number().optional(),
    mcnemar_method: z.enum(['exact', 'chi2']).optional(),
    /** one line, e.g. "p = 0.25: no evidence the models differ (…)" */
    mcnemar_reading: z.string().optional(),
  }),
  trading: z
    .object({ lstm: TradingSummarySchema.optional(), dual_tower: TradingSummarySchema.optional() })
    .optional(),
  trading_report: z.object({ lstm: TradingReportSchema.optional(), dual_tower: TradingReportSchema.optional() }).optional(),
  importance: z.object({ lstm: PermutationImportanceSchema.optional(), dual_tower: PermutationImportanceSchema.optional() }).optional(),
  walk_forward: WalkForwardSchema.optional(),
});
export type TrainingSummaryDto = z.infer<typeof TrainingSummarySchema>;

export const RunStatusSchema = z.enum(['running', 'done', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** A run as kept in the store (Runs view). */
export const RunRecordSchema = z.object({
  id: RunId,
  created: z.string(),
  finished: z.string().nullable(),
  status: RunStatusSchema,
  dataset: DatasetParams,
  datasetHash: z.string(),
  train: z.object({ models: z.array(ModelKindSchema), lstm: TrainParams, dual_tower: TrainParams }),
  backend: BackendSchema.nullable(),
  /** folder holding lstm_best/, dual_tower_best/, training_summary.json */
  modelsFolder: z.string(),
  /** per-epoch curves as they streamed in (kept for failed/cancelled runs too) */
  history: z.object({ lstm: z.array(EpochRecordSchema), dual_tower: z.array(EpochRecordSchema) }),
  summary: TrainingSummarySchema.nullable(),
  error: ErrorPayloadSchema.nullable(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

export const RunListItemSchema = z.object({
  id: RunId,
  created: z.string(),
  status: RunStatusSchema,
  datasetHash: z.string(),
  backend: BackendSchema.nullable(),
  /** where the dataset's rows came from (synthetic or the user's csv files) */
  source: SourceKindSchema,
  tickers: z.array(z.string()),
  start: z.string(),
  end: z.string(),
  models: z.array(ModelKindSchema),
  /** validation accuracy / macro-F1 per trained model (absent until the run is done) */
  metrics: z.object({
    lstm: z.object({ accuracy: z.number(), macro_f1: z.number() }).optional(),
    dual_tower: z.object({ accuracy: z.number(), macro_f1: z.number() }).optional(),
  }),
  modelsFolder: z.string(),
});
export type RunListItem = z.infer<typeof RunListItemSchema>;

// ---------------------------------------------------------------------------------------------
// Predict
// ---------------------------------------------------------------------------------------------

export const PredictRequest = z
  .object({ runId: RunId, tickers: uniqueTickers(20), date: IsoDate.optional() })
  .strict();

export const PredictionSchema = z.object({
  ticker: z.string(),
  /** the day whose close the prediction is made at */
  date: z.string(),
  /** class probabilities [down, flat, up]; null when the run did not train that model */
  lstm: Probabilities.nullable(),
  dual_tower: Probabilities.nullable(),
  average: Probabilities,
  /** class index of `average` (0 down, 1 flat, 2 up) */
  predicted: z.union([z.literal(0), z.literal(1), z.literal(2)]),
});
export type PredictionDto = z.infer<typeof PredictionSchema>;

// ---------------------------------------------------------------------------------------------
// App
// ---------------------------------------------------------------------------------------------

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  /** tfjs backend the trainer uses; null until known (first job or probe) */
  backend: BackendSchema.nullable(),
  dataFolder: z.string(),
  allowedFolders: z.array(z.string()),
  /** things the user should know at startup (e.g. a corrupt store moved aside) */
  notices: z.array(z.string()),
  defaultTickers: z.array(z.string()),
  features: z.array(z.object({ name: FeatureNameSchema, group: FeatureGroupSchema })),
  defaults: z.object({ dataset: DatasetParams, train: TrainParams }),
  /** the dataset currently loaded on the main side, if any */
  dataset: DatasetManifestSchema.nullable(),
  /** the run currently training, if any */
  activeRunId: RunId.nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

export const DatasetProgressEvent = z.object({ stage: z.string(), fraction: Fraction });

export const TrainProgressEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job-ready'), runId: RunId, kind: ModelKindSchema, backend: BackendSchema }),
  z.object({
    type: z.literal('batch'),
    runId: RunId,
    kind: ModelKindSchema,
    epoch: z.number().int(),
    batch: z.number().int(),
    batches: z.number().int(),
    loss: z.number(),
    /** the trainer's estimate from the batches so far */
    etaSeconds: z.number().min(0).optional(),
  }),
  z.object({
    type: z.literal('epoch'),
    runId: RunId,
    kind: ModelKindSchema,
    record: EpochRecordSchema,
    epochs: z.number().int(),
    etaSeconds: z.number(),
  }),
  z.object({ type: z.literal('stage'), runId: RunId, kind: ModelKindSchema, stage: z.string(), fraction: Fraction }),
  z.object({ type: z.literal('model-done'), runId: RunId, kind: ModelKindSchema }),
]);
export type TrainProgressEvent = z.infer<typeof TrainProgressEvent>;

export const TrainDoneEvent = z.object({ runId: RunId, summary: TrainingSummarySchema });
export const TrainFailedEvent = z.object({ runId: RunId, code: ErrorCodeSchema, message: z.string() });

export const WalkForwardRequest = z
  .object({
    runId: RunId,
    k: z.number().int().min(WALK_FORWARD_FOLDS.min).max(WALK_FORWARD_FOLDS.max).default(WALK_FORWARD_FOLDS.default),
  })
  .strict();

/** Walk-forward of a run: `fraction` is of that model's whole job (all folds). */
export const WalkForwardProgressEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('job-ready'), runId: RunId, kind: ModelKindSchema, backend: BackendSchema }),
  z.object({
    type: z.literal('progress'),
    runId: RunId,
    kind: ModelKindSchema,
    fold: z.number().int(),
    folds: z.number().int(),
    epoch: z.number().int(),
    epochs: z.number().int(),
    fraction: Fraction,
  }),
  z.object({ type: z.literal('model-done'), runId: RunId, kind: ModelKindSchema }),
]);
export type WalkForwardProgressEvent = z.infer<typeof WalkForwardProgressEvent>;
/** the walk-forward is stored in the run's summary (file and record) before this is sent */
export const WalkForwardDoneEvent = z.object({ runId: RunId, walkForward: WalkForwardSchema });
export const WalkForwardFailedEvent = z.object({ runId: RunId, code: ErrorCodeSchema, message: z.string() });

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

export const contract = {
  calls: {
    'app.info': { request: Empty, response: AppInfo },
    'dataset.generate': { request: DatasetParams, response: DatasetManifestSchema },
    'dataset.rows': { request: DatasetRowsRequest, response: DatasetRowsResponse },
    'dataset.featureSummary': { request: Empty, response: z.object({ features: z.array(FeatureSummary) }) },
    'dataset.series': { request: z.object({ ticker: Ticker }).strict(), response: DatasetSeriesResponse },
    'dataset.export': {
      request: z.object({ folder: FolderPath.optional() }).strict(),
      response: z.object({ folder: z.string(), files: z.array(z.string()) }),
    },
    'train.start': { request: TrainStartRequest, response: z.object({ runId: RunId }) },
    'train.cancel': { request: z.object({ runId: RunId }).strict(), response: z.object({ cancelled: z.boolean() }) },
    'runs.list': { request: Empty, response: z.object({ runs: z.array(RunListItemSchema) }) },
    'runs.get': { request: z.object({ runId: RunId }).strict(), response: RunRecordSchema },
    'runs.delete': { request: z.object({ runId: RunId }).strict(), response: z.object({ deleted: z.boolean() }) },
    /**
     * Start a walk-forward evaluation of a finished run (k folds, both models retrained per fold, in trainer
     * processes); answers at once, then walkForward.* events. Asking again for the run in flight follows it
     * (events go to the new caller). `train.cancel` with the run's id cancels it.
     */
    'runs.walkForward': { request: WalkForwardRequest, response: z.object({ runId: RunId, k: z.number().int() }) },
    'predict.run': {
      request: PredictRequest,
      response: z.object({ runId: RunId, predictions: z.array(PredictionSchema) }),
    },
    /** Electron only; browser mode answers BAD_REQUEST. `folder` is null when the user cancelled. */
    'dialog.openFolder': {
      request: z.object({ title: z.string().max(200).optional() }).strict(),
      response: z.object({ folder: z.string().nullable() }),
    },
  },
  events: {
    'dataset.progress': DatasetProgressEvent,
    'train.progress': TrainProgressEvent,
    'train.done': TrainDoneEvent,
    'train.failed': TrainFailedEvent,
    'walkForward.progress': WalkForwardProgressEvent,
    'walkForward.done': WalkForwardDoneEvent,
    'walkForward.failed': WalkForwardFailedEvent,
  },
} as const;

export type Calls = typeof contract.calls;
export type CallName = keyof Calls;
export type EventName = keyof typeof contract.events;
export const CALL_NAMES = Object.keys(contract.calls) as CallName[];
export const EVENT_NAMES = Object.keys(contract.events) as EventName[];

/** What the caller may send (defaults optional). */
export type RequestOf<N extends CallName> = z.input<Calls[N]['request']>;
/** What the handler receives after parsing (defaults filled). */
export type ParsedRequestOf<N extends CallName> = z.output<Calls[N]['request']>;
export type ResponseOf<N extends CallName> = z.output<Calls[N]['response']>;
export type EventOf<E extends EventName> = z.output<(typeof contract.events)[E]>;

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract.calls, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract.events, name);
}

/** A zod failure as one readable line: `tickers.0: ticker must be …; end: start must be before end`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** Parse a request for `name`; a failure is a BAD_REQUEST envelope error. */
export function parseRequest<N extends CallName>(
  name: N,
  payload: unknown,
): { ok: true; value: ParsedRequestOf<N> } | { ok: false; error: ErrorPayload } {
  const schema = contract.calls[name].request as unknown as z.ZodType<ParsedRequestOf<N>>;
  const r = schema.safeParse(payload ?? {});
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, error: { code: 'BAD_REQUEST', message: `${name}: ${describeIssues(r.error)}` } };
}

// ---------------------------------------------------------------------------------------------
// Client side: the typed Api built over a transport
// ---------------------------------------------------------------------------------------------

/** IPC (preload), WebSocket (browser mode) or a fake (tests). `invoke` resolves to an Envelope. */
export interface Transport {
  invoke(channel: CallName, payload: unknown): Promise<unknown>;
  subscribe(event: EventName, cb: (payload: unknown) => void): () => void;
}

const ERROR_CODES = ErrorCodeSchema.options;

/** A failed call. The message is prefixed with the code so it survives Electron's contextBridge. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;
  constructor(code: ErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'ApiError';
    this.code = code;
    this.detail = detail;
  }
}

/** { code, message } of anything a call rejected with (ApiError, or an Error copied by contextBridge). */
export function errorOf(err: unknown): ErrorPayload {
  if (err instanceof ApiError) return { code: err.code, message: err.detail };
  const text = err instanceof Error ? err.message : String(err);
  // contextBridge prefixes "Error invoking remote method …: " in some paths; find the code anywhere.
  const m = /\b([A-Z_]+): ([\s\S]*)$/.exec(text);
  if (m && (ERROR_CODES as readonly string[]).includes(m[1]!)) return { code: m[1] as ErrorCode, message: m[2]! };
  return { code: 'INTERNAL', message: text };
}

type Split<S extends string> = S extends `${infer G}.${infer M}` ? [G, M] : never;
type Group = Split<CallName>[0];

type CallFn<N extends CallName> = {} extends RequestOf<N>
  ? (request?: RequestOf<N>) => Promise<ResponseOf<N>>
  : (request: RequestOf<N>) => Promise<ResponseOf<N>>;

export type Api = {
  [G in Group]: { [N in CallName as Split<N>[0] extends G ? Split<N>[1] : never]: CallFn<N> };
} & {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, cb: (payload: EventOf<E>) => void): () => void;
};

const EnvelopeShape = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorPayloadSchema }),
]);

export function createApi(transport: Transport): Api {
  const api: Record<string, unknown> = {};
  for (const name of CALL_NAMES) {
    const [group, method] = name.split('.') as [string, string];
    const target = (api[group] ??= {}) as Record<string, unknown>;
    target[method] = async (request?: unknown) => {
      const raw = await transport.invoke(name, request ?? {});
      const env = EnvelopeShape.safeParse(raw);
      if (!env.success) throw new ApiError('INTERNAL', `${name}: malformed answer`);
      if (!env.data.ok) throw new ApiError(env.data.error.code, env.data.error.message);
      // Validate the answer too: a drifted main side shows up as a clear error, not a broken view.
      const parsed = contract.calls[name].response.safeParse(env.data.value);
      if (!parsed.success) throw new ApiError('INTERNAL', `${name}: answer broke the contract (${describeIssues(parsed.error)})`);
      return parsed.data;
    };
  }
  api.on = (event: EventName, cb: (payload: unknown) => void) =>
    transport.subscribe(event, (payload) => {
      const parsed = contract.events[event].safeParse(payload);
      if (parsed.success) cb(parsed.data);
    });
  return api as Api;
}

// ---------------------------------------------------------------------------------------------
// Compile-time checks: the DTOs stay assignable to the core's domain types.
// ---------------------------------------------------------------------------------------------
type Assignable<A, B> = [A] extends [B] ? true : false;
const _checks: [
  Assignable<DatasetManifestDto, DatasetManifest>,
  Assignable<z.infer<typeof EpochRecordSchema>, EpochRecord>,
  Assignable<z.infer<typeof MetricsSchema>, Metrics>,
  Assignable<TrainParams, TrainConfig>,
  Assignable<z.infer<typeof FeatureNameSchema>, FeatureName>,
] = [true, true, true, true, true];
// (the research DTOs are checked against the core's types in src-main/core/pipeline/summary.ts: the
// renderer's type check must not follow imports into Node-only modules)
void _checks;
