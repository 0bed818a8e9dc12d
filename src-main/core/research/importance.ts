/**
 * Permutation feature importance on the validation samples: how much accuracy and macro-F1 drop when one
 * feature (or a whole group, jointly) is shuffled across samples, breaking its link to the label while
 * keeping its distribution.
 *
 * Sequences: a sample's input for the LSTM is the window of `seqLen` days ending at the sample. Permuting
 * feature f gives sample j the f-trajectory of sample π(j)'s whole window (the same π at every time step).
 * Shuffling rows of the feature matrix instead would splice unrelated days into one window (a close of 90
 * between two closes of 150): inputs no real window has, which would inflate the importance of smooth
 * features through extrapolation rather than through what the model learned. At the window's last step the
 * permuted values are exactly the dual tower's, so both models are probed with the same permutation.
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { computeMetrics } from '../evaluation/metrics';
import { normaliseRows } from '../training/features';
import { buildSamples } from '../training/samples';
import { WorkbenchError } from '../errors';
import { predictProbs } from '../training/train';
import {
  FEATURE_COUNT,
  FEATURE_NAMES,
  featureGroup,
  type Dataset,
  type FeatureGroup,
  type FeatureName,
  type ModelKind,
  type Normaliser,
} from '../types';

export const FEATURE_GROUPS: readonly FeatureGroup[] = ['stock', 'news', 'macro', 'policy'];

export interface FeatureImportance {
  name: FeatureName;
  group: FeatureGroup;
  /** mean over repeats of (unpermuted − permuted); positive = the model relies on it */
  drop_accuracy: number;
  drop_macro_f1: number;
  /** mean increase of the log loss (a smoother signal than accuracy for rare-but-useful features) */
  rise_log_loss: number;
}

export interface GroupImportance {
  name: FeatureGroup;
  features: FeatureName[];
  drop_accuracy: number;
  drop_macro_f1: number;
  rise_log_loss: number;
}

export interface PermutationImportance {
  kind: ModelKind;
  repeats: number;
  seed: number;
  samples: number;
  base: { accuracy: number; macro_f1: number; log_loss: number };
  /** in FEATURE_NAMES order */
  feature: FeatureImportance[];
  /** in FEATURE_GROUPS order */
  group: GroupImportance[];
}

/** Validation inputs laid out as the model takes them: n × steps × 21, row-major. */
export interface ImportanceInputs {
  x: Float32Array;
  n: number;
  steps: number;
  labels: number[];
}

/** Class probabilities for an input laid out as in ImportanceInputs. */
export type ProbabilityFn = (x: Float32Array, n: number, steps: number) => Promise<number[][]>;

export interface ImportanceOptions {
  /** window length the model was trained with; also fixes the validation samples (both models share them) */
  seqLen: number;
  /** permutations per feature, averaged (default 3) */
  repeats?: number;
  seed?: number;
  /** statistics to normalise with (default ds.normaliser; a saved model carries its own) */
  normaliser?: Normaliser;
  /** after each shuffled prediction: the fraction of the work done */
  onProgress?: (fraction: number) => void;
  /** stops between predictions (a cancelled run) */
  signal?: AbortSignal;
}

/** The validation samples' inputs: windows of `steps` rows (1 for the dual tower) ending at each sample. */
export function validationInputs(ds: Dataset, kind: ModelKind, seqLen: number, normaliser: Normaliser = ds.normaliser): ImportanceInputs {
  const features = normaliseRows(ds.rows, normaliser);
  const samples = buildSamples(ds, features, seqLen);
  const steps = kind === 'lstm' ? seqLen : 1;
  const span = steps * FEATURE_COUNT;
  const n = samples.val.length;
  const x = new Float32Array(n * span);
  for (let j = 0; j < n; j++) {
    const start = (samples.val[j] - steps + 1) * FEATURE_COUNT;
    x.set(features.subarray(start, start + span), j * span);
  }
  return { x, n, steps, labels: samples.valLabels };
}

