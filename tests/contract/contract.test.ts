import { describe, expect, it } from 'vitest';
import {
  ApiError,
  CALL_NAMES,
  contract,
  createApi,
  errorOf,
  EVENT_NAMES,
  parseRequest,
  type CallName,
  type EventName,
  type Transport,
} from '../../src-preload/contract';

const goodDataset = { tickers: ['AAPL', 'BRK.B'], start: '2023-01-03', end: '2023-12-29' };

describe('contract schemas', () => {
  it('fills the documented defaults of a minimal dataset request', () => {
    const r = parseRequest('dataset.generate', goodDataset);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      source: 'synthetic',
      tickers: ['AAPL', 'BRK.B'],
      start: '2023-01-03',
      end: '2023-12-29',
      horizon: 1,
      threshold: 0.005,
      seed: 42,
      signal: 0.3,
      trainFraction: 2 / 3,
      normalisation: 'per_ticker',
    });
  });

  it('accepts any well-formed symbol for the synthetic source', () => {
    expect(parseRequest('dataset.generate', { ...goodDataset, tickers: ['ZZZ', 'X', 'ABCDEFGHIJ', 'RDS-A'] }).ok).toBe(true);
  });

  it('fills every training default from an empty per-model object', () => {
    const r = parseRequest('train.start', { models: ['lstm', 'dual_tower'], lstm: { epochs: 3 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.lstm).toEqual({
      epochs: 3,
      batchSize: 8,
      learningRate: 1e-3,
      decayEvery: 5,
      decayFactor: 0.5,
      clipNorm: 1,
      seqLen: 3,
      dropout: 0.3,
      towerSplit: 'group',
      selectBy: 'macro_f1',
      seed: 42,
    });
    expect(r.value.dual_tower.epochs).toBe(20);
  });

  const bad: [CallName, unknown, RegExp][] = [
    ['dataset.generate', { ...goodDataset, horizon: '1' }, /horizon/],
    ['dataset.generate', { ...goodDataset, tickers: ['aapl'] }, /tickers\.0/],
    ['dataset.generate', { ...goodDataset, tickers: ['1ABC'] }, /tickers\.0/],
    ['dataset.generate', { ...goodDataset, tickers: ['ABCDEFGHIJK'] }, /tickers\.0/],
    ['dataset.generate', { ...goodDataset, tickers: ['AAPL', 'AAPL'] }, /unique/],
    ['dataset.generate', { ...goodDataset, tickers: [] }, /tickers/],
    ['dataset.generate', { ...goodDataset, start: '2023-12-29', end: '2023-01-03' }, /start must be before end/],
    ['dataset.generate', { ...goodDataset, end: '2023-02-30' }, /calendar date/],
    ['dataset.generate', { ...goodDataset, end: '29/12/2023' }, /YYYY-MM-DD/],
    ['dataset.generate', { ...goodDataset, horizon: 0 }, /horizon/],
    ['dataset.generate', { ...goodDataset, horizon: 61 }, /horizon/],
    ['dataset.generate', { ...goodDataset, threshold: -0.01 }, /threshold/],
    ['dataset.generate', { ...goodDataset, threshold: 0.21 }, /threshold/],
    ['dataset.generate', { ...goodDataset, source: 'csv' }, /prices/],
    ['dataset.generate', { ...goodDataset, source: 'yahoo' }, /source/],
    ['dataset.generate', { ...goodDataset, prices: 'a\0b' }, /NUL/],
    ['dataset.generate', { ...goodDataset, extra: 1 }, /extra/],
    ['dataset.rows', { offset: 0, limit: 1001 }, /limit/],
    ['dataset.rows', { offset: -1, limit: 10 }, /offset/],
    ['dataset.rows', { sortBy: 'not_a_feature' }, /sortBy/],
    ['dataset.series', { ticker: 'aapl' }, /ticker/],
    ['train.start', { models: ['lstm'], lstm: { epochs: -1 } }, /lstm\.epochs/],
    ['train.start', { models: ['lstm'], lstm: { epochs: 501 } }, /lstm\.epochs/],
    ['train.start', { models: ['lstm'], lstm: { epochs: 2.5 } }, /lstm\.epochs/],
    ['train.start', { models: ['lstm'], lstm: { batchSize: 0 } }, /batchSize/],
    ['train.start', { models: ['lstm'], lstm: { batchSize: 4097 } }, /batchSize/],
    ['train.start', { models: ['lstm'], lstm: { seqLen: 121 } }, /seqLen/],
    ['train.start', { models: [] }, /models/],
    ['train.start', { models: ['lstm', 'lstm'] }, /unique/],
    ['train.start', { models: ['transformer'] }, /models/],
    ['runs.get', { runId: '../etc' }, /run id/],
    ['predict.run', { runId: 'r1', tickers: ['MSFT'], date: 'yesterday' }, /date/],
    ['app.info', { surprise: true }, /surprise/],
  ];
  it.each(bad)('refuses %s with %j', (name, payload, message) => {
    const r = parseRequest(name, payload);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_REQUEST');
    expect(r.error.message).toMatch(message);
    expect(r.error.message.startsWith(`${name}: `)).toBe(true);
  });

  it('lists runs with their source; an item without one breaks the contract', () => {
    const item = {
      id: 'run-1',
      created: '2024-11-29T14:03:07.000Z',
      status: 'done',
      datasetHash: 'abc',
      backend: 'wasm',
      source: 'csv',
      tickers: ['AAPL'],
      start: '2024-01-02',
      end: '2024-11-29',
      models: ['lstm'],
      metrics: { lstm: { accuracy: 0.4, macro_f1: 0.3 } },
      modelsFolder: '/tmp/runs/run-1',
    };
    const list = contract.calls['runs.list'].response;
    expect(list.parse({ runs: [item] }).runs[0]!.source).toBe('csv');
    const { source: _omitted, ...withoutSource } = item;
    expect(list.safeParse({ runs: [withoutSource] }).success).toBe(false);
    expect(list.safeParse({ runs: [{ ...item, source: 'yahoo' }] }).success).toBe(false);
  });

  it('has a request and response schema for every call and a schema for every event', () => {
    expect(CALL_NAMES).toEqual([
      'app.info',
      'dataset.generate',
      'dataset.rows',
      'dataset.featureSummary',
      'dataset.series',
      'dataset.export',
      'train.start',
      'train.cancel',
      'runs.list',
      'runs.get',
      'runs.delete',
      'runs.walkForward',
      'predict.run',
      'dialog.openFolder',
    ]);
    expect(EVENT_NAMES).toEqual(['dataset.progress', 'train.progress', 'train.done', 'train.failed', 'walkForward.progress', 'walkForward.done', 'walkForward.failed']);
    for (const n of CALL_NAMES) {
      expect(typeof contract.calls[n].request.safeParse).toBe('function');
      expect(typeof contract.calls[n].response.safeParse).toBe('function');
    }
  });
});

