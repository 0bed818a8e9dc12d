/**
 * Training jobs that end early, with real trainer processes: Cancel (service and pipeline) stops within
 * a second and leaves no half-written model (or the previous one intact); a trainer killed from outside
 * is reported — a `train.failed` event in the app, one error line from the CLI — and the service keeps
 * answering and can train again.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Conf from 'conf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { WorkbenchError } from '../../src-main/core/errors';
import { forkTrainer } from '../../src-main/core/jobs/ports';
import { buildModel, loadModel, saveModel } from '../../src-main/core/models';
import { runTraining } from '../../src-main/core/pipeline/run';
import { DEFAULT_TRAIN_CONFIG, FEATURE_NAMES, type DatasetConfig } from '../../src-main/core/types';
import { resolveDatasetConfig } from '../../src-main/core/dataset';
import { loadEngine } from '../../src-main/services/engine';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { createWorkbenchService, type CallContext } from '../../src-main/services/workbench';
import type { EventName } from '../../src-preload/contract';

const root = path.resolve(__dirname, '../..');
const made: string[] = [];
const tmp = (prefix: string): string => {
  const d = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const DATASET = { tickers: ['AAPL', 'MSFT'], start: '2024-01-02', end: '2024-06-28', seed: 1 };
const LONG = { epochs: 300, batchSize: 8 };

function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Seen {
  event: EventName;
  payload: Record<string, unknown>;
  at: number;
}

/** The real engine with forked trainers whose pids are recorded. */
function realService() {
  const dataFolder = tmp('stw-crash-svc-');
  const pids: number[] = [];
  const service = createWorkbenchService({
    mode: 'web',
    version: 't',
    dataFolder,
    store: openRunStore(Conf as unknown as BackingStoreClass, dataFolder),
    engine: loadEngine,
    spawnTrainer: () => {
      const port = forkTrainer();
      if (port.pid !== undefined) pids.push(port.pid);
      return port;
    },
  });
  const seen: Seen[] = [];
  const ctx: CallContext = { emit: (event, payload) => seen.push({ event, payload: payload as Record<string, unknown>, at: Date.now() }) };
  const call = async <T = unknown>(name: string, payload: unknown): Promise<T> => {
    const r = await service.handle(name, payload, ctx);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const batchSeen = (kind: string) => seen.some((e) => e.event === 'train.progress' && e.payload.type === 'batch' && e.payload.kind === kind);
  return { dataFolder, pids, service, seen, call, batchSeen };
}

beforeAll(async () => {
  await initBackend();
});

describe('cancel', () => {
  it('through the service: train.failed (CANCELLED) within 1 s, processes gone, no model folder written', async () => {
    const s = realService();
    await s.call('dataset.generate', DATASET);
    const { runId } = await s.call<{ runId: string }>('train.start', { models: ['lstm', 'dual_tower'], lstm: LONG, dual_tower: LONG });
    await waitFor('both models training', () => s.batchSeen('lstm') && s.batchSeen('dual_tower'), 90_000);

    const cancelledAt = Date.now();
    expect(await s.call('train.cancel', { runId })).toEqual({ cancelled: true });
    const failed = await waitFor('train.failed', () => s.seen.find((e) => e.event === 'train.failed'), 5_000);
    expect(failed.payload).toEqual({ runId, code: 'CANCELLED', message: 'training was cancelled' });
    console.info(`[cancel] service: train.failed ${failed.at - cancelledAt} ms after train.cancel`);
    expect(failed.at - cancelledAt).toBeLessThan(1000);
    expect(s.pids).toHaveLength(2);
    await waitFor('trainers to exit', () => s.pids.every((pid) => !alive(pid)), 1500);

    const run = await s.call<{ status: string; modelsFolder: string; summary: unknown }>('runs.get', { runId });
    expect(run.status).toBe('cancelled');
    expect(run.summary).toBeNull();
    expect(readdirSync(run.modelsFolder)).toEqual([]); // nothing of the cancelled run: no run_config.json, lstm_best/, dual_tower_best/, staging or temporary folders
  });

  it('through the pipeline into a folder that holds a previous model: that model stays intact', async () => {
    const outDir = tmp('stw-crash-prev-');
    const previous = buildModel('dual_tower', { ...DEFAULT_TRAIN_CONFIG, seed: 5 });
    const before = Array.from(previous.getWeights()[0]!.dataSync());
    await saveModel(previous, path.join(outDir, 'dual_tower_best'), {
      kind: 'dual_tower',
      seqLen: 3,
      features: [...FEATURE_NAMES],
      normaliser: { kind: 'global', stats: { '*': { mean: new Array(21).fill(0), std: new Array(21).fill(1) } } },
      config: DEFAULT_TRAIN_CONFIG,
      params: 2371,
      backend: 'wasm',
      created: 'previous',
    });
    previous.dispose();

    const dataset: DatasetConfig = resolveDatasetConfig(DATASET);
    const controller = new AbortController();
    let abortedAt = 0;
    const err = await runTraining(
      { dataset, models: ['dual_tower'], train: { lstm: DEFAULT_TRAIN_CONFIG, dual_tower: { ...DEFAULT_TRAIN_CONFIG, ...LONG } }, outDir },
      {
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'batch' && !abortedAt) {
            abortedAt = Date.now();
            controller.abort();
          }
        },
      },
    ).catch((e: unknown) => e);
    console.info(`[cancel] pipeline: rejected ${Date.now() - abortedAt} ms after abort`);
    expect(Date.now() - abortedAt).toBeLessThan(1000);
    expect((err as WorkbenchError).code).toBe('CANCELLED');

    const loaded = await loadModel(path.join(outDir, 'dual_tower_best'));
    expect(loaded.meta.created).toBe('previous');
    expect(Array.from(loaded.model.getWeights()[0]!.dataSync())).toEqual(before);
    loaded.model.dispose();
    expect(readdirSync(outDir).sort()).toEqual(['dual_tower_best']); // the folder as it was before the run
  });
});

