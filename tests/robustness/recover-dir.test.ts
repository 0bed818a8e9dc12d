/**
 * The one window replaceDirAtomic cannot close by itself: killed after renaming the old folder aside and
 * before renaming the new one in, the target is missing and `.<name>.<pid>.<hex>.old` holds the previous
 * version. Built here deterministically (a real dead pid) and recovered by loadModel, loadRunModels and the
 * next save.
 */
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { recoverDir, replaceDirAtomic } from '../../src-main/core/files';
import { buildModel, loadModel, saveModel, type ModelMeta } from '../../src-main/core/models';
import { loadRunModels } from '../../src-main/core/pipeline/saved';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES } from '../../src-main/core/types';

let work: string;
let deadPid: number;
const made: string[] = [];

function meta(created: string): ModelMeta {
  return {
    kind: 'dual_tower',
    seqLen: 3,
    features: [...FEATURE_NAMES],
    normaliser: { kind: 'global', stats: { '*': { mean: new Array(21).fill(0), std: new Array(21).fill(1) } } },
    config: DEFAULT_TRAIN_CONFIG,
    params: 2371,
    backend: 'wasm',
    created,
  };
}

async function save(dir: string, created: string): Promise<void> {
  const m = buildModel('dual_tower', DEFAULT_TRAIN_CONFIG);
  await saveModel(m, dir, meta(created));
  m.dispose();
}

/** The state a writer with pid `pid` leaves when killed between its two renames (new fill complete or not). */
async function killedBetweenRenames(dir: string, pid: number, newFill: 'complete' | 'partial'): Promise<{ old: string; tmp: string }> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  const old = path.join(parent, `.${base}.${pid}.0badc0de.old`);
  const tmp = path.join(parent, `.${base}.${pid}.0badc0de.tmp`);
  await fs.mkdir(tmp);
  await fs.writeFile(path.join(tmp, 'weights.bin'), Buffer.alloc(newFill === 'complete' ? 9484 : 100));
  await fs.rename(dir, old);
  return { old, tmp };
}

beforeAll(async () => {
  await initBackend();
  // a pid that certainly belonged to a process that has exited
  deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  expect(deadPid).toBeGreaterThan(0);
});
beforeEach(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'stw-recover-'));
  made.push(work);
});
afterAll(async () => {
  for (const dir of made) await fs.rm(dir, { recursive: true, force: true });
});

describe('recovery from a save killed between its two renames', () => {
  it('loadModel puts the previous version back and removes the unfinished new one', async () => {
    const dir = path.join(work, 'dual_tower_best');
    await save(dir, 'previous');
    const left = await killedBetweenRenames(dir, deadPid, 'partial');
    await expect(fs.access(dir)).rejects.toThrow();

    const loaded = await loadModel(dir);
    expect(loaded.meta.created).toBe('previous');
    loaded.model.dispose();
    expect(await fs.readdir(work)).toEqual(['dual_tower_best']);
    await expect(fs.access(left.tmp)).rejects.toThrow();
  });

  it('recoverDir reports what it did; a second call finds nothing to do', async () => {
    const dir = path.join(work, 'lstm_best');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'marker'), 'previous');
    await killedBetweenRenames(dir, deadPid, 'complete');
    expect(await recoverDir(dir)).toEqual({ restored: `.lstm_best.${deadPid}.0badc0de.old`, removed: [`.lstm_best.${deadPid}.0badc0de.tmp`] });
    expect(await fs.readFile(path.join(dir, 'marker'), 'utf8')).toBe('previous');
    expect(await recoverDir(dir)).toEqual({ restored: null, removed: [] });
  });

  it('a stale aside copy next to a finished save is removed, the saved folder is kept', async () => {
    const dir = path.join(work, 'dual_tower_best');
    await save(dir, 'new');
    const stale = path.join(work, `.dual_tower_best.${deadPid}.12345678.old`);
    await fs.mkdir(stale);
    expect(await recoverDir(dir)).toEqual({ restored: null, removed: [`.dual_tower_best.${deadPid}.12345678.old`] });
    expect((await loadModel(dir)).meta.created).toBe('new');
  });

  it('leaves alone what a live writer (this process) has in flight, and other folders’ leftovers', async () => {
    const dir = path.join(work, 'dual_tower_best');
    await save(dir, 'kept');
    const mine = await killedBetweenRenames(dir, process.pid, 'partial');
    const otherName = path.join(work, `.lstm_best.${deadPid}.12345678.old`);
    await fs.mkdir(otherName);
    expect(await recoverDir(dir)).toEqual({ restored: null, removed: [] });
    expect((await fs.readdir(work)).sort()).toEqual([path.basename(mine.old), path.basename(mine.tmp), path.basename(otherName)].sort());
  });

  it('the next save recovers first, then replaces: no leftovers, the new version in place', async () => {
    const dir = path.join(work, 'dual_tower_best');
    await save(dir, 'previous');
    await killedBetweenRenames(dir, deadPid, 'complete');
    await save(dir, 'next');
    expect((await loadModel(dir)).meta.created).toBe('next');
    expect(await fs.readdir(work)).toEqual(['dual_tower_best']);
  });

  it('loadRunModels (predict / evaluate on a run folder) finds the restored model', async () => {
    const dir = path.join(work, 'dual_tower_best');
    await save(dir, 'previous');
    await killedBetweenRenames(dir, deadPid, 'partial');
    const models = await loadRunModels(work);
    expect(Object.keys(models)).toEqual(['dual_tower']);
    expect(models.dual_tower!.meta.created).toBe('previous');
    models.dual_tower!.model.dispose();
  });

  it('replaceDirAtomic with a failing fill leaves the previous folder as it was', async () => {
    const dir = path.join(work, 'x');
    await replaceDirAtomic(dir, (tmp) => fs.writeFile(path.join(tmp, 'a'), '1'));
    await expect(
      replaceDirAtomic(dir, async (tmp) => {
        await fs.writeFile(path.join(tmp, 'a'), '2');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await fs.readFile(path.join(dir, 'a'), 'utf8')).toBe('1');
    expect(await fs.readdir(work)).toEqual(['x']);
  });
});
