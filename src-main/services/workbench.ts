/**
 * The workbench service: everything the renderer can ask for, with no Electron in it. The Electron
 * IPC handlers and the browser-mode WebSocket server both call `handle(name, payload, ctx)`.
 * Every payload is parsed with the contract's schema before anything is touched; errors leave as
 * `{ code, message }` only. Events go to the caller that started the work (`ctx.emit`).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  contract,
  DatasetParams,
  describeIssues,
  DatasetManifestSchema,
  DEFAULT_TICKERS,
  FEATURE_NAMES,
  isCallName,
  parseRequest,
  TrainParams,
  TrainingSummarySchema,
  type AppInfo,
  type CallName,
  type DatasetRow,
  type Envelope,
  type EventName,
  type EventOf,
  type FeatureSummary,
  type ParsedRequestOf,
  type PredictionDto,
  type ResponseOf,
  type RunListItem,
  type RunRecord,
  type WalkForwardProgressEvent,
} from '../../src-preload/contract';
import { toErrorPayload, WorkbenchError } from '../core/errors';
import { untrainableReason } from '../core/dataset/classes';
import { featureGroup, type Backend, type Dataset, type DatasetConfig } from '../core/types';
import type { Engine, EnginePrediction, TrainerPort } from './engine';
import { checkAllowedPath, isInside } from './paths';
import type { RunStore } from './store';

export interface CallContext {
  emit<E extends EventName>(event: E, payload: EventOf<E>): void;
  /** false once the window/socket that made the call is gone */
  alive?(): boolean;
}

export interface ServiceDeps {
  mode: 'electron' | 'web';
  version: string;
  dataFolder: string;
  /** folders named on the command line (browser mode `--allow`) */
  extraAllowedFolders?: string[];
  store: RunStore;
  engine: Engine | (() => Promise<Engine>);
  /** Electron: utilityProcess adapter; elsewhere the pipeline's default (child_process.fork) */
  spawnTrainer?: () => TrainerPort;
  /** Electron only */
  openFolderDialog?: (title?: string) => Promise<string | null>;
  notices?: string[];
  now?: () => Date;
  newRunId?: () => string;
  /** the backend to report before any trainer has said which one it uses */
  expectedBackend?: Backend | null;
}

export interface WorkbenchService {
  handle(name: unknown, payload: unknown, ctx: CallContext): Promise<Envelope<unknown>>;
  /** id of the run in flight, if any */
  activeRunId(): string | null;
  /** resolves when the run in flight (if any) has finished and been recorded */
  idle(): Promise<void>;
  /** cancel jobs in flight and wait for them (app quit) */
  shutdown(): Promise<void>;
}

type Handlers = { [N in CallName]: (req: ParsedRequestOf<N>, ctx: CallContext) => Promise<ResponseOf<N>> };

interface ActiveRun {
  id: string;
  controller: AbortController;
  ctx: CallContext;
  record: RunRecord;
  finished: Promise<void>;
}

/** A walk-forward of a finished run in flight (one at a time; its trainers use both cores). */
interface ActiveWalkForward {
  runId: string;
  k: number;
  controller: AbortController;
  ctx: CallContext;
  finished: Promise<void>;
}

const STORE_FLUSH_MS = 1000;

function defaultRunId(now: Date): string {
  const t = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  return `${t}-${randomBytes(3).toString('hex')}`;
}

function argmax(p: readonly number[]): 0 | 1 | 2 {
  let best = 0;
  for (let i = 1; i < 3; i++) if ((p[i] ?? -Infinity) > (p[best] ?? -Infinity)) best = i;
  return best as 0 | 1 | 2;
}

function probs(p: number[] | null | undefined): [number, number, number] | null {
  if (!p) return null;
  if (p.length !== 3 || p.some((x) => !Number.isFinite(x))) throw new WorkbenchError('INTERNAL', 'a model returned malformed probabilities');
  return [p[0]!, p[1]!, p[2]!];
}

