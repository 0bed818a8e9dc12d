/**
 * runs.walkForward through the typed Api onto the service (fake engine: the walk-forward result is
 * scripted, the bookkeeping is real): validation, progress events, the result stored in the run's
 * summary file and record, cancel, and refusals while other work runs.
 */
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApi, errorOf, type Api, type EventName, type Transport } from '../../src-preload/contract';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { createWorkbenchService, type WorkbenchService } from '../../src-main/services/workbench';
import { fakeEngine, type FakeTraining } from './fake-engine';

const DATASET = { tickers: ['AAPL', 'ZZZ'], start: '2023-01-03', end: '2023-12-29' };

interface Setup {
  service: WorkbenchService;
  training: FakeTraining;
  events: { event: EventName; payload: unknown }[];
  api: Api;
}

function setup(): Setup {
  const dataFolder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-wf-')));
  const store = openRunStore(Conf as unknown as BackingStoreClass, dataFolder);
  const training: FakeTraining = { mode: 'ok', requests: [] };
  let n = 0;
  const service = createWorkbenchService({
    mode: 'web',
    version: '9.9.9',
    dataFolder,
    store,
    engine: fakeEngine(training),
    newRunId: () => `run-${++n}`,
    expectedBackend: 'wasm',
  });
  const events: Setup['events'] = [];
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
  return { service, training, events, api: createApi(transport) };
}

let s: Setup;
beforeEach(() => {
  s = setup();
});

async function trainedRun(): Promise<string> {
  await s.api.dataset.generate(DATASET);
  const { runId } = await s.api.train.start({ models: ['lstm', 'dual_tower'], lstm: { epochs: 1 }, dual_tower: { epochs: 1 } });
  await s.service.idle();
  return runId;
}

describe('runs.walkForward', () => {
  it('runs k folds, streams progress, and stores the result in the summary file and the run record', async () => {
    const runId = await trainedRun();
    const done = new Promise<unknown>((resolve) => s.api.on('walkForward.done', resolve));
    await expect(s.api.runs.walkForward({ runId, k: 2 })).resolves.toEqual({ runId, k: 2 });
    await s.service.idle();
    const event = (await done) as { runId: string; walkForward: { k: number; folds: unknown[] } };
    expect(event.runId).toBe(runId);
    expect(event.walkForward.folds).toHaveLength(2);

    const progress = s.events.filter((e) => e.event === 'walkForward.progress').map((e) => e.payload as { type: string; runId: string; fold?: number });
    expect(progress.every((p) => p.runId === runId)).toBe(true);
    expect(progress.filter((p) => p.type === 'progress').map((p) => p.fold)).toEqual([1, 1, 2, 2]);
    expect(s.training.walkForwards).toHaveLength(1);
    expect(s.training.walkForwards![0]!.k).toBe(2);

    const record = await s.api.runs.get({ runId });
    expect(record.summary?.walk_forward?.k).toBe(2);
    expect(record.summary?.walk_forward?.models.lstm?.accuracy.mean).toBeCloseTo(0.415, 10);
    // the training result is kept beside it
    expect(record.summary?.models.lstm?.params).toBe(57219);
    const onDisk = JSON.parse(readFileSync(path.join(record.modelsFolder, 'training_summary.json'), 'utf8'));
    expect(onDisk.walk_forward.folds).toHaveLength(2);
  });

  it('defaults to 3 folds and refuses k outside 2..10 or a malformed request', async () => {
    const runId = await trainedRun();
    for (const payload of [{ runId, k: 1 }, { runId, k: 11 }, { runId, k: 2.5 }, { runId, k: '3' }, { runId, k: 3, extra: true }, { k: 3 }]) {
      const r = await s.service.handle('runs.walkForward', payload, { emit: () => {} });
      expect(r.ok, JSON.stringify(payload)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    }
    expect(s.training.walkForwards ?? []).toHaveLength(0);
    await expect(s.api.runs.walkForward({ runId })).resolves.toEqual({ runId, k: 3 });
    await s.service.idle();
    expect((await s.api.runs.get({ runId })).summary?.walk_forward?.folds).toHaveLength(3);
  });

  it('refuses an unknown run and a run without trained models', async () => {
    expect(await s.api.runs.walkForward({ runId: 'nope', k: 2 }).catch(errorOf)).toMatchObject({ code: 'NOT_FOUND' });
    await s.api.dataset.generate(DATASET);
    s.training.mode = 'fail';
    const { runId } = await s.api.train.start({ models: ['lstm'], lstm: { epochs: 1 } });
    await s.service.idle();
    expect(await s.api.runs.walkForward({ runId, k: 2 }).catch(errorOf)).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('is cancelled by train.cancel with the run id, keeps the summary as it was, and blocks training meanwhile', async () => {
    const runId = await trainedRun();
    s.training.walkForwardMode = 'hang';
    const failed = new Promise<{ code: string }>((resolve) => s.api.on('walkForward.failed', resolve));
    await s.api.runs.walkForward({ runId, k: 2 });
    // asking again follows the job in flight instead of starting another
    await expect(s.api.runs.walkForward({ runId, k: 5 })).resolves.toEqual({ runId, k: 2 });
    expect(s.training.walkForwards).toHaveLength(1);
    expect(await s.api.train.start({ models: ['lstm'] }).catch(errorOf)).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await s.api.runs.delete({ runId }).catch(errorOf)).toMatchObject({ code: 'BAD_REQUEST' });

    await expect(s.api.train.cancel({ runId })).resolves.toEqual({ cancelled: true });
    expect((await failed).code).toBe('CANCELLED');
    await s.service.idle();
    expect((await s.api.runs.get({ runId })).summary?.walk_forward).toBeUndefined();
  });

  it('reports a failing walk-forward with its code and message', async () => {
    const runId = await trainedRun();
    s.training.walkForwardMode = 'fail';
    const failed = new Promise<{ code: string; message: string }>((resolve) => s.api.on('walkForward.failed', resolve));
    await s.api.runs.walkForward({ runId, k: 4 });
    expect(await failed).toMatchObject({ code: 'BAD_INPUT', message: 'too few trading days for 4 walk-forward folds' });
    await s.service.idle();
  });
});
