import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { beforeEach, describe, expect, it } from 'vitest';
import { sampleRun } from './helpers';
import { migrateDoc, openRunStore, STORE_VERSION, type BackingStoreClass } from '../../src-main/services/store';

const ConfClass = Conf as unknown as BackingStoreClass;
const fixedNow = () => new Date('2024-12-03T10:00:00.000Z');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'stw-store-'));
});
const file = () => path.join(dir, 'workbench.json');

describe('run store', () => {
  it('starts empty, keeps runs across reopening, and writes a versioned document', () => {
    const store = openRunStore(ConfClass, dir, { now: fixedNow });
    expect(store.list()).toEqual([]);
    expect(store.notices).toEqual([]);
    store.put(sampleRun('r1'));
    store.put(sampleRun('r2'));
    store.put({ ...sampleRun('r1'), datasetHash: 'changed' });
    const reopened = openRunStore(ConfClass, dir, { now: fixedNow });
    expect(reopened.list().map((r) => [r.id, r.datasetHash])).toEqual([
      ['r1', 'changed'],
      ['r2', 'abc123'],
    ]);
    const doc = JSON.parse(readFileSync(file(), 'utf8')) as { version: number; runs: unknown[] };
    expect(doc.version).toBe(STORE_VERSION);
    expect(doc.runs).toHaveLength(2);
    expect(reopened.delete('r1')).toBe(true);
    expect(reopened.delete('r1')).toBe(false);
    expect(openRunStore(ConfClass, dir).list().map((r) => r.id)).toEqual(['r2']);
  });

  it('refuses to store a record that breaks the schema', () => {
    const store = openRunStore(ConfClass, dir);
    expect(() => store.put({ ...sampleRun('r1'), status: 'exploded' as never })).toThrow();
    expect(store.list()).toEqual([]);
  });

  it('migrates an unversioned file of an early build and says so', () => {
    writeFileSync(file(), JSON.stringify({ runs: [sampleRun('old')] }));
    const store = openRunStore(ConfClass, dir, { now: fixedNow });
    expect(store.list().map((r) => r.id)).toEqual(['old']);
    expect(store.settings()).toEqual({ allowedFolders: [] });
    expect(store.notices).toEqual([`Run history updated from store version 0 to ${STORE_VERSION}.`]);
    expect(JSON.parse(readFileSync(file(), 'utf8')).version).toBe(STORE_VERSION);
  });

  it('moves an unreadable file aside, starts empty and reports it', () => {
    writeFileSync(file(), '{"version": 1, "runs": [');
    const store = openRunStore(ConfClass, dir, { now: fixedNow });
    expect(store.list()).toEqual([]);
    const aside = path.join(dir, 'workbench.json.corrupt-2024-12-03T10-00-00-000Z');
    expect(readFileSync(aside, 'utf8')).toBe('{"version": 1, "runs": [');
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toContain(aside);
    store.put(sampleRun('fresh'));
    expect(openRunStore(ConfClass, dir).list().map((r) => r.id)).toEqual(['fresh']);
  });

  it('moves aside a file from a newer version instead of misreading it', () => {
    writeFileSync(file(), JSON.stringify({ version: STORE_VERSION + 1, runs: [] }));
    const store = openRunStore(ConfClass, dir, { now: fixedNow });
    expect(store.notices[0]).toMatch(/newer version/);
    expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
  });

  it('drops only the unreadable run records and keeps a copy of the original', () => {
    writeFileSync(file(), JSON.stringify({ version: 1, runs: [sampleRun('good'), { id: 'bad' }], settings: { allowedFolders: [] } }));
    const store = openRunStore(ConfClass, dir, { now: fixedNow });
    expect(store.list().map((r) => r.id)).toEqual(['good']);
    expect(store.notices[0]).toMatch(/^1 unreadable run record/);
    const copies = readdirSync(dir).filter((f) => f.includes('.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(JSON.parse(readFileSync(path.join(dir, copies[0]!), 'utf8')).runs).toHaveLength(2);
  });

  it('marks a run left "running" by a stopped workbench as failed', () => {
    writeFileSync(file(), JSON.stringify({ version: 1, runs: [sampleRun('r1', 'running')], settings: { allowedFolders: [] } }));
    const store = openRunStore(ConfClass, dir, { now: fixedNow });
    const r = store.get('r1')!;
    expect(r.status).toBe('failed');
    expect(r.finished).toBe('2024-12-03T10:00:00.000Z');
    expect(r.error).toEqual({ code: 'INTERNAL', message: 'the workbench stopped while this run was training' });
    expect(store.notices).toEqual(['1 run(s) were interrupted when the workbench last stopped.']);
  });

  it('keeps settings', () => {
    const store = openRunStore(ConfClass, dir);
    store.setSettings({ allowedFolders: ['/data/prices'] });
    expect(openRunStore(ConfClass, dir).settings()).toEqual({ allowedFolders: ['/data/prices'] });
  });

  it('migrateDoc refuses what is not a store document', () => {
    expect(() => migrateDoc([])).toThrow(/not a JSON object/);
    expect(() => migrateDoc({ version: 'one' })).toThrow(/bad version/);
    expect(() => migrateDoc({ version: 1, runs: 'x' })).toThrow();
  });
});
