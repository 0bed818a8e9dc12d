/** Plain-text renderings of results for the terminal. */
import type { Prediction } from '../core/predict';
import type { TrainingSummary } from '../core/pipeline/summary';
import { CLASS_NAMES, type DatasetManifest } from '../core/types';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

export function formatDatasetReport(m: DatasetManifest, files: string[]): string {
  const filled = Object.entries(m.provenance).filter(([, v]) => v !== 'real').map(([k, v]) => `${k} (${v})`);
  const b = m.classBalance.all;
  return [
    `dataset: ${m.source}, ${m.tickers.join(',')}, ${m.start} … ${m.end}, horizon ${m.horizon}, band ±${pct(m.threshold)}`,
    `rows ${m.rows}: train ${m.trainSamples}, validation ${m.valSamples} (train ends ${m.split.trainEnd}, validation from ${m.split.validationStart}, embargo ${m.split.embargoDays} days)`,
    `classes: down ${b.down}, flat ${b.flat}, up ${b.up}`,
    `filled features: ${filled.length ? filled.join(', ') : 'none'}`,
    ...(m.repairs.length ? [`repairs:`, ...m.repairs.map((r) => `  ${r}`)] : []),
    `hash ${m.hash}`,
    `files:`,
    ...files.map((f) => `  ${f}`),
  ].join('\n');
}

export function formatSummary(s: TrainingSummary, dir: string): string {
  const d = s.dataset;
  const lines = [
    `backend: ${s.backend}`,
    `dataset: ${d.source}, ${d.tickers.length} tickers, ${d.start} … ${d.end}, train ${d.train_samples}, validation ${d.val_samples}`,
    '',
    `${'model'.padEnd(12)} ${'params'.padStart(7)} ${'best'.padStart(5)} ${'acc'.padStart(7)} ${'bal.acc'.padStart(7)} ${'macroF1'.padStart(7)} ${'MCC'.padStart(7)} ${'logloss'.padStart(7)} ${'sec'.padStart(7)}`,
  ];
  for (const [kind, m] of Object.entries(s.models)) {
    if (!m) continue;
    const x = m.metrics;
    lines.push(
      `${kind.padEnd(12)} ${String(m.params).padStart(7)} ${String(m.best_epoch).padStart(5)} ${pct(x.accuracy).padStart(7)} ${pct(x.balanced_accuracy).padStart(7)} ${f3(x.macro_f1).padStart(7)} ${f3(x.mcc).padStart(7)} ${f3(x.log_loss).padStart(7)} ${m.train_seconds.toFixed(1).padStart(7)}`,
    );
  }
  lines.push(
    `${'majority'.padEnd(12)} ${''.padStart(7)} ${''.padStart(5)} ${pct(s.baselines.majority.accuracy).padStart(7)} ${''.padStart(7)} ${f3(s.baselines.majority.macro_f1).padStart(7)}`,
    `${'persistence'.padEnd(12)} ${''.padStart(7)} ${''.padStart(5)} ${pct(s.baselines.persistence.accuracy).padStart(7)} ${''.padStart(7)} ${f3(s.baselines.persistence.macro_f1).padStart(7)}`,
  );
  for (const [kind, m] of Object.entries(s.models)) {
    if (!m) continue;
    lines.push('', `${kind} confusion matrix (rows = true ${CLASS_NAMES.join('/')}):`);
    for (const row of m.metrics.confusion_matrix) lines.push('  ' + row.map((c) => String(c).padStart(6)).join(''));
  }
  if (s.comparison.mcnemar_p !== null) lines.push('', `McNemar p = ${s.comparison.mcnemar_p.toPrecision(3)} (${s.comparison.mcnemar_p < 0.05 ? 'the models differ beyond chance' : 'no evidence the models differ'})`);
  if (s.models.lstm?.params_note) lines.push(`note: ${s.models.lstm.params_note}`);
  lines.push('', `saved in ${dir}`);
  return lines.join('\n');
}

export function formatPredictions(preds: Prediction[], backend: string): string {
  const p = (v: readonly number[]) => v.map((x) => pct(x).padStart(7)).join('');
  const lines = [`backend: ${backend}`, `${'ticker'.padEnd(8)} ${'date'.padEnd(11)} ${'model'.padEnd(11)} ${'down'.padStart(7)}${'flat'.padStart(7)}${'up'.padStart(7)}`];
  for (const x of preds) {
    lines.push(`${x.ticker.padEnd(8)} ${x.date.padEnd(11)} ${'lstm'.padEnd(11)} ${p(x.lstm)}`);
    lines.push(`${''.padEnd(8)} ${''.padEnd(11)} ${'dual_tower'.padEnd(11)} ${p(x.dual_tower)}`);
    lines.push(`${''.padEnd(8)} ${''.padEnd(11)} ${'average'.padEnd(11)} ${p(x.average)}`);
  }
  return lines.join('\n');
}