/** A transport that records calls and answers from a table. */
function fakeTransport(answer: (channel: CallName, payload: unknown) => unknown) {
  const calls: [CallName, unknown][] = [];
  const listeners = new Map<EventName, Set<(p: unknown) => void>>();
  const transport: Transport = {
    invoke: async (channel, payload) => {
      calls.push([channel, payload]);
      return answer(channel, payload);
    },
    subscribe: (event, cb) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(cb);
      return () => set.delete(cb);
    },
  };
  const fire = (event: EventName, payload: unknown) => listeners.get(event)?.forEach((cb) => cb(payload));
  return { transport, calls, fire };
}

describe('createApi', () => {
  it('sends each call on its own channel and returns the parsed answer', async () => {
    const { transport, calls } = fakeTransport((channel) =>
      channel === 'train.start' ? { ok: true, value: { runId: 'r-1' } } : { ok: true, value: { runs: [] } },
    );
    const api = createApi(transport);
    await expect(api.train.start({ models: ['lstm'], lstm: { epochs: 3 } })).resolves.toEqual({ runId: 'r-1' });
    await expect(api.runs.list()).resolves.toEqual({ runs: [] });
    expect(calls).toEqual([
      ['train.start', { models: ['lstm'], lstm: { epochs: 3 } }],
      ['runs.list', {}],
    ]);
  });

  it('turns an error answer into an ApiError carrying the code', async () => {
    const api = createApi(fakeTransport(() => ({ ok: false, error: { code: 'NOT_FOUND', message: 'run r-9 does not exist' } })).transport);
    const err = await api.runs.get({ runId: 'r-9' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(errorOf(err)).toEqual({ code: 'NOT_FOUND', message: 'run r-9 does not exist' });
  });

  it('recovers the code from an error that crossed contextBridge as a plain Error', () => {
    const copied = new Error("Error invoking remote method 'runs.get': BAD_REQUEST: runs.get: runId: malformed run id");
    expect(errorOf(copied)).toEqual({ code: 'BAD_REQUEST', message: 'runs.get: runId: malformed run id' });
    expect(errorOf(new Error('boom'))).toEqual({ code: 'INTERNAL', message: 'boom' });
  });

  it('refuses an answer that breaks the contract', async () => {
    const api = createApi(fakeTransport(() => ({ ok: true, value: { runId: 42 } })).transport);
    const err = await api.train.start({ models: ['lstm'] }).catch((e: unknown) => e);
    expect(errorOf(err).code).toBe('INTERNAL');
    expect(errorOf(err).message).toMatch(/answer broke the contract/);
  });

  it('delivers valid events, drops malformed ones, and unsubscribes', () => {
    const { transport, fire } = fakeTransport(() => null);
    const api = createApi(transport);
    const seen: number[] = [];
    const off = api.on('dataset.progress', (p) => seen.push(p.fraction));
    fire('dataset.progress', { stage: 'features', fraction: 0.5 });
    fire('dataset.progress', { stage: 'features', fraction: 'half' });
    off();
    fire('dataset.progress', { stage: 'done', fraction: 1 });
    expect(seen).toEqual([0.5]);
  });
});