/** A seeded permutation of 0..n−1 (Fisher–Yates). */
export function seededPermutation(n: number, seed: string): Int32Array {
  const rng = seedrandom(seed);
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** `columns` of every sample and step replaced by those of sample perm[j] (whole trajectories move together). */
function permuteColumns(base: ImportanceInputs, columns: readonly number[], perm: Int32Array, out: Float32Array): void {
  out.set(base.x);
  const span = base.steps * FEATURE_COUNT;
  for (let j = 0; j < base.n; j++) {
    const from = perm[j] * span;
    const to = j * span;
    for (let s = 0; s < base.steps; s++) {
      for (const f of columns) out[to + s * FEATURE_COUNT + f] = base.x[from + s * FEATURE_COUNT + f];
    }
  }
}

interface Drop {
  drop_accuracy: number;
  drop_macro_f1: number;
  rise_log_loss: number;
}

/** The model-agnostic core: any probability function over prepared inputs. */
export async function permutationImportanceWith(
  predict: ProbabilityFn,
  inputs: ImportanceInputs,
  kind: ModelKind,
  opts: Pick<ImportanceOptions, 'repeats' | 'seed' | 'onProgress' | 'signal'> = {},
): Promise<PermutationImportance> {
  const repeats = opts.repeats ?? 3;
  const seed = opts.seed ?? 0;
  const base = computeMetrics(inputs.labels, await predict(inputs.x, inputs.n, inputs.steps));
  const work = new Float32Array(inputs.x.length);
  const total = (FEATURE_NAMES.length + FEATURE_GROUPS.length) * repeats;
  let done = 0;

  // The permutation depends on the name and repeat only, so every model (and every run) shuffles alike.
  const measure = async (name: string, columns: readonly number[]): Promise<Drop> => {
    const sum: Drop = { drop_accuracy: 0, drop_macro_f1: 0, rise_log_loss: 0 };
    for (let r = 0; r < repeats; r++) {
      if (opts.signal?.aborted) throw new WorkbenchError('CANCELLED', 'cancelled during permutation importance');
      permuteColumns(inputs, columns, seededPermutation(inputs.n, `${seed}:${name}:${r}`), work);
      const m = computeMetrics(inputs.labels, await predict(work, inputs.n, inputs.steps));
      opts.onProgress?.(++done / total);
      sum.drop_accuracy += (base.accuracy - m.accuracy) / repeats;
      sum.drop_macro_f1 += (base.macro_f1 - m.macro_f1) / repeats;
      sum.rise_log_loss += (m.log_loss - base.log_loss) / repeats;
    }
    return sum;
  };

  const feature: FeatureImportance[] = [];
  for (const [f, name] of FEATURE_NAMES.entries()) feature.push({ name, group: featureGroup(name), ...(await measure(name, [f])) });
  const group: GroupImportance[] = [];
  for (const g of FEATURE_GROUPS) {
    const names = FEATURE_NAMES.filter((name) => featureGroup(name) === g);
    const columns = names.map((name) => FEATURE_NAMES.indexOf(name));
    group.push({ name: g, features: [...names], ...(await measure(`group:${g}`, columns)) });
  }
  return {
    kind,
    repeats,
    seed,
    samples: inputs.n,
    base: { accuracy: base.accuracy, macro_f1: base.macro_f1, log_loss: base.log_loss },
    feature,
    group,
  };
}

/** Probabilities from a tfjs model for inputs laid out as in ImportanceInputs. */
export function modelProbabilities(model: tf.LayersModel): ProbabilityFn {
  return async (x, n, steps) => {
    const input = steps === 1 && model.inputs[0].shape.length === 2 ? tf.tensor2d(x, [n, FEATURE_COUNT]) : tf.tensor3d(x, [n, steps, FEATURE_COUNT]);
    try {
      return await predictProbs(model, input);
    } finally {
      input.dispose();
    }
  };
}

/** Permutation importance of one trained model on the dataset's validation samples. */
export async function permutationImportance(model: tf.LayersModel, kind: ModelKind, ds: Dataset, opts: ImportanceOptions): Promise<PermutationImportance> {
  const inputs = validationInputs(ds, kind, opts.seqLen, opts.normaliser);
  return permutationImportanceWith(modelProbabilities(model), inputs, kind, opts);
}

/** Features ranked by a drop (largest first): what a bar chart shows top-down. */
export function rankFeatures(imp: PermutationImportance, by: keyof Drop = 'drop_accuracy'): FeatureImportance[] {
  return [...imp.feature].sort((a, b) => b[by] - a[by]);
}
