/** Classification metrics for the three trend classes (0 down, 1 flat, 2 up). */
import type { Metrics, PerClassMetrics } from '../types';

export const CLASS_COUNT = 3;
const LOG_LOSS_EPS = 1e-15;

function safeDiv(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

export function argmax(p: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}

/** counts[true][pred]; rows = true class. */
export function confusionMatrix(yTrue: readonly number[], yPred: readonly number[], classes = CLASS_COUNT): number[][] {
  if (yTrue.length !== yPred.length) throw new Error(`confusionMatrix: ${yTrue.length} labels vs ${yPred.length} predictions`);
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]] += 1;
  return m;
}

/** Each row divided by its sum (a row with no samples stays zeros). */
export function rowNormalised(cm: readonly number[][]): number[][] {
  return cm.map((row) => {
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => safeDiv(v, s));
  });
}

/** Multiclass MCC in Gorodkin's form (R_K), computed from the confusion matrix. */
export function mccFromConfusion(cm: readonly number[][]): number {
  const k = cm.length;
  let s = 0;
  let c = 0;
  const t = new Array<number>(k).fill(0); // true counts (row sums)
  const p = new Array<number>(k).fill(0); // predicted counts (column sums)
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      s += cm[i][j];
      t[i] += cm[i][j];
      p[j] += cm[i][j];
    }
    c += cm[i][i];
  }
  let pt = 0;
  let pp = 0;
  let tt = 0;
  for (let i = 0; i < k; i++) {
    pt += p[i] * t[i];
    pp += p[i] * p[i];
    tt += t[i] * t[i];
  }
  const denom = Math.sqrt((s * s - pp) * (s * s - tt));
  return safeDiv(c * s - pt, denom);
}

/** Mean negative log-likelihood of the true class, probabilities clipped to [1e-15, 1-1e-15]. */
export function logLoss(yTrue: readonly number[], probs: readonly (readonly number[])[]): number {
  if (yTrue.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const p = Math.min(Math.max(probs[i][yTrue[i]], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    sum -= Math.log(p);
  }
  return sum / yTrue.length;
}

/**
 * All validation metrics from true labels and class probabilities (prediction = argmax).
 * Macro-F1 averages all three classes (a class never seen nor predicted scores 0);
 * balanced accuracy averages recall over the classes present in yTrue, as scikit-learn does.
 */
export function computeMetrics(yTrue: readonly number[], probs: readonly (readonly number[])[]): Metrics {
  if (yTrue.length !== probs.length) throw new Error(`computeMetrics: ${yTrue.length} labels vs ${probs.length} probability rows`);
  const yPred = probs.map((p) => argmax(p));
  const cm = confusionMatrix(yTrue, yPred);
  const n = yTrue.length;
  let correct = 0;
  for (let i = 0; i < CLASS_COUNT; i++) correct += cm[i][i];

  const perClass: PerClassMetrics[] = [];
  for (let k = 0; k < CLASS_COUNT; k++) {
    const tp = cm[k][k];
    const support = cm[k].reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let i = 0; i < CLASS_COUNT; i++) predicted += cm[i][k];
    const precision = safeDiv(tp, predicted);
    const recall = safeDiv(tp, support);
    perClass.push({ precision, recall, f1: safeDiv(2 * precision * recall, precision + recall), support });
  }
  const present = perClass.filter((c) => c.support > 0);
  return {
    accuracy: safeDiv(correct, n),
    balanced_accuracy: safeDiv(present.reduce((a, c) => a + c.recall, 0), present.length),
    macro_f1: perClass.reduce((a, c) => a + c.f1, 0) / CLASS_COUNT,
    mcc: mccFromConfusion(cm),
    log_loss: logLoss(yTrue, probs),
    per_class: perClass,
    confusion_matrix: cm,
  };
}

/** Metrics from hard predictions (one-hot probabilities), for baselines. */
export function metricsFromPredictions(yTrue: readonly number[], yPred: readonly number[]): Metrics {
  return computeMetrics(
    yTrue,
    yPred.map((k) => [0, 1, 2].map((c) => (c === k ? 1 : 0))),
  );
}
