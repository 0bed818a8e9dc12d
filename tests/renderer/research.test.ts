import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TrainingSummarySchema, type PermutationImportanceDto } from '../../src-preload/contract';
import { barGeometry, importanceViews, withoutP } from '../../src-renderer/lib/research';

const summary = TrainingSummarySchema.parse(
  JSON.parse(readFileSync(new URL('../fixtures/renderer/training_summary.json', import.meta.url), 'utf8')),
);

const GROUPS = { stock: ['open', 'close'], news: ['news_sentiment'], macro: ['vix'], policy: ['policy_impact_score'] } as const;

function importance(kind: 'lstm' | 'dual_tower', drops: Record<string, number>): PermutationImportanceDto {
  const groupOf = (name: string) => (Object.entries(GROUPS).find(([, names]) => (names as readonly string[]).includes(name))?.[0] ?? 'stock') as keyof typeof GROUPS;
  const drop = (d: number) => ({ drop_accuracy: d, drop_macro_f1: d, rise_log_loss: d });
  return {
    kind,
    repeats: 3,
    seed: 42,
    samples: 200,
    base: { accuracy: 0.4, macro_f1: 0.3, log_loss: 1.1 },
    feature: Object.entries(drops).map(([name, d]) => ({ name, group: groupOf(name), ...drop(d) })),
    group: Object.entries(GROUPS).map(([name, features]) => ({ name, features: [...features], ...drop(0.001) })),
  } as PermutationImportanceDto;
}

describe('withoutP', () => {
  it('drops the leading p from a reading (the view shows p on its own) and capitalises the rest', () => {
    expect(withoutP('p = 0.26: no evidence the models differ (LSTM alone right on 121, dual tower alone on 103)')).toBe(
      'No evidence the models differ (LSTM alone right on 121, dual tower alone on 103)',
    );
    expect(withoutP('p < 0.001: the LSTM is better beyond chance')).toBe('The LSTM is better beyond chance');
    expect(withoutP('p = 0.004: the dual tower is better beyond chance')).toBe('The dual tower is better beyond chance');
  });

  it('leaves a reading without a leading p as it is', () => {
    expect(withoutP('No evidence either way')).toBe('No evidence either way');
  });
});

describe('importanceViews', () => {
  it('puts both models on one value axis that holds every bar and zero', () => {
    const s = {
      ...summary,
      importance: {
        lstm: importance('lstm', { open: 0.011, close: -0.003, news_sentiment: 0.002, vix: 0.008, policy_impact_score: 0 }),
        dual_tower: importance('dual_tower', { open: 0.021, close: -0.013, news_sentiment: 0.003, vix: 0.017, policy_impact_score: -0.007 }),
      },
    };
    const views = importanceViews(s);
    expect(views.map((v) => v.kind)).toEqual(['lstm', 'dual_tower']);
    const [a, b] = views.map((v) => v.spec.y!);
    expect(a).toEqual(b);
    // −1.3 … +2.1 points (3.4 wide) → −2 … +3 on whole points
    expect(a!.min).toBeCloseTo(-0.02, 9);
    expect(a!.max).toBeCloseTo(0.03, 9);
    // bars largest first, one per feature; groups largest drop first
    expect(views[1]!.spec.labels).toEqual(['open', 'vix', 'news_sentiment', 'policy_impact_score', 'close']);
    expect(views[0]!.groups).toHaveLength(4);
  });

  it('uses half-point ends on a narrow range', () => {
    const s = { ...summary, importance: { lstm: importance('lstm', { open: 0.012, close: -0.004 }) } };
    const [v] = importanceViews(s);
    expect(v!.spec.y!.min).toBeCloseTo(-0.005, 9);
    expect(v!.spec.y!.max).toBeCloseTo(0.015, 9);
  });

  it('starts the axis at zero when no feature has a negative drop', () => {
    const s = { ...summary, importance: { lstm: importance('lstm', { open: 0.004, close: 0.001 }) } };
    const [v] = importanceViews(s);
    expect(v!.spec.y!.min).toBe(0);
    expect(v!.spec.y!.max).toBeCloseTo(0.005, 9);
  });
});

describe('barGeometry', () => {
  it('draws a bar from zero to the value on the range', () => {
    expect(barGeometry(0.02, { min: -0.01, max: 0.03 })).toEqual({ left: 25, width: 50, zero: 25 });
    expect(barGeometry(-0.01, { min: -0.01, max: 0.03 })).toEqual({ left: 0, width: 25, zero: 25 });
    expect(barGeometry(0, { min: 0, max: 0 })).toEqual({ left: 0, width: 0, zero: 0 });
  });
});
