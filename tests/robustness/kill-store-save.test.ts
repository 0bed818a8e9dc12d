/**
 * Kill -9 in the middle of saving the run store: a child process puts a run over and over (openRunStore
 * + put, i.e. conf, which writes through `atomically`: temp file, fsync, rename) and is SIGKILLed at
 * seeded random moments. After each kill the store must open with no notice (nothing unreadable, nothing
 * moved aside), with every run, the changed one at the last finished put or the one in flight.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import seedrandom from 'seedrandom';
import { afterAll, describe, expect, it } from 'vitest';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { KILLS, saveThenKill } from './kill-helpers';

const work = mkdtempSync(path.join(os.tmpdir(), 'stw-kill-store-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('a kill during a store write leaves the previous document or the new one', () => {
  it(`${KILLS} kills of a put loop: the store always opens with every run`, async () => {
    const rng = seedrandom('kill-store-save');
    const dir = path.join(work, 'store');
    let next = 1;
    for (let k = 0; k < KILLS; k++) {
      const { last, signal } = await saveThenKill('store', dir, next, Math.floor(rng() * 60));
      expect(signal).toBe('SIGKILL');
      const store = openRunStore(Conf as unknown as BackingStoreClass, dir);
      expect(store.notices).toEqual([]);
      expect(store.list()).toHaveLength(31);
      const version = Number(store.get('r1')!.datasetHash.slice(1));
      expect([last, last + 1]).toContain(version);
      next = version + 1;
      expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toEqual([]);
    }
    expect(next).toBeGreaterThan(KILLS);
  });
});
