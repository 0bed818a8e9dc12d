/**
 * Files the workbench wrote, damaged afterwards (a disk error, a hand edit, a copy cut short): each gives
 * a CORRUPT error naming the file, and the rest of the workbench keeps working — the service lists the
 * other runs, answers app.info, and predict on a damaged run fails alone without leaking tensors.
 */
import { promises as fs, mkdtempSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { WorkbenchError } from '../../src-main/core/errors';
import { buildModel, loadModel, saveModel, type ModelMeta } from '../../src-main/core/models';
import { predictSaved } from '../../src-main/core/pipeline/saved';
import { loadSummary, SUMMARY_FILE } from '../../src-main/core/pipeline/summary';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES, type ModelKind } from '../../src-main/core/types';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { createWorkbenchService } from '../../src-main/services/workbench';
import { fakeEngine, summaryFor } from '../services/fake-engine';
import { sampleRun } from '../services/helpers';

const ConfClass = Conf as unknown as BackingStoreClass;
const made: string[] = [];
const tmp = (prefix: string) => {
  const d = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(d);
  return d;
};
afterAll(async () => {
  for (const d of made) await fs.rm(d, { recursive: true, force: true });
});

function meta(kind: ModelKind): ModelMeta {
  return {
    kind,
    seqLen: 3,
    features: [...FEATURE_NAMES],
    normaliser: { kind: 'global', stats: { '*': { mean: new Array(21).fill(0), std: new Array(21).fill(1) } } },
    config: DEFAULT_TRAIN_CONFIG,
    params: 0,
    backend: 'wasm',
    created: 'test',
  };
}

/** A run folder with both models saved. */
async function runFolder(): Promise<string> {
  const dir = tmp('stw-corrupt-run-');
  for (const kind of ['lstm', 'dual_tower'] as const) {
    const m = buildModel(kind, DEFAULT_TRAIN_CONFIG);
    await saveModel(m, path.join(dir, `${kind}_best`), meta(kind));
    m.dispose();
  }
  return dir;
}

async function corruptError(p: Promise<unknown>): Promise<WorkbenchError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkbenchError);
  return err as WorkbenchError;
}

const cutInHalf = async (file: string) => {
  const buf = await fs.readFile(file);
  await fs.writeFile(file, buf.subarray(0, Math.floor(buf.length / 2)));
};

beforeAll(async () => {
  await initBackend();
});

