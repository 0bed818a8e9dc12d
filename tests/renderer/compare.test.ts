import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TrainingSummarySchema } from '../../src-preload/contract';
import { METRIC_ROWS, PER_CLASS_ROWS, compareLayout, validationSize, versusBaselines } from '../../src-renderer/lib/compare';

const summary = TrainingSummarySchema.parse(
  JSON.parse(readFileSync(new URL('../fixtures/renderer/training_summary.json', import.meta.url), 'utf8')),
);

describe('compareLayout', () => {
  it('puts LSTM and dual tower of one run side by side with one delta', () => {
    const { columns, deltas } = compareLayout([{ id: 'r1', label: 'A', summary }]);
    expect(columns.map((c) => c.title)).toEqual(['LSTM', 'Dual tower']);
    expect(columns.map((c) => c.model.params)).toEqual([57219, 2371]);
    expect(deltas).toEqual([{ title: 'Δ dual tower − LSTM', a: 0, b: 1 }]);
  });

  it('pairs the same model of two runs and takes B − A per model', () => {
    const other = { ...summary, models: { lstm: summary.models.lstm } };
    const { columns, deltas } = compareLayout([
      { id: 'r1', label: 'A', summary },
      { id: 'r2', label: 'B', summary: other },
    ]);
    expect(columns.map((c) => c.key)).toEqual(['r1:lstm', 'r2:lstm', 'r1:dual_tower']);
    expect(deltas).toEqual([{ title: 'Δ LSTM', a: 0, b: 1 }]);
  });

  it('skips a model the run did not train', () => {
    const onlyDual = { ...summary, models: { dual_tower: summary.models.dual_tower } };
    const { columns, deltas } = compareLayout([{ id: 'r9', label: 'A', summary: onlyDual }]);
    expect(columns.map((c) => c.kind)).toEqual(['dual_tower']);
    expect(deltas).toEqual([]);
  });
});

describe('metric rows', () => {
  const lstm = summary.models.lstm!;

  it('reads the headline metrics and marks log loss as lower-is-better', () => {
    expect(METRIC_ROWS.map((r) => r.get(lstm))).toEqual([17 / 35, 17 / 35 - 0.01, 0.41, 0.02, 1.09]);
    expect(METRIC_ROWS.find((r) => r.key === 'log_loss')!.higherIsBetter).toBe(false);
    expect(METRIC_ROWS.filter((r) => r.baseline).map((r) => r.key)).toEqual(['accuracy', 'macro_f1']);
  });

  it('has precision, recall, F1 and support for each of the three classes', () => {
    expect(PER_CLASS_ROWS.map((r) => r.key)).toEqual([
      'down_precision', 'down_recall', 'down_f1', 'down_support',
      'flat_precision', 'flat_recall', 'flat_f1', 'flat_support',
      'up_precision', 'up_recall', 'up_f1', 'up_support',
    ]);
    expect(PER_CLASS_ROWS.find((r) => r.key === 'up_f1')!.get(lstm)).toBe(0.273);
    // support is the rows of each true class: the confusion matrix's row sums, shown as counts
    const support = PER_CLASS_ROWS.filter((r) => r.count);
    expect(support.map((r) => r.get(lstm))).toEqual(lstm.metrics.confusion_matrix.map((row) => row.reduce((a, b) => a + b, 0)));
  });

  it('counts the validation samples from the confusion matrix', () => {
    expect(validationSize(lstm)).toBe(35);
    expect(validationSize(summary.models.dual_tower!)).toBe(35);
  });
});

describe('versusBaselines', () => {
  it('finds the strongest baseline per metric and says whether each model beats it', () => {
    const layout = compareLayout([{ id: 'r1', label: 'A', summary }]);
    const baselines = {
      majority: { accuracy: 0.5, macro_f1: 0.22 },
      persistence: { accuracy: 0.3, macro_f1: 0.3 },
      stratified: { accuracy: 0.34, macro_f1: 0.33, accuracy_std: 0.01, macro_f1_std: 0.01, draws: 200 },
    };
    const v = versusBaselines(layout, baselines);
    expect(v.accuracy).toEqual({ name: 'majority', value: 0.5 });
    expect(v.macro_f1).toEqual({ name: 'stratified', value: 0.33 });
    // the fixture's LSTM: accuracy 17/35 < 0.5, macro-F1 0.41 > 0.33
    expect(v.columns[0]).toEqual({ title: 'LSTM', accuracy: false, macro_f1: true });
  });
});
