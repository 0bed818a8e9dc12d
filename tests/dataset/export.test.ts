import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDataset, EXPORT_COLUMNS, exportDataset, resolveDatasetConfig } from '../../src-main/core/dataset';
import { FEATURE_NAMES, type Dataset, type Row } from '../../src-main/core/types';

let ds: Dataset;
let dir: string;
let written: string[];
beforeAll(async () => {
  ds = await buildDataset(resolveDatasetConfig({ tickers: ['AAPL', 'TSLA'], start: '2024-06-03', end: '2024-11-29' }));
  dir = await mkdtemp(path.join(os.tmpdir(), 'dataset-export-'));
  written = await exportDataset(ds, path.join(dir, 'out'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const part = (p: Row['part']): Row[] => ds.rows.filter((r) => r.part === p);

describe('export', () => {
  it('writes the five files named after the range, and no temporary files', async () => {
    const names = ['training_data_20240603-20241129.csv', 'training_data_20240603-20241129.json', 'validation_data_20240603-20241129.csv', 'validation_data_20240603-20241129.json', 'manifest_20240603-20241129.json'];
    expect(written).toEqual(names.map((n) => path.join(dir, 'out', n)));
    expect((await readdir(path.join(dir, 'out'))).sort()).toEqual([...names].sort());
  });

  it('writes CSV rows that read back to the same numbers', async () => {
    for (const [file, rows] of [[written[0], part('train')], [written[2], part('validation')]] as const) {
      const text = await readFile(file, 'utf8');
      const records = parse(text, { columns: true }) as Record<string, string>[];
      expect(text.split('\n')[0]).toBe(EXPORT_COLUMNS.join(','));
      expect(EXPORT_COLUMNS).toEqual(['date', 'ticker', ...FEATURE_NAMES, 'target']);
      expect(records).toHaveLength(rows.length);
      records.forEach((rec, i) => {
        expect(rec.date).toBe(rows[i].date);
        expect(rec.ticker).toBe(rows[i].ticker);
        expect(FEATURE_NAMES.map((f) => Number(rec[f]))).toEqual(rows[i].features);
        expect(Number(rec.target)).toBe(rows[i].target);
      });
    }
  });

  it('writes JSON records with the same content', async () => {
    const train = JSON.parse(await readFile(written[1], 'utf8')) as Record<string, number | string>[];
    const rows = part('train');
    expect(train).toHaveLength(rows.length);
    expect(train[0]).toEqual({ date: rows[0].date, ticker: rows[0].ticker, ...Object.fromEntries(FEATURE_NAMES.map((f, k) => [f, rows[0].features[k]])), target: rows[0].target });
    const validation = JSON.parse(await readFile(written[3], 'utf8')) as Record<string, number | string>[];
    expect(validation.map((r) => [r.date, r.ticker, r.target])).toEqual(part('validation').map((r) => [r.date, r.ticker, r.target]));
  });

  it('writes the manifest as built', async () => {
    const manifest = JSON.parse(await readFile(written[4], 'utf8'));
    expect(manifest).toEqual(ds.manifest);
    expect(manifest.trainSamples).toBe(part('train').length);
    expect(manifest.tickers).toEqual(['AAPL', 'TSLA']);
  });
});
