import { existsSync, mkdirSync, mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CALL_NAMES,
  createApi,
  errorOf,
  type Api,
  type EventName,
  type Transport,
} from '../../src-preload/contract';
import { openRunStore, type BackingStoreClass, type RunStore } from '../../src-main/services/store';
import { createWorkbenchService, type CallContext, type WorkbenchService } from '../../src-main/services/workbench';
import { fakeEngine, type FakeTraining } from './fake-engine';

const ConfClass = Conf as unknown as BackingStoreClass;
const DATASET = { tickers: ['AAPL', 'ZZZ'], start: '2023-01-03', end: '2023-12-29' };

interface Setup {
  dataFolder: string;
  store: RunStore;
  service: WorkbenchService;
  training: FakeTraining;
  events: { event: EventName; payload: unknown }[];
  ctx: CallContext;
  api: Api;
}

function setup(opts: { openFolderDialog?: (title?: string) => Promise<string | null> } = {}): Setup {
  const dataFolder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-svc-')));
  const store = openRunStore(ConfClass, dataFolder);
  const training: FakeTraining = { mode: 'ok', requests: [] };
  let n = 0;
  const service = createWorkbenchService({
    mode: opts.openFolderDialog ? 'electron' : 'web',
    version: '9.9.9',
    dataFolder,
    store,
    engine: fakeEngine(training),
    openFolderDialog: opts.openFolderDialog,
    newRunId: () => `run-${++n}`,
    expectedBackend: 'wasm',
  });
  const events: Setup['events'] = [];
  const ctx: CallContext = { emit: (event, payload) => events.push({ event, payload }) };
  // The fake transport: the typed Api straight onto the service, as IPC/WebSocket would carry it.
  const listeners = new Set<(e: EventName, p: unknown) => void>();
  const transport: Transport = {
    invoke: (channel, payload) =>
      service.handle(channel, JSON.parse(JSON.stringify(payload)), {
        emit: (event, payload) => {
          events.push({ event, payload });
          listeners.forEach((l) => l(event, payload));
        },
      }),
    subscribe: (event, cb) => {
      const l = (e: EventName, p: unknown) => e === event && cb(p);
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { dataFolder, store, service, training, events, ctx, api: createApi(transport) };
}

let s: Setup;
beforeEach(() => {
  s = setup();
});

describe('workbench service: dataset', () => {
  it('answers app.info before any dataset exists', async () => {
    const info = await s.api.app.info();
    expect(info).toMatchObject({ version: '9.9.9', mode: 'web', backend: 'wasm', dataset: null, activeRunId: null, notices: [] });
    expect(info.allowedFolders).toEqual([s.dataFolder]);
    expect(info.features).toHaveLength(21);
    expect(info.defaults.dataset.tickers).toEqual(['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA']);
    expect(info.defaults.train.epochs).toBe(20);
  });

  it('asks for a dataset before serving rows', async () => {
    const err = await s.api.dataset.rows({ offset: 0, limit: 10 }).catch(errorOf);
    expect(err).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('generates a dataset, streams progress to the caller and serves pages of rows', async () => {
    const manifest = await s.api.dataset.generate(DATASET);
    expect(manifest.tickers).toEqual(['AAPL', 'ZZZ']);
    const progress = s.events.filter((e) => e.event === 'dataset.progress').map((e) => (e.payload as { fraction: number }).fraction);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toBe(1);

    const all = await s.api.dataset.rows({ offset: 0, limit: 1000 });
    expect(all.total).toBe(manifest.rows);
    expect(all.rows).toHaveLength(manifest.rows);
    expect(all.rows[0]!.features).toHaveLength(21);
    // default order = ticker, then date
    expect(all.rows.map((r) => r.index)).toEqual(all.rows.map((_, i) => i));

    const aapl = await s.api.dataset.rows({ offset: 10, limit: 5, ticker: 'AAPL' });
    expect(aapl.total).toBe(all.rows.filter((r) => r.ticker === 'AAPL').length);
    expect(aapl.rows.map((r) => r.index)).toEqual([10, 11, 12, 13, 14]);

    const val = await s.api.dataset.rows({ limit: 1000, part: 'validation' });
    const labelled = all.rows.filter((r) => r.part === 'validation').length;
    expect(val.total).toBe(labelled);
    expect(val.rows.every((r) => r.part === 'validation')).toBe(true);
    const byClass = { down: 0, flat: 0, up: 0 };
    val.rows.forEach((r) => (r.target === -1 ? byClass.down++ : r.target === 0 ? byClass.flat++ : byClass.up++));
    expect(byClass).toEqual(manifest.classBalance.validation);
  });

  it('sorts by a feature, by date and by target (unlabelled rows last)', async () => {
    await s.api.dataset.generate(DATASET);
    const close = (await s.api.dataset.rows({ limit: 1000, sortBy: 'close', sortDir: 'desc' })).rows.map((r) => r.features[3]!);
    expect(close).toEqual([...close].sort((a, b) => b - a));
    const dates = (await s.api.dataset.rows({ limit: 4, sortBy: 'date' })).rows.map((r) => `${r.date} ${r.ticker}`);
    expect(dates).toEqual(['2023-01-03 AAPL', '2023-01-03 ZZZ', '2023-01-04 AAPL', '2023-01-04 ZZZ']);
    for (const sortDir of ['asc', 'desc'] as const) {
      const t = (await s.api.dataset.rows({ limit: 1000, sortBy: 'target', sortDir })).rows.map((r) => r.target);
      const unlabelled = t.filter((x) => x === null).length;
      expect(unlabelled).toBe(2 * 1); // horizon 1: the last day of each ticker
      expect(t.slice(-unlabelled)).toEqual([null, null]);
      const labels = t.slice(0, -unlabelled) as number[];
      expect(labels).toEqual([...labels].sort((a, b) => (sortDir === 'asc' ? a - b : b - a)));
    }
  });

  it('summarises the 21 features and gives the price-chart series of one ticker', async () => {
    const manifest = await s.api.dataset.generate(DATASET);
    const { features } = await s.api.dataset.featureSummary();
    expect(features.map((f) => f.name).slice(0, 4)).toEqual(['open', 'high', 'low', 'close']);
    expect(features).toHaveLength(21);
    for (const f of features) {
      expect(f.min).toBeLessThanOrEqual(f.mean);
      expect(f.mean).toBeLessThanOrEqual(f.max);
      expect(f.missing).toBe(0);
      expect(f.filled).toBe(manifest.filledCounts[f.name]);
    }
    const series = await s.api.dataset.series({ ticker: 'ZZZ' });
    const n = manifest.rows / 2;
    expect(series.dates).toHaveLength(n);
    for (const k of ['close', 'sma_20', 'bb_upper', 'bb_lower', 'rsi_14', 'macd', 'macd_signal'] as const) expect(series[k]).toHaveLength(n);
    expect(series.bb_upper.every((u, i) => u >= series.bb_lower[i]!)).toBe(true);
    await expect(s.api.dataset.series({ ticker: 'MSFT' }).catch(errorOf)).resolves.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a payload that breaks the contract and changes nothing', async () => {
    const first = await s.api.dataset.generate(DATASET);
    const refused = [
      { ...DATASET, tickers: ['aapl'] },
      { ...DATASET, horizon: -1 },
      { ...DATASET, horizon: '1' },
      { ...DATASET, source: 'csv', prices: '/etc' },
      { ...DATASET, source: 'csv', prices: path.join(s.dataFolder, '..') },
    ];
    for (const payload of refused) {
      const r = await s.service.handle('dataset.generate', payload, s.ctx);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    }
    const info = await s.api.app.info();
    expect(info.dataset?.hash).toBe(first.hash);
    expect(info.dataset?.tickers).toEqual(['AAPL', 'ZZZ']);
  });

  it('exports into the data folder by default and refuses a folder outside the allowed ones', async () => {
    await s.api.dataset.generate(DATASET);
    const out = await s.api.dataset.export({});
    expect(out.folder).toBe(path.join(s.dataFolder, 'exports'));
    expect(out.files.length).toBeGreaterThanOrEqual(5);
    for (const f of out.files) expect(existsSync(path.isAbsolute(f) ? f : path.join(out.folder, f))).toBe(true);
    await expect(s.api.dataset.export({ folder: os.tmpdir() }).catch(errorOf)).resolves.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('answers every contract call (no call without a handler) and refuses unknown calls', async () => {
    for (const name of CALL_NAMES) {
      const r = await s.service.handle(name, { definitely: 'not allowed' }, s.ctx);
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error.message, name).not.toMatch(/unknown call/);
    }
    const r = await s.service.handle('fs.readFile', { path: '/etc/passwd' }, s.ctx);
    expect(r).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'unknown call fs.readFile' } });
  });

  it('offers folder dialogs only in the desktop app, and allows a picked folder', async () => {
    expect(await s.api.dialog.openFolder({}).catch(errorOf)).toMatchObject({ code: 'BAD_REQUEST' });
    const picked = mkdtempSync(path.join(os.tmpdir(), 'stw-picked-'));
    const desk = setup({ openFolderDialog: async () => picked });
    await expect(desk.api.dialog.openFolder({ title: 'Prices folder' })).resolves.toEqual({ folder: picked });
    expect((await desk.api.app.info()).allowedFolders).toContain(picked);
  });
});

describe('workbench service: training runs', () => {
  it('trains, streams progress with the run id, records the run and its curves', async () => {
    await s.api.dataset.generate(DATASET);
    const epochs: string[] = [];
    s.api.on('train.progress', (e) => {
      if (e.type === 'epoch') epochs.push(`${e.runId}:${e.kind}:${e.record.epoch}`);
    });
    const { runId } = await s.api.train.start({ models: ['lstm', 'dual_tower'], lstm: { epochs: 3 }, dual_tower: { epochs: 3 } });
    expect(runId).toBe('run-1');
    expect(s.service.activeRunId()).toBe('run-1');
    expect(s.training.requests[0]!.outDir).toBe(path.join(s.dataFolder, 'runs', 'run-1'));
    expect(s.training.requests[0]!.train.lstm.epochs).toBe(3);
    await s.service.idle();

    expect(epochs).toEqual(['run-1:lstm:1', 'run-1:dual_tower:1', 'run-1:lstm:2', 'run-1:dual_tower:2', 'run-1:lstm:3', 'run-1:dual_tower:3']);
    const done = s.events.filter((e) => e.event === 'train.done');
    expect(done).toHaveLength(1);
    const run = await s.api.runs.get({ runId });
    expect(run.status).toBe('done');
    expect(run.backend).toBe('wasm');
    expect(run.history.lstm.map((h) => h.epoch)).toEqual([1, 2, 3]);
    expect(run.history.dual_tower).toHaveLength(3);
    const cm = run.summary!.models.lstm!.metrics.confusion_matrix;
    expect(cm.flat().reduce((a, b) => a + b, 0)).toBe(run.summary!.dataset.val_samples);
    // kept in the store file: a new service over the same folder sees it
    const list = (await setupOver(s.dataFolder).api.runs.list()).runs;
    expect(list.map((r) => [r.id, r.status, r.source, r.metrics.lstm?.accuracy])).toEqual([['run-1', 'done', 'synthetic', 0.4]]);
  });

  it('refuses a second run while one trains, and cancels on request', async () => {
    await s.api.dataset.generate(DATASET);
    s.training.mode = 'hang';
    const { runId } = await s.api.train.start({ models: ['lstm'] });
    const second = await s.api.train.start({ models: ['dual_tower'] }).catch(errorOf);
    expect(second).toMatchObject({ code: 'BAD_REQUEST' });
    expect((await s.api.app.info()).activeRunId).toBe(runId);
    await expect(s.api.train.cancel({ runId })).resolves.toEqual({ cancelled: true });
    await s.service.idle();
    const failed = s.events.find((e) => e.event === 'train.failed');
    expect(failed?.payload).toEqual({ runId, code: 'CANCELLED', message: 'training cancelled' });
    expect((await s.api.runs.get({ runId })).status).toBe('cancelled');
    await expect(s.api.train.cancel({ runId })).resolves.toEqual({ cancelled: false });
    expect(s.training.requests).toHaveLength(1);
  });

  it('refuses to train on a dataset whose training rows have one class, before any run is recorded', async () => {
    await s.api.dataset.generate({ ...DATASET, threshold: 0.2 });
    const err = await s.api.train.start({ models: ['lstm'] }).catch(errorOf);
    expect(err).toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/every training row is "flat" \(band ±20% over 1 trading day\): there is nothing to learn/) });
    expect((await s.api.runs.list()).runs).toEqual([]);
    expect(s.training.requests).toHaveLength(0);
  });

  it('records a failed run with its error code', async () => {
    await s.api.dataset.generate(DATASET);
    s.training.mode = 'fail';
    const { runId } = await s.api.train.start({ models: ['lstm'], lstm: { epochs: 3 } });
    await s.service.idle();
    const run = await s.api.runs.get({ runId });
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ code: 'TRAINING_FAILED', message: 'loss became NaN at epoch 1' });
    expect(run.history.lstm).toHaveLength(1);
  });

  it('predicts with a finished run: both models, their average and its class', async () => {
    await s.api.dataset.generate(DATASET);
    const { runId } = await s.api.train.start({ models: ['lstm', 'dual_tower'], lstm: { epochs: 1 }, dual_tower: { epochs: 1 } });
    await s.service.idle();
    const { predictions } = await s.api.predict.run({ runId, tickers: ['AAPL', 'ZZZ'] });
    expect(predictions).toEqual(
      ['AAPL', 'ZZZ'].map((ticker) => ({
        ticker,
        date: '2023-12-29',
        lstm: [0.2, 0.3, 0.5],
        dual_tower: [0.4, 0.4, 0.2],
        average: [0.3, 0.35, 0.35],
        predicted: 1,
      })),
    );
  });

  it('deletes a run and its models folder, but never a folder outside runs/', async () => {
    await s.api.dataset.generate(DATASET);
    const { runId } = await s.api.train.start({ models: ['lstm'], lstm: { epochs: 1 } });
    await s.service.idle();
    const folder = path.join(s.dataFolder, 'runs', runId);
    expect(existsSync(folder)).toBe(true);
    await expect(s.api.runs.delete({ runId })).resolves.toEqual({ deleted: true });
    expect(existsSync(folder)).toBe(false);
    expect((await s.api.runs.list()).runs).toEqual([]);
    await expect(s.api.runs.get({ runId }).catch(errorOf)).resolves.toMatchObject({ code: 'NOT_FOUND' });

    // a hand-edited store pointing at another folder: the record goes, the folder stays
    const precious = path.join(s.dataFolder, 'precious');
    mkdirSync(precious);
    const run = s.store.list()[0] ?? null;
    expect(run).toBeNull();
    const { runId: id2 } = await s.api.train.start({ models: ['lstm'], lstm: { epochs: 1 } });
    await s.service.idle();
    s.store.put({ ...s.store.get(id2)!, modelsFolder: precious });
    await s.api.runs.delete({ runId: id2 });
    expect(existsSync(precious)).toBe(true);
  });

  it('refuses to predict with a run that did not finish', async () => {
    await s.api.dataset.generate(DATASET);
    s.training.mode = 'fail';
    const { runId } = await s.api.train.start({ models: ['lstm'] });
    await s.service.idle();
    expect(await s.api.predict.run({ runId, tickers: ['AAPL'] }).catch(errorOf)).toMatchObject({ code: 'BAD_REQUEST' });
  });
});

function setupOver(dataFolder: string) {
  const store = openRunStore(ConfClass, dataFolder);
  const service = createWorkbenchService({
    mode: 'web',
    version: '9.9.9',
    dataFolder,
    store,
    engine: fakeEngine({ mode: 'ok', requests: [] }),
  });
  const transport: Transport = { invoke: (c, p) => service.handle(c, p, { emit: () => {} }), subscribe: () => () => {} };
  return { api: createApi(transport) };
}
