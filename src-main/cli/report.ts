/** Plain-text renderings of results for the terminal. */
import type { Prediction } from '../core/predict';
import type { TrainingSummary } from '../core/pipeline/summary';
import { classWarnings } from '../core/dataset/classes';
import { CLASS_NAMES, type DatasetManifest } from '../core/types';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

export function formatDatasetReport(m: DatasetManifest, files: string[]): string {
  const filled = Object.entries(m.provenance).filter(([, v]) => v !== 'real').map(([k, v]) => `${k} (${v})`);
  const b = m.classBalance.all;
  return [
    `dataset: ${m.source}, ${m.tickers.join(',')}, ${m.start} … ${m.end}, horizon ${m.horizon}, band ±${pct(m.threshold)}`,
    `rows ${m.rows}: train ${m.trainSamples}, validation ${m.valSamples} (train ends ${m.split.trainEnd}, validation from ${m.split.validationStart}, embargo ${m.split.embargoDays} day${m.split.embargoDays === 1 ? '' : 's'})`,
    `classes: down ${b.down}, flat ${b.flat}, up ${b.up}`,
    ...classWarnings(m).map((w) => `warning: ${w}`),
    `filled features: ${filled.length ? filled.join(', ') : 'none'}`,
    ...(m.repairs.length ? [`repairs:`, ...m.repairs.map((r) => `  ${r}`)] : []),
    `hash ${m.hash}`,
    `files:`,
    ...files.map((f) => `  ${f}`),
  ].join('\n');
}

/** "; lstm on 2 threads" where a model trained on more than one. */
function threadNote(s: TrainingSummary): string {
  const multi = Object.entries(s.models).filter(([, m]) => (m?.threads ?? 1) > 1);
  return multi.length ? `; ${multi.map(([k, m]) => `${k} on ${m?.threads} threads`).join(', ')}` : '';
}

