/**
 * Kill -9 in the middle of saving a model: a child process runs saveModel in a tight loop and is
 * SIGKILLed at seeded random moments. After each kill the model folder must load, and be the last save
 * the child reported finished or the one it was in the middle of — never a mix of two, never corrupt.
 * (The run store: kill-store-save.test.ts; the rename window, deterministically: recover-dir.test.ts.)
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { recoverDir } from '../../src-main/core/files';
import { buildModel, loadModel } from '../../src-main/core/models';
import { DEFAULT_TRAIN_CONFIG } from '../../src-main/core/types';
import { KILLS, saveThenKill } from './kill-helpers';

const work = mkdtempSync(path.join(os.tmpdir(), 'stw-kill-model-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
beforeAll(async () => {
  await initBackend();
});

describe('a kill during saveModel leaves the previous model or the new one', () => {
  it(`${KILLS} kills of a saveModel loop: loadModel always succeeds, with one save's files`, async () => {
    const rng = seedrandom('kill-model-save');
    const dir = path.join(work, 'models', 'dual_tower_best');
    // The two models the child alternates between (same seeds → same weights in this process).
    const expected = [2, 1].map((seed) => {
      const m = buildModel('dual_tower', { ...DEFAULT_TRAIN_CONFIG, seed });
      const w = Array.from(m.getWeights()[0]!.dataSync());
      m.dispose();
      return w;
    });
    let next = 1;
    let cleanedUp = 0;
    let restored = 0;
    for (let k = 0; k < KILLS; k++) {
      const { last, signal } = await saveThenKill('model', dir, next, Math.floor(rng() * 60));
      expect(signal).toBe('SIGKILL');
      const recovered = await recoverDir(dir); // what loadModel also does first; called here to count it
      if (recovered.restored || recovered.removed.length) cleanedUp++;
      if (recovered.restored) restored++;
      const loaded = await loadModel(dir);
      const version = Number(loaded.meta.created);
      expect([last, last + 1]).toContain(version);
      // model.json, weights.bin and meta.json all come from the same save
      expect(Array.from(loaded.model.getWeights()[0]!.dataSync())).toEqual(expected[version % 2]);
      loaded.model.dispose();
      expect(readdirSync(path.dirname(dir))).toEqual(['dual_tower_best']); // no leftovers once recovered
      next = version + 1;
    }
    expect(tf.memory().numTensors).toBe(0);
    expect(next).toBeGreaterThan(KILLS);
    // how many kills left temporary folders is random; printed for the record
    console.log(`model: ${KILLS} kills, ${cleanedUp} left temporary folders (${restored} between the two renames), ${next - 1} saves`);
  });
});