export function createWorkbenchService(deps: ServiceDeps): WorkbenchService {
  const now = deps.now ?? (() => new Date());
  const newRunId = deps.newRunId ?? (() => defaultRunId(now()));
  const notices = [...(deps.notices ?? []), ...deps.store.notices];
  let enginePromise: Promise<Engine> | null = null;
  const engine = (): Promise<Engine> =>
    (enginePromise ??= typeof deps.engine === 'function' ? deps.engine() : Promise.resolve(deps.engine));

  let dataset: Dataset | null = null;
  let generating = false;
  let active: ActiveRun | null = null;
  let walking: ActiveWalkForward | null = null;
  let lastBackend: Backend | null = null;
  let viewCache: { key: string; order: Int32Array } | null = null;
  let summaryCache: FeatureSummary[] | null = null;

  const runsFolder = path.join(deps.dataFolder, 'runs');

  function allowedFolders(): string[] {
    const all = [deps.dataFolder, ...(deps.extraAllowedFolders ?? []), ...deps.store.settings().allowedFolders];
    return [...new Set(all.map((f) => path.resolve(f)))];
  }

  function requireDataset(): Dataset {
    if (!dataset) throw new WorkbenchError('NOT_FOUND', 'no dataset yet: generate one first');
    return dataset;
  }

  function requireRun(id: string): RunRecord {
    const run = deps.store.get(id);
    if (!run) throw new WorkbenchError('NOT_FOUND', `run ${id} does not exist`);
    return run;
  }

  function paramsOf(config: DatasetConfig): DatasetParams {
    const parsed = DatasetParams.safeParse(config);
    if (!parsed.success) throw new WorkbenchError('INTERNAL', `dataset config out of the contract: ${describeIssues(parsed.error)}`);
    return parsed.data;
  }

  /** Row order for a (filter, sort) view of the dataset; the last one is cached (tables page through it). */
  function viewOrder(ds: Dataset, req: ParsedRequestOf<'dataset.rows'>): Int32Array {
    const key = `${req.ticker ?? '*'}|${req.part ?? '*'}|${req.sortBy}|${req.sortDir}`;
    if (viewCache?.key === key) return viewCache.order;
    const idx: number[] = [];
    ds.rows.forEach((r, i) => {
      if ((req.ticker === undefined || r.ticker === req.ticker) && (req.part === undefined || r.part === req.part)) idx.push(i);
    });
    const rows = ds.rows;
    const dir = req.sortDir === 'asc' ? 1 : -1;
    let primary: (a: number, b: number) => number;
    if (req.sortBy === 'ticker') primary = (a, b) => a - b; // rows are stored by ticker, then date
    else if (req.sortBy === 'date')
      primary = (a, b) => rows[a]!.date.localeCompare(rows[b]!.date) || rows[a]!.ticker.localeCompare(rows[b]!.ticker);
    else if (req.sortBy === 'target') primary = (a, b) => (rows[a]!.target ?? 0) - (rows[b]!.target ?? 0);
    else {
      const k = FEATURE_NAMES.indexOf(req.sortBy);
      primary = (a, b) => rows[a]!.features[k]! - rows[b]!.features[k]!;
    }
    const byTarget = req.sortBy === 'target';
    idx.sort((a, b) => {
      if (byTarget) {
        // unlabelled rows (no target) go last in either direction
        const na = rows[a]!.target === null;
        const nb = rows[b]!.target === null;
        if (na !== nb) return na ? 1 : -1;
      }
      return dir * primary(a, b) || a - b;
    });
    const order = Int32Array.from(idx);
    viewCache = { key, order };
    return order;
  }

  function featureSummary(ds: Dataset): FeatureSummary[] {
    if (summaryCache) return summaryCache;
    summaryCache = FEATURE_NAMES.map((name, k) => {
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      let n = 0;
      let missing = 0;
      for (const r of ds.rows) {
        const v = r.features[k];
        if (v === undefined || !Number.isFinite(v)) {
          missing++;
          continue;
        }
        if (v < min) min = v;
        if (v > max) max = v;
        sum += v;
        n++;
      }
      return {
        name,
        group: featureGroup(name),
        min: n ? min : 0,
        mean: n ? sum / n : 0,
        max: n ? max : 0,
        filled: ds.manifest.filledCounts[name] ?? 0,
        missing,
        provenance: ds.manifest.provenance[name] ?? 'real',
      };
    });
    return summaryCache;
  }

  function listItem(r: RunRecord): RunListItem {
    const metrics: RunListItem['metrics'] = {};
    for (const kind of ['lstm', 'dual_tower'] as const) {
      const m = r.summary?.models[kind]?.metrics;
      if (m) metrics[kind] = { accuracy: m.accuracy, macro_f1: m.macro_f1 };
    }
    return {
      id: r.id,
      created: r.created,
      status: r.status,
      datasetHash: r.datasetHash,
      backend: r.backend,
      source: r.dataset.source,
      tickers: r.dataset.tickers,
      start: r.dataset.start,
      end: r.dataset.end,
      models: r.train.models,
      metrics,
      modelsFolder: r.modelsFolder,
    };
  }

  function startRun(req: ParsedRequestOf<'train.start'>, ctx: CallContext, eng: Engine): ActiveRun {
    const ds = requireDataset();
    // refused before a run record exists: a one-class dataset is a mistake in the settings, not a failed run
    const untrainable = untrainableReason(ds.manifest);
    if (untrainable) throw new WorkbenchError('BAD_INPUT', untrainable);
    const id = newRunId();
    const outDir = path.join(runsFolder, id);
    const record: RunRecord = {
      id,
      created: now().toISOString(),
      finished: null,
      status: 'running',
      dataset: paramsOf(ds.config),
      datasetHash: ds.manifest.hash,
      train: { models: req.models, lstm: req.lstm, dual_tower: req.dual_tower },
      backend: null,
      modelsFolder: outDir,
      history: { lstm: [], dual_tower: [] },
      summary: null,
      error: null,
    };
    deps.store.put(record);
    const controller = new AbortController();
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    const flushSoon = (): void => {
      flushTimer ??= setTimeout(() => {
        flushTimer = null;
        deps.store.put(record);
      }, STORE_FLUSH_MS);
    };
    const run: ActiveRun = { id, controller, ctx, record, finished: Promise.resolve() };
    const emit = <E extends EventName>(event: E, payload: EventOf<E>): void => {
      try {
        run.ctx.emit(event, payload);
      } catch {
        // a closed window/socket must not break the run
      }
    };
    run.finished = eng
      .runTraining(
        { dataset: ds.config, models: req.models, train: { lstm: req.lstm, dual_tower: req.dual_tower }, outDir, importance: req.importance },
        {
          signal: controller.signal,
          spawn: deps.spawnTrainer,
          dataset: ds,
          onEvent: (e) => {
            if (e.type === 'dataset') return;
            if (e.type === 'job-ready') {
              record.backend = e.backend;
              lastBackend = e.backend;
            } else if (e.type === 'epoch') {
              record.history[e.kind].push(e.record);
              flushSoon();
            }
            emit('train.progress', { ...e, runId: id });
          },
        },
      )
      .then((raw) => {
        const summary = TrainingSummarySchema.safeParse(raw);
        if (!summary.success) throw new WorkbenchError('INTERNAL', `training summary broke the contract: ${describeIssues(summary.error)}`);
        record.status = 'done';
        record.summary = summary.data;
        record.backend = summary.data.backend;
        lastBackend = summary.data.backend;
        record.finished = now().toISOString();
        deps.store.put(record);
        emit('train.done', { runId: id, summary: summary.data });
      })
      .catch((err: unknown) => {
        const error = toErrorPayload(err);
        record.status = error.code === 'CANCELLED' ? 'cancelled' : 'failed';
        record.error = error;
        record.finished = now().toISOString();
        deps.store.put(record);
        emit('train.failed', { runId: id, code: error.code, message: error.message });
      })
      .finally(() => {
        if (flushTimer) clearTimeout(flushTimer);
        if (active === run) active = null;
      });
    return run;
  }

  function startWalkForward(run: RunRecord, k: number, ctx: CallContext, eng: Engine): ActiveWalkForward {
    const job: ActiveWalkForward = { runId: run.id, k, controller: new AbortController(), ctx, finished: Promise.resolve() };
    const emit = <E extends EventName>(event: E, payload: EventOf<E>): void => {
      try {
        job.ctx.emit(event, payload);
      } catch {
        // a closed window/socket must not break the job
      }
    };
    job.finished = eng
      .walkForward(run.modelsFolder, k, {
        signal: job.controller.signal,
        spawn: deps.spawnTrainer,
        onEvent: (e) => {
          // the epoch record stays in the trainer's summary; the renderer needs the position only
          const event: WalkForwardProgressEvent =
            e.type === 'progress'
              ? { type: 'progress', runId: run.id, kind: e.kind, fold: e.fold, folds: e.folds, epoch: e.epoch, epochs: e.epochs, fraction: Math.min(1, Math.max(0, e.fraction)) }
              : { ...e, runId: run.id };
          emit('walkForward.progress', event);
        },
      })
      .then((raw) => {
        const summary = TrainingSummarySchema.safeParse(raw);
        if (!summary.success) throw new WorkbenchError('INTERNAL', `walk-forward summary broke the contract: ${describeIssues(summary.error)}`);
        if (!summary.data.walk_forward) throw new WorkbenchError('INTERNAL', 'the walk-forward result is missing from the summary');
        const record = deps.store.get(run.id);
        if (record) deps.store.put({ ...record, summary: summary.data });
        emit('walkForward.done', { runId: run.id, walkForward: summary.data.walk_forward });
      })
      .catch((err: unknown) => {
        const error = toErrorPayload(err);
        emit('walkForward.failed', { runId: run.id, code: error.code, message: error.message });
      })
      .finally(() => {
        if (walking === job) walking = null;
      });
    return job;
  }

  const handlers: Handlers = {
    'app.info': async (_req, ctx) => {
      // A reloaded window/page that asks again takes over the stream of the run in flight.
      if (active && active.ctx.alive && !active.ctx.alive()) active.ctx = ctx;
      const eng = await engine();
      const info: AppInfo = {
        version: deps.version,
        mode: deps.mode,
        backend: lastBackend ?? deps.expectedBackend ?? null,
        dataFolder: deps.dataFolder,
        allowedFolders: allowedFolders(),
        notices,
        defaultTickers: [...DEFAULT_TICKERS],
        features: FEATURE_NAMES.map((name) => ({ name, group: featureGroup(name) })),
        defaults: { dataset: paramsOf(eng.defaultDataset), train: TrainParams.parse({}) },
        dataset: dataset ? DatasetManifestSchema.parse(dataset.manifest) : null,
        activeRunId: active?.id ?? null,
      };
      return info;
    },

    'dataset.generate': async (req, ctx) => {
      if (generating) throw new WorkbenchError('BAD_REQUEST', 'a dataset is already being generated');
      generating = true;
      try {
        const allowed = allowedFolders();
        const inputs: Partial<Record<'prices' | 'news' | 'macro' | 'policy', string>> = {};
        for (const key of ['prices', 'news', 'macro', 'policy'] as const) {
          const p = req[key];
          if (p !== undefined) inputs[key] = await checkAllowedPath(p, allowed, { mustExist: true, what: `${key} path` });
        }
        const eng = await engine();
        const config = eng.resolveDatasetConfig({
          source: req.source,
          tickers: req.tickers,
          start: req.start,
          end: req.end,
          horizon: req.horizon,
          threshold: req.threshold,
          seed: req.seed,
          signal: req.signal,
          trainFraction: req.trainFraction,
          normalisation: req.normalisation,
          ...(req.source === 'csv' ? inputs : {}),
        });
        const ds = await eng.buildDataset(config, (p) =>
          ctx.emit('dataset.progress', { stage: p.stage, fraction: Math.min(1, Math.max(0, p.fraction)) }),
        );
        dataset = ds;
        viewCache = null;
        summaryCache = null;
        return DatasetManifestSchema.parse(ds.manifest);
      } finally {
        generating = false;
      }
    },

    'dataset.rows': async (req) => {
      const ds = requireDataset();
      const order = viewOrder(ds, req);
      const rows: DatasetRow[] = [];
      const end = Math.min(order.length, req.offset + req.limit);
      for (let i = req.offset; i < end; i++) {
        const index = order[i]!;
        const r = ds.rows[index]!;
        rows.push({ index, date: r.date, ticker: r.ticker, features: r.features.slice(), target: r.target, part: r.part });
      }
      return { total: order.length, offset: req.offset, rows };
    },

    'dataset.featureSummary': async () => ({ features: featureSummary(requireDataset()) }),

    'dataset.series': async (req) => {
      const ds = requireDataset();
      const rows = ds.rows.filter((r) => r.ticker === req.ticker);
      if (rows.length === 0) throw new WorkbenchError('NOT_FOUND', `ticker ${req.ticker} is not in the dataset`);
      const col = (name: (typeof FEATURE_NAMES)[number]): number[] => {
        const k = FEATURE_NAMES.indexOf(name);
        return rows.map((r) => r.features[k]!);
      };
      return {
        ticker: req.ticker,
        dates: rows.map((r) => r.date),
        close: col('close'),
        sma_20: col('sma_20'),
        bb_upper: col('bb_upper'),
        bb_lower: col('bb_lower'),
        rsi_14: col('rsi_14'),
        macd: col('macd'),
        macd_signal: col('macd_signal'),
        target: rows.map((r) => r.target),
        part: rows.map((r) => r.part),
      };
    },

    'dataset.export': async (req) => {
      const ds = requireDataset();
      const folder = await checkAllowedPath(req.folder ?? path.join(deps.dataFolder, 'exports'), allowedFolders(), {
        mustExist: false,
        what: 'export folder',
      });
      const stat = await fs.stat(folder).catch(() => null);
      if (stat && !stat.isDirectory()) throw new WorkbenchError('BAD_REQUEST', `export folder ${folder} is a file, not a folder`);
      const eng = await engine();
      try {
        return { folder, files: await eng.exportDataset(ds, folder) };
      } catch (err) {
        // a folder that cannot be written (permissions, a full or read-only disk): the user's to fix, not a bug
        const code = (err as NodeJS.ErrnoException).code;
        if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) throw new WorkbenchError('BAD_INPUT', `cannot write the export to ${folder} (${code})`);
        throw err;
      }
    },

    'train.start': async (req, ctx) => {
      requireDataset();
      const refuseIfBusy = (running: ActiveRun | null): void => {
        if (running) throw new WorkbenchError('BAD_REQUEST', `run ${running.id} is still training; cancel it or wait until it ends`);
      };
      refuseIfBusy(active);
      if (walking) throw new WorkbenchError('BAD_REQUEST', `a walk-forward of run ${walking.runId} is running; cancel it or wait until it ends`);
      const eng = await engine();
      refuseIfBusy(active); // another start may have won while the engine loaded
      const run = startRun(req, ctx, eng);
      active = run;
      return { runId: run.id };
    },

    'train.cancel': async (req) => {
      if (active && active.id === req.runId) {
        active.controller.abort();
        return { cancelled: true };
      }
      if (walking && walking.runId === req.runId) {
        walking.controller.abort();
        return { cancelled: true };
      }
      requireRun(req.runId);
      return { cancelled: false };
    },

    'runs.list': async () => ({
      runs: deps.store
        .list()
        .sort((a, b) => b.created.localeCompare(a.created))
        .map(listItem),
    }),

    'runs.get': async (req) => requireRun(req.runId),

    'runs.delete': async (req) => {
      const run = requireRun(req.runId);
      if (active?.id === run.id) throw new WorkbenchError('BAD_REQUEST', `run ${run.id} is training; cancel it first`);
      if (walking?.runId === run.id) throw new WorkbenchError('BAD_REQUEST', `a walk-forward of run ${run.id} is running; cancel it first`);
      deps.store.delete(run.id);
      // Only ever remove folders the workbench made itself (a hand-edited store must not point us elsewhere).
      const folder = path.resolve(run.modelsFolder);
      if (isInside(folder, path.resolve(runsFolder)) && folder !== path.resolve(runsFolder)) {
        await fs.rm(folder, { recursive: true, force: true });
      }
      return { deleted: true };
    },

    'runs.walkForward': async (req, ctx) => {
      const run = requireRun(req.runId);
      if (walking?.runId === run.id) {
        walking.ctx = ctx; // asked again (a reloaded page): follow the one in flight
        return { runId: run.id, k: walking.k };
      }
      if (run.status !== 'done' || !run.summary) throw new WorkbenchError('BAD_REQUEST', `run ${run.id} has no trained models (status ${run.status})`);
      if (walking) throw new WorkbenchError('BAD_REQUEST', `a walk-forward of run ${walking.runId} is running; cancel it or wait until it ends`);
      if (active) throw new WorkbenchError('BAD_REQUEST', `run ${active.id} is training; start the walk-forward when it has finished`);
      const eng = await engine();
      if (walking || active) throw new WorkbenchError('BAD_REQUEST', 'another job started meanwhile; try again when it has finished');
      walking = startWalkForward(run, req.k, ctx, eng);
      return { runId: run.id, k: req.k };
    },

    'predict.run': async (req) => {
      const run = requireRun(req.runId);
      if (run.status !== 'done') throw new WorkbenchError('BAD_REQUEST', `run ${run.id} has no trained models (status ${run.status})`);
      const eng = await engine();
      const raw: EnginePrediction[] = await eng.predictFromRun(run.modelsFolder, req.tickers, req.date);
      const predictions: PredictionDto[] = raw.map((p) => {
        const average = probs(p.average)!;
        return {
          ticker: p.ticker,
          date: p.date,
          lstm: probs(p.lstm),
          dual_tower: probs(p.dual_tower),
          average,
          predicted: argmax(average),
        };
      });
      return { runId: run.id, predictions };
    },

    'dialog.openFolder': async (req) => {
      if (!deps.openFolderDialog) {
        throw new WorkbenchError(
          'BAD_REQUEST',
          `folder dialogs exist only in the desktop app; type a path inside: ${allowedFolders().join(', ')}`,
        );
      }
      const folder = await deps.openFolderDialog(req.title);
      if (folder) {
        // A folder the user picked by hand becomes an allowed folder (kept across restarts).
        const s = deps.store.settings();
        if (!s.allowedFolders.includes(folder)) deps.store.setSettings({ ...s, allowedFolders: [...s.allowedFolders, folder] });
      }
      return { folder };
    },
  };

  async function handle(name: unknown, payload: unknown, ctx: CallContext): Promise<Envelope<unknown>> {
    if (!isCallName(name)) return { ok: false, error: { code: 'BAD_REQUEST', message: `unknown call ${String(name).slice(0, 60)}` } };
    const parsed = parseRequest(name, payload);
    if (!parsed.ok) return parsed;
    try {
      const handler = handlers[name] as (req: unknown, ctx: CallContext) => Promise<unknown>;
      const value = await handler(parsed.value, ctx);
      // The answer is checked here as well as in the client: drift shows up in main-side tests.
      const checked = contract.calls[name].response.safeParse(value);
      if (!checked.success) return { ok: false, error: { code: 'INTERNAL', message: `${name}: answer broke the contract (${describeIssues(checked.error)})` } };
      return { ok: true, value: checked.data };
    } catch (err) {
      return { ok: false, error: toErrorPayload(err) };
    }
  }

  return {
    handle,
    activeRunId: () => active?.id ?? null,
    idle: async () => {
      while (active || walking) await (active ?? walking)!.finished;
    },
    shutdown: async () => {
      const jobs = [active, walking].filter((j): j is ActiveRun | ActiveWalkForward => j !== null);
      jobs.forEach((j) => j.controller.abort());
      await Promise.all(jobs.map((j) => j.finished));
    },
  };
}

