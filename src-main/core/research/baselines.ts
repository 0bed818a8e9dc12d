/**
 * The stratified-random baseline: predict each validation sample's class at random with the training
 * class frequencies. It is the "no skill but knows the class balance" reference whose spread over draws
 * gives the noise band a model without signal must stay inside.
 */
import seedrandom from 'seedrandom';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { CLASS_COUNT, metricsFromPredictions } from '../evaluation/metrics';

export interface StratifiedBaseline {
  /** training class frequencies used to draw predictions (0 down, 1 flat, 2 up) */
  train_frequencies: number[];
  /** validation class frequencies */
  val_frequencies: number[];
  /** analytic expectation Σ_k p_train(k)·p_val(k) */
  expected_accuracy: number;
  draws: number;
  /** Monte-Carlo mean and sample standard deviation over the draws */
  accuracy_mean: number;
  accuracy_std: number;
  macro_f1_mean: number;
  macro_f1_std: number;
}

export function classFrequencies(labels: readonly number[]): number[] {
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  for (const y of labels) counts[y] += 1;
  return counts.map((c) => (labels.length === 0 ? 0 : c / labels.length));
}

/** Σ_k p_train(k)·p_val(k): the chance that an independent draw from the train mix hits the true class. */
export function expectedStratifiedAccuracy(trainLabels: readonly number[], valLabels: readonly number[]): number {
  const q = classFrequencies(trainLabels);
  const p = classFrequencies(valLabels);
  return q.reduce((s, qk, k) => s + qk * p[k], 0);
}

/**
 * Macro-F1 is a ratio of counts, so it has no simple closed-form expectation; `draws` seeded draws give its
 * mean and spread (and the accuracy's, which should sit on the analytic value).
 */
export function stratifiedBaseline(
  trainLabels: readonly number[],
  valLabels: readonly number[],
  opts: { draws?: number; seed?: number } = {},
): StratifiedBaseline {
  const draws = opts.draws ?? 200;
  const rng = seedrandom(`stratified:${opts.seed ?? 0}`);
  const q = classFrequencies(trainLabels);
  const cumulative = q.map((_, k) => q.slice(0, k + 1).reduce((a, b) => a + b, 0));
  const accuracies: number[] = [];
  const f1s: number[] = [];
  const pred = new Array<number>(valLabels.length);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < valLabels.length; i++) {
      const u = rng();
      let k = 0;
      while (k < CLASS_COUNT - 1 && u >= cumulative[k]) k++;
      pred[i] = k;
    }
    const m = metricsFromPredictions(valLabels, pred);
    accuracies.push(m.accuracy);
    f1s.push(m.macro_f1);
  }
  const sd = (xs: number[]): number => (xs.length > 1 ? sampleStandardDeviation(xs) : 0);
  return {
    train_frequencies: q,
    val_frequencies: classFrequencies(valLabels),
    expected_accuracy: expectedStratifiedAccuracy(trainLabels, valLabels),
    draws,
    accuracy_mean: draws > 0 ? mean(accuracies) : 0,
    accuracy_std: sd(accuracies),
    macro_f1_mean: draws > 0 ? mean(f1s) : 0,
    macro_f1_std: sd(f1s),
  };
}

/** Binomial standard error of an accuracy p measured on n samples: √(p(1−p)/n). */
export function binomialStandardError(p: number, n: number): number {
  return n > 0 ? Math.sqrt((p * (1 - p)) / n) : 0;
}
