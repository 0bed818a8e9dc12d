import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildModel } from '../../src-main/core/models';
import {
  FEATURE_GROUPS,
  modelProbabilities,
  permutationImportance,
  permutationImportanceWith,
  rankFeatures,
  seededPermutation,
  validationInputs,
  type ImportanceInputs,
  type ProbabilityFn,
} from '../../src-main/core/research';
import { buildSamples, modelInput, normaliseRows, predictProbs } from '../../src-main/core/training';
import { DEFAULT_TRAIN_CONFIG, FEATURE_COUNT, FEATURE_NAMES, type FeatureName } from '../../src-main/core/types';
import { handDataset } from './helpers';

beforeAll(async () => {
  await initBackend();
});

const col = (name: FeatureName): number => FEATURE_NAMES.indexOf(name);

/** n samples × steps, every value distinct; labels = a rule applied to the unpermuted inputs. */
function inputs(n: number, steps: number, rule: (x: Float32Array, j: number) => number): ImportanceInputs {
  const x = Float32Array.from({ length: n * steps * FEATURE_COUNT }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
  const labels = Array.from({ length: n }, (_, j) => rule(x, j));
  return { x, n, steps, labels };
}

const at = (x: Float32Array, steps: number, j: number, s: number, f: number): number => x[(j * steps + s) * FEATURE_COUNT + f];

/** A hard classifier as probabilities. */
const hard = (rule: (x: Float32Array, j: number) => number): ProbabilityFn => async (x, n) =>
  Array.from({ length: n }, (_, j) => [0, 1, 2].map((k) => (k === rule(x, j) ? 1 : 0)));

describe('permutation importance progress and cancel', () => {
  const flat: ProbabilityFn = async (_x, n) => Array.from({ length: n }, () => [1, 0, 0]);

  it('reports the fraction done after every shuffled prediction, ending at 1', async () => {
    const fractions: number[] = [];
    await permutationImportanceWith(flat, inputs(20, 2, () => 0), 'lstm', { repeats: 2, onProgress: (f) => fractions.push(f) });
    const total = 2 * (FEATURE_COUNT + FEATURE_GROUPS.length);
    expect(fractions).toHaveLength(total);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions[0]).toBeCloseTo(1 / total, 12);
  });

  it('stops with CANCELLED between predictions once the signal is aborted', async () => {
    const abort = new AbortController();
    let calls = 0;
    const counting: ProbabilityFn = async (x, n, steps) => {
      if (++calls === 5) abort.abort();
      return flat(x, n, steps);
    };
    await expect(permutationImportanceWith(counting, inputs(20, 2, () => 0), 'lstm', { repeats: 2, signal: abort.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(calls).toBe(5);
  });
});

describe('permutation importance mechanics', () => {
  // "up" when news_sentiment on the window's last day is positive, else "down"
  const steps = 3;
  const rule = (x: Float32Array, j: number) => (at(x, steps, j, steps - 1, col('news_sentiment')) > 0 ? 2 : 0);

  it('gives the only feature a model reads a positive drop and every other feature exactly 0', async () => {
    const data = inputs(400, steps, rule);
    const imp = await permutationImportanceWith(hard(rule), data, 'lstm', { repeats: 3, seed: 5 });
    expect(imp.base.accuracy).toBe(1);
    expect(imp.samples).toBe(400);
    expect(imp.feature.map((f) => f.name)).toEqual([...FEATURE_NAMES]);
    for (const f of imp.feature) {
      if (f.name === 'news_sentiment') {
        // a random relabelling of a ±1 rule is right about half the time
        expect(f.drop_accuracy).toBeGreaterThan(0.35);
        expect(f.drop_accuracy).toBeLessThan(0.65);
        expect(f.drop_macro_f1).toBeGreaterThan(0.2);
        expect(f.group).toBe('news');
      } else {
        expect(f.drop_accuracy).toBe(0);
        expect(f.drop_macro_f1).toBe(0);
        expect(f.rise_log_loss).toBe(0);
      }
    }
    expect(imp.group.map((g) => g.name)).toEqual([...FEATURE_GROUPS]);
    expect(imp.group.filter((g) => g.drop_accuracy !== 0).map((g) => g.name)).toEqual(['news']);
    expect(imp.group.find((g) => g.name === 'policy')?.features).toEqual(['policy_event_count', 'policy_impact_score']);
    expect(rankFeatures(imp)[0].name).toBe('news_sentiment');
  });

  it('moves whole window trajectories: sample j gets the permuted columns of sample π(j) at every step, nothing else changes', async () => {
    const data = inputs(50, steps, rule);
    const seen = new Map<number, Float32Array>();
    let call = 0;
    const record: ProbabilityFn = async (x, n) => {
      seen.set(call++, Float32Array.from(x));
      return Array.from({ length: n }, () => [1, 0, 0]);
    };
    await permutationImportanceWith(record, data, 'lstm', { repeats: 2, seed: 9 });
    // call 0 is the unpermuted input; then 2 repeats per feature in FEATURE_NAMES order, then 2 per group
    expect(seen.size).toBe(1 + 2 * FEATURE_COUNT + 2 * FEATURE_GROUPS.length);
    expect(seen.get(0)).toEqual(data.x);
    const f = col('close');
    const permuted = seen.get(1 + 2 * f + 1) as Float32Array; // close, repeat 1
    const pi = seededPermutation(50, '9:close:1');
    for (let j = 0; j < 50; j++) {
      for (let s = 0; s < steps; s++) {
        for (let k = 0; k < FEATURE_COUNT; k++) {
          const from = k === f ? pi[j] : j;
          expect(at(permuted, steps, j, s, k)).toBe(at(data.x, steps, from, s, k));
        }
      }
    }
    // a group is permuted jointly: the same π for all of its columns
    const policy = seen.get(1 + 2 * FEATURE_COUNT + 2 * 3) as Float32Array; // group 'policy', repeat 0
    const pg = seededPermutation(50, '9:group:policy:0');
    for (let j = 0; j < 50; j++) {
      expect(at(policy, steps, j, 0, col('policy_event_count'))).toBe(at(data.x, steps, pg[j], 0, col('policy_event_count')));
      expect(at(policy, steps, j, 2, col('policy_impact_score'))).toBe(at(data.x, steps, pg[j], 2, col('policy_impact_score')));
      expect(at(policy, steps, j, 2, col('vix'))).toBe(at(data.x, steps, j, 2, col('vix')));
    }
  });

  it('sees a feature the model reads at the first step of its window', async () => {
    const first = (x: Float32Array, j: number) => (at(x, steps, j, 0, col('close')) > 0 ? 2 : 0);
    const imp = await permutationImportanceWith(hard(first), inputs(300, steps, first), 'lstm');
    expect(rankFeatures(imp)[0].name).toBe('close');
    expect(imp.repeats).toBe(3); // the default
  });

  it('is reproducible from the seed', async () => {
    const noisy: ProbabilityFn = async (x, n) => Array.from({ length: n }, (_, j) => {
      const v = at(x, 1, j, 0, 11) + 0.5 * at(x, 1, j, 0, 20);
      return [Math.max(0, -v), 0.2, Math.max(0, v)];
    });
    const data = inputs(200, 1, (x, j) => (at(x, 1, j, 0, 11) > 0 ? 2 : 0));
    const a = await permutationImportanceWith(noisy, data, 'dual_tower', { seed: 4 });
    expect(await permutationImportanceWith(noisy, data, 'dual_tower', { seed: 4 })).toEqual(a);
    expect(await permutationImportanceWith(noisy, data, 'dual_tower', { seed: 5 })).not.toEqual(a);
  });
});

describe('permutation importance of tfjs models on a dataset', () => {
  const ds = handDataset({ days: 40 });
  // the hand dataset has no normaliser; fit one on its training rows like the builder does
  ds.normaliser = { kind: 'per_ticker', stats: {} };
  for (const ticker of ['AAA', 'BBB']) {
    const train = ds.rows.filter((r) => r.ticker === ticker && r.part === 'train');
    const mean = FEATURE_NAMES.map((_, k) => train.reduce((a, r) => a + r.features[k], 0) / train.length);
    const std = FEATURE_NAMES.map((_, k) => Math.sqrt(train.reduce((a, r) => a + (r.features[k] - mean[k]) ** 2, 0) / train.length));
    ds.normaliser.stats[ticker] = { mean, std };
  }
  ds.normaliser.stats['*'] = ds.normaliser.stats.AAA;

  it('feeds each model the validation samples shared by both models', () => {
    const features = normaliseRows(ds.rows, ds.normaliser);
    const s = buildSamples(ds, features, 3);
    const lstm = validationInputs(ds, 'lstm', 3);
    const tower = validationInputs(ds, 'dual_tower', 3);
    expect(lstm.n).toBe(s.val.length);
    expect(tower.n).toBe(s.val.length);
    expect([lstm.steps, tower.steps]).toEqual([3, 1]);
    expect(tower.labels).toEqual(s.valLabels);
    const x = modelInput('dual_tower', features, s.val, 3);
    expect(Array.from(tower.x)).toEqual(Array.from(x.dataSync()));
    x.dispose();
    // the tower's input is the LSTM window's last step
    for (let j = 0; j < lstm.n; j++) {
      expect(Array.from(lstm.x.subarray((j * 3 + 2) * FEATURE_COUNT, (j * 3 + 3) * FEATURE_COUNT))).toEqual(Array.from(tower.x.subarray(j * FEATURE_COUNT, (j + 1) * FEATURE_COUNT)));
    }
  });

  it.each(['lstm', 'dual_tower'] as const)('%s: runs an untrained model end to end and frees its tensors', async (kind) => {
    const model = buildModel(kind, { ...DEFAULT_TRAIN_CONFIG, seqLen: 3 });
    const before = tf.memory().numTensors;
    const imp = await permutationImportance(model, kind, ds, { seqLen: 3, repeats: 1 });
    expect(tf.memory().numTensors).toBe(before);
    expect(imp.feature).toHaveLength(21);
    expect(imp.group).toHaveLength(4);
    // the base figures are the model's own validation predictions
    const features = normaliseRows(ds.rows, ds.normaliser);
    const s = buildSamples(ds, features, 3);
    const x = modelInput(kind, features, s.val, 3);
    const probs = await predictProbs(model, x);
    x.dispose();
    const direct = await modelProbabilities(model)(validationInputs(ds, kind, 3).x, s.val.length, kind === 'lstm' ? 3 : 1);
    expect(direct).toEqual(probs);
    model.dispose();
  });
});