describe('a trainer killed from outside', () => {
  it('is reported as train.failed at once (the other model is stopped, not waited for); the service trains again', async () => {
    const s = realService();
    await s.call('dataset.generate', DATASET);
    const { runId } = await s.call<{ runId: string }>('train.start', { models: ['lstm', 'dual_tower'], lstm: LONG, dual_tower: LONG });
    await waitFor('both models training', () => s.batchSeen('lstm') && s.batchSeen('dual_tower'), 90_000);
    const [lstmPid, dualPid] = s.pids;

    const killedAt = Date.now();
    process.kill(dualPid!, 'SIGKILL');
    const failed = await waitFor('train.failed', () => s.seen.find((e) => e.event === 'train.failed'), 10_000);
    expect(failed.payload.runId).toBe(runId);
    expect(failed.payload.code).toBe('TRAINING_FAILED');
    expect(failed.payload.message).toMatch(/^trainer process was killed \(SIGKILL\) before finishing/);
    expect(failed.at - killedAt).toBeLessThan(2500); // the LSTM's 300 epochs would take minutes
    await waitFor('the other trainer to exit', () => !alive(lstmPid), 1500);

    const run = await s.call<{ status: string; error: { code: string; message: string }; modelsFolder: string }>('runs.get', { runId });
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ code: 'TRAINING_FAILED', message: failed.payload.message });
    expect(readdirSync(run.modelsFolder)).toEqual([]);
    const info = await s.call<{ activeRunId: string | null }>('app.info', {});
    expect(info.activeRunId).toBeNull();

    // and it keeps working: a new run trains to the end
    const again = await s.call<{ runId: string }>('train.start', { models: ['dual_tower'], dual_tower: { epochs: 1, batchSize: 32 } });
    const done = await waitFor('train.done', () => s.seen.find((e) => e.event === 'train.done'), 90_000);
    expect(done.payload.runId).toBe(again.runId);
    const list = await s.call<{ runs: { id: string; status: string }[] }>('runs.list', {});
    expect(list.runs.map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([
        [runId, 'failed'],
        [again.runId, 'done'],
      ]),
    );
  });

  it('the CLI exits 1 with one error line and writes no model', async () => {
    const out = path.join(tmp('stw-crash-cli-'), 'models');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const cli = spawn(
      process.execPath,
      ['--import', tsx, path.join(root, 'src-main/cli/index.ts'), 'train', '--model', 'dual_tower', '--epochs', '300', '--tickers', 'AAPL,MSFT',
        '--start', DATASET.start, '--end', DATASET.end, '--seed', '1', '--out', out],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    cli.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    cli.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => cli.on('close', (code) => resolve(code)));
    try {
      await waitFor('the first epoch', () => stdout.includes('dual_tower: epoch 1/300'), 90_000);
      const trainer = childPids(cli.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('trainer'));
      expect(trainer).toBeDefined();
      process.kill(trainer!, 'SIGKILL');
      expect(await exited).toBe(1);
    } finally {
      cli.kill('SIGKILL');
    }
    expect(stderr).toMatch(/^error: trainer process was killed \(SIGKILL\) before finishing[^\n]*\n$/);
    expect(existsSync(path.join(out, 'dual_tower_best'))).toBe(false);
    expect(existsSync(path.join(out, 'training_summary.json'))).toBe(false);
  });
});

/** Direct children of `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}
