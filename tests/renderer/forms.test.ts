import { describe, expect, it } from 'vitest';
import { TrainParams } from '../../src-preload/contract';
import { datasetFormFrom, datasetFormFromManifest, datasetRequest, tickersOf, toggleTicker, trainRequest } from '../../src-renderer/lib/forms';

const DEFAULTS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'TSLA'];

const base = datasetFormFrom({
  source: 'synthetic',
  tickers: [...DEFAULTS],
  start: '2020-01-02',
  end: '2024-11-29',
  horizon: 1,
  threshold: 0.005,
  seed: 42,
  signal: 0.3,
});

describe('dataset form', () => {
  it('starts from the defaults', () => {
    expect(base.tickers).toBe('AAPL, MSFT, GOOGL, AMZN, NVDA, META, TSLA');
    expect(base.threshold).toBe(0.005);
  });

  it('reads typed tickers upper-cased, in order, without repeats', () => {
    expect(tickersOf(' aapl, MSFT ibm, msft;  brk.b ')).toEqual(['AAPL', 'MSFT', 'IBM', 'BRK.B']);
    expect(tickersOf(' , ')).toEqual([]);
  });

  it('toggles a default ticker in and out of the list', () => {
    expect(toggleTicker('AAPL, MSFT', 'MSFT')).toBe('AAPL');
    expect(toggleTicker('AAPL', 'TSLA')).toBe('AAPL, TSLA');
    expect(toggleTicker('', 'NVDA')).toBe('NVDA');
  });

  it('builds the request and sends no folders for the synthetic source', () => {
    const r = datasetRequest({ ...base, threshold: 0.0075, prices: '/tmp/prices' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.threshold).toBe(0.0075);
    expect(r.value.tickers).toHaveLength(7);
    expect('prices' in r.value).toBe(false);
  });

  it('reports the field the contract refuses', () => {
    const r = datasetRequest({ ...base, tickers: '' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.tickers).toBe('at least one ticker');

    const band = datasetRequest({ ...base, threshold: 0.25 });
    expect(band.ok).toBe(false);
    if (!band.ok) expect(Object.keys(band.errors)).toEqual(['threshold']);

    const bad = datasetRequest({ ...base, tickers: 'AAPL, bad!' });
    expect(bad.ok).toBe(false);
  });

  it('needs start before end and a prices folder for csv', () => {
    const dates = datasetRequest({ ...base, start: '2024-11-29', end: '2024-01-02' });
    expect(dates.ok).toBe(false);
    if (!dates.ok) expect(dates.errors.end).toBe('start must be before end');

    const csv = datasetRequest({ ...base, source: 'csv', prices: '  ' });
    expect(csv.ok).toBe(false);
    if (!csv.ok) expect(csv.errors.prices).toBe('the csv source needs a prices folder');

    const ok = datasetRequest({ ...base, source: 'csv', prices: '/data/prices', news: '/data/news.csv' });
    expect(ok.ok && ok.value.prices === '/data/prices' && ok.value.news === '/data/news.csv').toBe(true);
  });
});

describe('dataset form from a loaded dataset', () => {
  it('describes the dataset the main side holds, csv inputs included, and rebuilds the same request', () => {
    const form = datasetFormFromManifest({
      source: 'csv',
      seed: 7,
      signal: 0,
      tickers: ['AAPL', 'MSFT'],
      start: '2023-01-03',
      end: '2023-06-30',
      horizon: 5,
      threshold: 0.01,
      inputs: { prices: '/data/prices', macro: '/data/fred' },
    } as unknown as Parameters<typeof datasetFormFromManifest>[0]);
    expect(form).toEqual({
      source: 'csv',
      tickers: 'AAPL, MSFT',
      start: '2023-01-03',
      end: '2023-06-30',
      horizon: 5,
      threshold: 0.01,
      seed: 7,
      signal: 0,
      prices: '/data/prices',
      news: '',
      macro: '/data/fred',
      policy: '',
    });
    const again = datasetRequest(form);
    expect(again.ok && again.value).toMatchObject({ source: 'csv', tickers: ['AAPL', 'MSFT'], horizon: 5, prices: '/data/prices', macro: '/data/fred' });
  });
});

describe('train form', () => {
  it('accepts the seed defaults and refuses a zero learning rate', () => {
    const defaults = TrainParams.parse({});
    expect(trainRequest(defaults)).toEqual({ ok: true, value: defaults });
    const r = trainRequest({ ...defaults, learningRate: 0, epochs: 2.5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['epochs', 'learningRate']);
  });

  it('says what is wrong in words a form shows under the field, not as zod text', () => {
    const defaults = TrainParams.parse({});
    const r = trainRequest({ ...defaults, learningRate: 2, epochs: 2.5, batchSize: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual({ learningRate: 'at most 1', epochs: 'a whole number', batchSize: 'at least 1' });
    const zero = trainRequest({ ...defaults, learningRate: 0 });
    if (!zero.ok) expect(zero.errors.learningRate).toBe('must be above 0');
    expect(zero.ok).toBe(false);
  });
});