describe('damaged model files', () => {
  const cases: [string, string, (dir: string) => Promise<void>, RegExp][] = [
    ['model.json cut in half', 'model.json', (d) => cutInHalf(path.join(d, 'model.json')), /not valid JSON \(truncated\?\)/],
    ['weights.bin truncated', 'weights.bin', (d) => cutInHalf(path.join(d, 'weights.bin')), /weights file is 4742 bytes, the model needs 9484 \(truncated or from another model\)/],
    ['weights.bin with bytes appended', 'weights.bin', (d) => fs.appendFile(path.join(d, 'weights.bin'), Buffer.alloc(8)), /weights file is 9492 bytes, the model needs 9484/],
    ['weights.bin empty', 'weights.bin', (d) => fs.writeFile(path.join(d, 'weights.bin'), ''), /weights file is 0 bytes/],
    ['meta.json cut in half', 'meta.json', (d) => cutInHalf(path.join(d, 'meta.json')), /not valid JSON/],
    ['meta.json valid JSON of the wrong shape', 'meta.json', (d) => fs.writeFile(path.join(d, 'meta.json'), '{"kind":"dual_tower","seqLen":-1}'), /invalid model metadata/],
    ['meta.json missing', 'meta.json', (d) => fs.rm(path.join(d, 'meta.json')), /file is missing/],
    ['model.json is not a layers model', 'model.json', (d) => fs.writeFile(path.join(d, 'model.json'), '{"format":"graph-model"}'), /not a tfjs layers model/],
  ];
  for (const [name, file, damage, message] of cases) {
    it(`${name} → CORRUPT naming ${file}`, async () => {
      const dir = path.join(await runFolder(), 'dual_tower_best');
      await damage(dir);
      const before = tf.memory().numTensors;
      const err = await corruptError(loadModel(dir));
      expect(err.code).toBe('CORRUPT');
      expect(err.file).toBe(path.join(dir, file));
      expect(err.message.startsWith(`${path.join(dir, file)}: `)).toBe(true);
      expect(err.message).toMatch(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('predict on a run with one damaged model fails with that file named and frees the model it had loaded', async () => {
    const dir = await runFolder();
    await cutInHalf(path.join(dir, 'dual_tower_best', 'weights.bin'));
    const before = tf.memory().numTensors;
    const err = await corruptError(predictSaved(dir, ['AAPL']));
    expect(err.code).toBe('CORRUPT');
    expect(err.file).toBe(path.join(dir, 'dual_tower_best', 'weights.bin'));
    expect(tf.memory().numTensors).toBe(before); // the lstm loaded first was disposed
  });
});

describe('damaged training_summary.json', () => {
  it('cut in half, or of the wrong shape → CORRUPT naming it; missing → NOT_FOUND', async () => {
    const dir = tmp('stw-corrupt-summary-');
    const file = path.join(dir, SUMMARY_FILE);
    const summary = JSON.stringify(
      summaryFor({ dataset: { source: 'synthetic', tickers: ['AAPL'], start: '2024-01-02', end: '2024-06-28', horizon: 1, threshold: 0.005, seed: 1, signal: 0.3, trainFraction: 2 / 3, normalisation: 'per_ticker' }, models: ['lstm', 'dual_tower'], train: { lstm: DEFAULT_TRAIN_CONFIG, dual_tower: DEFAULT_TRAIN_CONFIG }, outDir: dir }, 60),
    );
    writeFileSync(file, summary);
    expect((await loadSummary(dir)).models.lstm?.params).toBe(57219);

    writeFileSync(file, summary.slice(0, summary.length / 2));
    let err = await corruptError(loadSummary(dir));
    expect([err.code, err.file, err.message]).toEqual(['CORRUPT', file, `${file}: not valid JSON (truncated or edited?)`]);

    writeFileSync(file, JSON.stringify({ ...JSON.parse(summary), backend: 'gpu' }));
    err = await corruptError(loadSummary(dir));
    expect([err.code, err.file]).toEqual(['CORRUPT', file]);
    expect(err.message).toMatch(/unexpected content: backend/);

    await fs.rm(file);
    err = await corruptError(loadSummary(dir));
    expect(err.code).toBe('NOT_FOUND');
  });
});

describe('damaged run records: the service keeps working', () => {
  it('an unreadable record is dropped and named in app.info notices; the others are listed; predict on a damaged run fails alone', async () => {
    const dataFolder = tmp('stw-corrupt-svc-');
    const good = await runFolder();
    const damaged = await runFolder();
    await fs.writeFile(path.join(damaged, 'lstm_best', 'model.json'), '{"modelTopology": {"class_name": "Sequen');
    const runs = [
      { ...sampleRun('good'), modelsFolder: good, created: '2024-12-01T09:00:00.000Z' },
      { ...sampleRun('damaged'), modelsFolder: damaged, created: '2024-12-02T09:00:00.000Z' },
      { ...sampleRun('bad-record'), status: 'exploded' },
      42,
    ];
    writeFileSync(path.join(dataFolder, 'workbench.json'), JSON.stringify({ version: 1, runs, settings: { allowedFolders: [] } }));

    const engine = fakeEngine({ mode: 'ok', requests: [] });
    let predictCalls = 0;
    const service = createWorkbenchService({
      mode: 'web',
      version: 't',
      dataFolder,
      store: openRunStore(ConfClass, dataFolder),
      // the real loader behind predict; the dataset rebuild is never reached for a damaged run
      engine: {
        ...engine,
        predictFromRun: async (dir, tickers, date) => {
          predictCalls++;
          return predictSaved(dir, tickers, date);
        },
      },
    });
    const ctx = { emit: () => {} };

    const info = await service.handle('app.info', {}, ctx);
    expect(info.ok).toBe(true);
    const notices = (info as { value: { notices: string[] } }).value.notices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^2 unreadable run record\(s\) were dropped \(bad-record\); the original file was kept as .*workbench\.json\.corrupt-/);
    const aside = readdirSync(dataFolder).filter((f) => f.startsWith('workbench.json.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(JSON.parse(await fs.readFile(path.join(dataFolder, aside[0]!), 'utf8')).runs).toHaveLength(4);

    const list = await service.handle('runs.list', {}, ctx);
    expect(list.ok && (list.value as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual(['damaged', 'good']);

    const predicted = await service.handle('predict.run', { runId: 'damaged', tickers: ['AAPL'] }, ctx);
    const modelFile = path.join(damaged, 'lstm_best', 'model.json');
    expect(predicted).toEqual({ ok: false, error: { code: 'CORRUPT', message: expect.stringMatching(`^${modelFile}: not valid JSON`) } });
    expect(predictCalls).toBe(1);

    // still answering, the good run still there and readable
    expect((await service.handle('runs.get', { runId: 'good' }, ctx)).ok).toBe(true);
    expect(await service.handle('runs.get', { runId: 'bad-record' }, ctx)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'run bad-record does not exist' } });
    expect((await service.handle('app.info', {}, ctx)).ok).toBe(true);
  });

  it('a store file cut in half is moved aside; the service starts empty, says so, and records new runs', async () => {
    const dataFolder = tmp('stw-corrupt-store-');
    const text = JSON.stringify({ version: 1, runs: [sampleRun('a'), sampleRun('b')], settings: { allowedFolders: [] } });
    writeFileSync(path.join(dataFolder, 'workbench.json'), text.slice(0, text.length / 2));
    const service = createWorkbenchService({
      mode: 'web',
      version: 't',
      dataFolder,
      store: openRunStore(ConfClass, dataFolder),
      engine: fakeEngine({ mode: 'ok', requests: [] }),
    });
    const ctx = { emit: () => {} };
    const info = (await service.handle('app.info', {}, ctx)) as { ok: true; value: { notices: string[] } };
    expect(info.value.notices[0]).toMatch(/^The run history file could not be read \(.*\); it was moved to .*workbench\.json\.corrupt-.* and the workbench started with an empty history\.$/);
    expect(await service.handle('runs.list', {}, ctx)).toEqual({ ok: true, value: { runs: [] } });
    await service.handle('dataset.generate', { tickers: ['AAPL'], start: '2024-01-02', end: '2024-06-28' }, ctx);
    const started = await service.handle('train.start', { models: ['dual_tower'], dual_tower: { epochs: 1 } }, ctx);
    expect(started.ok).toBe(true);
    await service.idle();
    const reopened = openRunStore(ConfClass, dataFolder);
    expect(reopened.list().map((r) => r.status)).toEqual(['done']);
  });
});
