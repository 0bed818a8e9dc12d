/**
 * A run writes into a staging folder and publishes only when complete (files.ts withStagingDir): a
 * run that fails or is cancelled halfway leaves an earlier run in the same folder exactly as it was;
 * a run that finishes replaces it entry by entry; a dead process's staging folder is cleared.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withStagingDir } from '../../src-main/core/files';

const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-staging-')));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A finished run: a summary, a config and a model folder. */
function earlierRun(dir: string): void {
  mkdirSync(path.join(dir, 'lstm_best'), { recursive: true });
  writeFileSync(path.join(dir, 'lstm_best', 'model.json'), 'old lstm');
  mkdirSync(path.join(dir, 'dual_tower_best'), { recursive: true });
  writeFileSync(path.join(dir, 'dual_tower_best', 'model.json'), 'old dual');
  writeFileSync(path.join(dir, 'training_summary.json'), 'old summary');
  writeFileSync(path.join(dir, 'run_config.json'), 'old config');
}

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p, `${rel}${e.name}/`);
      else out[`${rel}${e.name}`] = readFileSync(p, 'utf8');
    }
  };
  walk(dir, '');
  return out;
}

describe('a run into the folder of an earlier run', () => {
  it('that fails after writing a model and a config leaves the earlier run exactly as it was', async () => {
    const dir = path.join(work, 'fails');
    earlierRun(dir);
    const before = snapshot(dir);
    const err = await withStagingDir(dir, async (staging) => {
      writeFileSync(path.join(staging, 'run_config.json'), 'new config');
      mkdirSync(path.join(staging, 'dual_tower_best'));
      writeFileSync(path.join(staging, 'dual_tower_best', 'model.json'), 'new dual');
      throw new Error('cancelled while the LSTM trained');
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('cancelled while the LSTM trained');
    expect(snapshot(dir)).toEqual(before);
  });

  it('that finishes replaces what it wrote and keeps what it did not write', async () => {
    const dir = path.join(work, 'finishes');
    earlierRun(dir);
    const result = await withStagingDir(dir, async (staging) => {
      writeFileSync(path.join(staging, 'run_config.json'), 'new config');
      writeFileSync(path.join(staging, 'training_summary.json'), 'new summary');
      mkdirSync(path.join(staging, 'lstm_best'));
      writeFileSync(path.join(staging, 'lstm_best', 'model.json'), 'new lstm');
      return 42;
    });
    expect(result).toBe(42);
    expect(snapshot(dir)).toEqual({
      'dual_tower_best/model.json': 'old dual',
      'lstm_best/model.json': 'new lstm',
      'run_config.json': 'new config',
      'training_summary.json': 'new summary',
    });
  });

  it("clears a dead process's staging folder and leaves a live one's", async () => {
    const dir = path.join(work, 'leftovers');
    mkdirSync(dir, { recursive: true });
    // a pid that has exited: a child we waited for
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout.trim();
    mkdirSync(path.join(dir, `.staging.${dead}.abcd1234`));
    mkdirSync(path.join(dir, `.staging.${process.pid}.0000ffff`)); // this process: maybe another run in flight
    await withStagingDir(dir, async (staging) => writeFileSync(path.join(staging, 'run_config.json'), 'x'));
    expect(readdirSync(dir).sort()).toEqual([`.staging.${process.pid}.0000ffff`, 'run_config.json']);
  });
});
