import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { WorkbenchError } from '../../src-main/core/errors';
import { buildModel, loadModel, saveModel, type ModelMeta } from '../../src-main/core/models';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES, type ModelKind } from '../../src-main/core/types';

let tmp: string;
beforeAll(async () => {
  await initBackend();
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'stw-io-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function meta(kind: ModelKind, params: number): ModelMeta {
  return {
    kind,
    seqLen: 3,
    features: [...FEATURE_NAMES],
    normaliser: { kind: 'global', stats: { '*': { mean: new Array(21).fill(0), std: new Array(21).fill(1) } } },
    config: DEFAULT_TRAIN_CONFIG,
    params,
    backend: 'wasm',
    created: '2024-12-01T00:00:00.000Z',
  };
}

async function expectCode(p: Promise<unknown>, code: string, fileEnd: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkbenchError);
  expect((err as WorkbenchError).code).toBe(code);
  expect((err as WorkbenchError).file ?? '').toMatch(new RegExp(`${fileEnd}$`));
}

describe('saveModel / loadModel', () => {
  for (const kind of ['lstm', 'dual_tower'] as const) {
    it(`${kind}: save → load gives identical probabilities`, async () => {
      const model = buildModel(kind, { ...DEFAULT_TRAIN_CONFIG, seed: 11 });
      const shape = kind === 'lstm' ? [6, 3, 21] : [6, 21];
      const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
      const before = (model.predict(x) as tf.Tensor).dataSync();
      const dir = path.join(tmp, `${kind}_best`);
      await saveModel(model, dir, meta(kind, model.countParams()));
      expect((await fs.readdir(dir)).sort()).toEqual(['meta.json', 'model.json', 'weights.bin']);
      expect((await fs.stat(path.join(dir, 'weights.bin'))).size).toBe(model.countParams() * 4);
      const modelJson = JSON.parse(await fs.readFile(path.join(dir, 'model.json'), 'utf8'));
      expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);

      const loaded = await loadModel(dir);
      expect(loaded.meta.kind).toBe(kind);
      expect(loaded.meta.features).toHaveLength(21);
      expect(loaded.model.countParams()).toBe(model.countParams());
      const after = (loaded.model.predict(x) as tf.Tensor).dataSync();
      expect(Array.from(after)).toEqual(Array.from(before));
      model.dispose();
      loaded.model.dispose();
      x.dispose();
    });
  }

  it('replaces an existing model folder without leaving temporary siblings', async () => {
    const dir = path.join(tmp, 'replace', 'dual_tower_best');
    const a = buildModel('dual_tower', { ...DEFAULT_TRAIN_CONFIG, seed: 1 });
    const b = buildModel('dual_tower', { ...DEFAULT_TRAIN_CONFIG, seed: 2 });
    await saveModel(a, dir, meta('dual_tower', 2371));
    await saveModel(b, dir, { ...meta('dual_tower', 2371), created: 'second' });
    expect(await fs.readdir(path.dirname(dir))).toEqual(['dual_tower_best']);
    const loaded = await loadModel(dir);
    expect(loaded.meta.created).toBe('second');
    expect(Array.from(loaded.model.getWeights()[0].dataSync())).toEqual(Array.from(b.getWeights()[0].dataSync()));
    [a, b, loaded.model].forEach((m) => m.dispose());
  });

  describe('damaged folders give clear errors naming the file', () => {
    let dir: string;
    beforeAll(async () => {
      dir = path.join(tmp, 'good');
      const m = buildModel('dual_tower', DEFAULT_TRAIN_CONFIG);
      await saveModel(m, dir, meta('dual_tower', 2371));
      m.dispose();
    });
    async function damaged(name: string, damage: (d: string) => Promise<void>): Promise<string> {
      const d = path.join(tmp, name);
      await fs.cp(dir, d, { recursive: true });
      await damage(d);
      return d;
    }

    it('truncated weights.bin', async () => {
      const d = await damaged('trunc', async (d) => {
        const w = await fs.readFile(path.join(d, 'weights.bin'));
        await fs.writeFile(path.join(d, 'weights.bin'), w.subarray(0, 1000));
      });
      await expectCode(loadModel(d), 'CORRUPT', 'weights.bin');
    });

    it('truncated model.json', async () => {
      const d = await damaged('badjson', async (d) => {
        const j = await fs.readFile(path.join(d, 'model.json'), 'utf8');
        await fs.writeFile(path.join(d, 'model.json'), j.slice(0, j.length / 2));
      });
      await expectCode(loadModel(d), 'CORRUPT', 'model.json');
    });

    it('missing meta.json', async () => {
      const d = await damaged('nometa', (d) => fs.rm(path.join(d, 'meta.json')));
      await expectCode(loadModel(d), 'CORRUPT', 'meta.json');
    });

    it('invalid meta.json', async () => {
      const d = await damaged('badmeta', (d) => fs.writeFile(path.join(d, 'meta.json'), JSON.stringify({ kind: 'cnn' })));
      await expectCode(loadModel(d), 'CORRUPT', 'meta.json');
    });

    it('a model topology tfjs cannot rebuild', async () => {
      const d = await damaged('badtopo', async (d) => {
        const j = JSON.parse(await fs.readFile(path.join(d, 'model.json'), 'utf8'));
        j.modelTopology.config.layers[1].class_name = 'NoSuchLayer';
        await fs.writeFile(path.join(d, 'model.json'), JSON.stringify(j));
      });
      await expectCode(loadModel(d), 'CORRUPT', 'model.json');
    });

    it('missing folder', async () => {
      const err = await loadModel(path.join(tmp, 'nope')).catch((e: unknown) => e);
      expect((err as WorkbenchError).code).toBe('NOT_FOUND');
    });
  });
});