export function formatSummary(s: TrainingSummary, dir: string): string {
  const d = s.dataset;
  const lines = [
    `backend: ${s.backend}${threadNote(s)}`,
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
  const st = s.baselines.stratified;
  if (st) lines.push(`${'stratified'.padEnd(12)} ${''.padStart(7)} ${''.padStart(5)} ${pct(st.accuracy).padStart(7)} ${''.padStart(7)} ${f3(st.macro_f1).padStart(7)} ± ${f3(st.macro_f1_std)} (random with the training class mix, ${st.draws} draws)`);
  for (const [kind, m] of Object.entries(s.models)) {
    if (!m) continue;
    lines.push('', `${kind} confusion matrix (rows = true ${CLASS_NAMES.join('/')}):`);
    for (const row of m.metrics.confusion_matrix) lines.push('  ' + row.map((c) => String(c).padStart(6)).join(''));
  }
  if (s.comparison.mcnemar_reading) lines.push('', `McNemar ${s.comparison.mcnemar_reading}`);
  else if (s.comparison.mcnemar_p !== null) lines.push('', `McNemar p = ${s.comparison.mcnemar_p.toPrecision(3)} (${s.comparison.mcnemar_p < 0.05 ? 'the models differ beyond chance' : 'no evidence the models differ'})`);
  lines.push(...formatTrading(s), ...formatImportance(s), ...formatWalkForward(s));
  if (s.models.lstm?.params_note) lines.push('', `note: ${s.models.lstm.params_note}`);
  lines.push('', `saved in ${dir}`);
  return lines.join('\n');
}

const signedPct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;

function formatTrading(s: TrainingSummary): string[] {
  const reports = Object.entries(s.trading_report ?? {}).filter(([, r]) => r);
  if (reports.length === 0) return [];
  const cost = reports[0][1]?.cost_bps ?? 0;
  const lines = [
    '',
    `trading on validation days (long when "up" is predicted, else flat; ${cost} bp per position change; equal-weight portfolio):`,
    `${'model'.padEnd(12)} ${'return'.padStart(8)} ${'buy&hold'.padStart(8)} ${'hit rate'.padStart(8)} ${'max DD'.padStart(7)} ${'B&H DD'.padStart(7)} ${'long'.padStart(6)} ${'trades'.padStart(6)}`,
  ];
  for (const [kind, r] of reports) {
    if (!r) continue;
    const p = r.portfolio;
    lines.push(
      `${kind.padEnd(12)} ${signedPct(p.cumulative_return).padStart(8)} ${signedPct(p.buy_and_hold_return).padStart(8)} ${(p.hit_rate === null ? '—' : pct(p.hit_rate)).padStart(8)} ${pct(p.max_drawdown).padStart(7)} ${pct(p.buy_and_hold_max_drawdown).padStart(7)} ${pct(p.exposure).padStart(6)} ${String(p.trades).padStart(6)}`,
    );
  }
  return lines;
}

function formatImportance(s: TrainingSummary): string[] {
  const lines: string[] = [];
  for (const [kind, imp] of Object.entries(s.importance ?? {})) {
    if (!imp) continue;
    const top = [...imp.feature].sort((a, b) => b.drop_accuracy - a.drop_accuracy).slice(0, 5);
    const groups = imp.group.map((g) => `${g.name} ${signedPct(g.drop_accuracy)}`).join(', ');
    lines.push(
      '',
      `${kind} permutation importance (drop in validation accuracy when shuffled, ${imp.repeats} repeats):`,
      `  top: ${top.map((f) => `${f.name} ${signedPct(f.drop_accuracy)}`).join(', ')}`,
      `  groups: ${groups}`,
    );
  }
  return lines;
}

function formatWalkForward(s: TrainingSummary): string[] {
  const wf = s.walk_forward;
  if (!wf) return [];
  const kinds = Object.keys(wf.models) as (keyof typeof wf.models)[];
  const head = `${'fold'.padEnd(5)} ${'train to'.padEnd(10)} ${'validation'.padEnd(23)} ${'n'.padStart(5)} ${kinds.map((k) => `${k} acc`.padStart(16) + ` ${'F1'.padStart(6)}`).join(' ')} ${'majority'.padStart(8)} ${'persist.'.padStart(8)}`;
  const lines = ['', `walk-forward: ${wf.k} folds, expanding window, embargo ${wf.horizon} day${wf.horizon === 1 ? '' : 's'}; both models retrained per fold`, head];
  for (const f of wf.folds) {
    const cells = kinds.map((k) => {
      const m = f.models[k];
      return m ? `${pct(m.accuracy).padStart(16)} ${f3(m.macro_f1).padStart(6)}` : `${'—'.padStart(16)} ${''.padStart(6)}`;
    });
    lines.push(
      `${String(f.fold).padEnd(5)} ${f.train_end.padEnd(10)} ${`${f.validation_start}…${f.validation_end}`.padEnd(23)} ${String(f.val_samples).padStart(5)} ${cells.join(' ')} ${pct(f.baselines.majority.accuracy).padStart(8)} ${pct(f.baselines.persistence.accuracy).padStart(8)}`,
    );
  }
  const pm = (x: { mean: number; std: number }, share: boolean) => (share ? `${pct(x.mean)} ± ${pct(x.std)}` : `${f3(x.mean)} ± ${f3(x.std)}`);
  lines.push('mean ± std over folds:');
  for (const k of kinds) {
    const m = wf.models[k];
    if (m) lines.push(`  ${k.padEnd(11)} accuracy ${pm(m.accuracy, true)}, balanced ${pm(m.balanced_accuracy, true)}, macro-F1 ${pm(m.macro_f1, false)}, MCC ${pm(m.mcc, false)}`);
  }
  for (const name of ['majority', 'persistence', 'stratified'] as const) {
    const b = wf.baselines[name];
    lines.push(`  ${name.padEnd(11)} accuracy ${pm(b.accuracy, true)}, macro-F1 ${pm(b.macro_f1, false)}`);
  }
  return lines;
}

export function formatPredictions(preds: Prediction[], backend: string): string {
  const p = (v: readonly number[]) => v.map((x) => pct(x).padStart(7)).join('');
  const lines = [`backend: ${backend}`, `${'ticker'.padEnd(8)} ${'date'.padEnd(11)} ${'model'.padEnd(11)} ${'down'.padStart(7)}${'flat'.padStart(7)}${'up'.padStart(7)}`];
  for (const x of preds) {
    const rows: [string, readonly number[]][] = [];
    if (x.lstm) rows.push(['lstm', x.lstm]);
    if (x.dual_tower) rows.push(['dual_tower', x.dual_tower]);
    if (rows.length > 1) rows.push(['average', x.average]); // with one model the average is that model
    rows.forEach(([model, probs], i) => lines.push(`${(i === 0 ? x.ticker : '').padEnd(8)} ${(i === 0 ? x.date : '').padEnd(11)} ${model.padEnd(11)} ${p(probs)}`));
  }
  return lines.join('\n');
}
