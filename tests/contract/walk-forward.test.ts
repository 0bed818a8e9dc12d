/** The contract's walk-forward call and events: what the main side accepts, and what the renderer keeps. */
import { describe, expect, it } from 'vitest';
import { contract, parseRequest, TrainingSummarySchema, WalkForwardSchema } from '../../src-preload/contract';
import { summaryFor, walkForwardFor } from '../services/fake-engine';

describe('runs.walkForward', () => {
  it('takes a run id and 2 ≤ k ≤ 10 folds, 3 by default', () => {
    expect(parseRequest('runs.walkForward', { runId: 'run-1' })).toEqual({ ok: true, value: { runId: 'run-1', k: 3 } });
    expect(parseRequest('runs.walkForward', { runId: 'run-1', k: 10 })).toEqual({ ok: true, value: { runId: 'run-1', k: 10 } });
    const refused = [{ runId: 'run-1', k: 1 }, { runId: 'run-1', k: 11 }, { runId: 'run-1', k: 2.5 }, { runId: 'run-1', k: '3' }, { runId: '../x', k: 3 }, { runId: 'run-1', k: 3, dir: '/tmp' }, {}];
    for (const payload of refused) {
      const r = parseRequest('runs.walkForward', payload);
      expect(r.ok, JSON.stringify(payload)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('BAD_REQUEST');
    }
    const tooMany = parseRequest('runs.walkForward', { runId: 'run-1', k: 11 });
    expect(!tooMany.ok && tooMany.error.message).toMatch(/^runs\.walkForward: k: /);
  });

  it('validates progress, done and failed events', () => {
    const progress = contract.events['walkForward.progress'];
    expect(progress.safeParse({ type: 'progress', runId: 'r', kind: 'lstm', fold: 2, folds: 3, epoch: 4, epochs: 5, fraction: 0.6 }).success).toBe(true);
    expect(progress.safeParse({ type: 'progress', runId: 'r', kind: 'lstm', fold: 2, folds: 3, epoch: 4, epochs: 5, fraction: 1.5 }).success).toBe(false);
    expect(progress.safeParse({ type: 'job-ready', runId: 'r', kind: 'dual_tower', backend: 'wasm' }).success).toBe(true);
    expect(progress.safeParse({ type: 'model-done', runId: 'r', kind: 'gru' }).success).toBe(false);
    expect(contract.events['walkForward.done'].safeParse({ runId: 'r', walkForward: walkForwardFor(2) }).success).toBe(true);
    expect(contract.events['walkForward.failed'].safeParse({ runId: 'r', code: 'CANCELLED', message: 'cancelled' }).success).toBe(true);
  });

  it('keeps walk_forward in a summary, and a summary without the research keys (older runs) still passes', () => {
    const req = {
      dataset: { source: 'synthetic' as const, tickers: ['AAPL'], start: '2023-01-03', end: '2023-12-29', horizon: 1, threshold: 0.005, seed: 42, signal: 0.3, trainFraction: 2 / 3, normalisation: 'per_ticker' as const },
      models: ['lstm' as const, 'dual_tower' as const],
      train: {} as never,
      outDir: '/tmp/x',
    };
    const old = summaryFor(req, 90);
    expect(TrainingSummarySchema.safeParse(old).success).toBe(true);
    const parsed = TrainingSummarySchema.parse({ ...old, walk_forward: walkForwardFor(3) });
    expect(parsed.walk_forward?.folds).toHaveLength(3);
    expect(parsed.walk_forward?.models.lstm?.accuracy.mean).toBeCloseTo(0.42, 12);
    const broken = walkForwardFor(2) as unknown as { folds: { val_samples: number }[] };
    broken.folds[0]!.val_samples = -1;
    expect(WalkForwardSchema.safeParse(broken).success).toBe(false);
  });
});
