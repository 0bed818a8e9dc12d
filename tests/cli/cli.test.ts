/**
 * The CLI end to end, as a user runs it: real-price fixtures (AAPL, MSFT cut from ../shared/data,
 * see tests/fixtures/csv/README.md), real news and macro cuts, a short training, then predict.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const fixtures = path.join(root, 'tests/fixtures/csv');
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const work = mkdtempSync(path.join(tmpdir(), 'stw-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', tsx, path.join(root, 'src-main/cli/index.ts'), ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
    timeout: 240_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const realArgs = [
  '--source', 'csv',
  '--prices', path.join(fixtures, 'prices'),
  '--news', path.join(fixtures, 'news.csv'),
  '--macro', path.join(fixtures, 'macro'),
  '--tickers', 'AAPL,MSFT',
  '--start', '2024-09-03',
  '--end', '2024-11-29',
];

describe('stock-trend CLI', () => {
  const out = path.join(work, 'real');

  it('runs generate + train + evaluate on real prices, news and macro series and writes the summary', () => {
    const r = cli(['run', ...realArgs, '--epochs', '2', '--batch-size', '16', '--out', out, '--json']);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const onDisk = JSON.parse(readFileSync(path.join(out, 'training_summary.json'), 'utf8'));
    expect(onDisk.dataset.hash).toBe(summary.dataset.hash);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(onDisk.backend);
    expect(onDisk.dataset.tickers).toEqual(['AAPL', 'MSFT']);
    expect(onDisk.dataset.features).toHaveLength(21);
    for (const kind of ['lstm', 'dual_tower']) {
      const m = onDisk.models[kind];
      const cells = (m.metrics.confusion_matrix as number[][]).flat().reduce((a, b) => a + b, 0);
      expect(cells).toBe(onDisk.dataset.val_samples);
      expect(m.history).toHaveLength(2);
      expect(existsSync(path.join(out, `${kind}_best`, 'model.json'))).toBe(true);
    }
    expect(onDisk.models.lstm.params).toBe(57219);
    expect(onDisk.models.dual_tower.params).toBe(2371);
    // the research read-outs: stratified baseline, McNemar's reading, trading report, permutation importance
    expect(onDisk.baselines.stratified.draws).toBe(200);
    expect(onDisk.comparison.mcnemar_reading).toMatch(/^p [=<] [\d.]+: (no evidence the models differ|the (LSTM|dual tower) is better beyond chance) \(/);
    for (const kind of ['lstm', 'dual_tower']) {
      const t = onDisk.trading_report[kind];
      expect(t.per_ticker.map((x: { ticker: string }) => x.ticker)).toEqual(['AAPL', 'MSFT']);
      expect(t.portfolio.equity[0]).toMatchObject({ strategy: 1, buy_and_hold: 1 });
      expect(t.portfolio.equity.at(-1).buy_and_hold - 1).toBeCloseTo(t.portfolio.buy_and_hold_return, 12);
      const imp = onDisk.importance[kind];
      expect(imp).toMatchObject({ kind, repeats: 3, samples: onDisk.dataset.val_samples });
      expect(imp.feature).toHaveLength(21);
      expect(imp.group.map((g: { name: string }) => g.name)).toEqual(['stock', 'news', 'macro', 'policy']);
    }
    expect(onDisk.walk_forward).toBeUndefined();
    // the manifest says which features were real and which were filled: no policy file → derived from DFF moves (real);
    // news covers Oct–Nov only → partly filled
    const manifestFile = readdirSync(out).find((f) => f.startsWith('manifest_'));
    const manifest = JSON.parse(readFileSync(path.join(out, manifestFile as string), 'utf8'));
    expect(manifest.provenance.close).toBe('real');
    expect(manifest.provenance.vix).toBe('real');
    expect(manifest.provenance.news_sentiment).toBe('partial');
    expect(manifest.filledCounts.news_sentiment).toBeGreaterThan(0);
  });

  it('predicts both models for the latest day with probabilities that sum to 1', () => {
    const r = cli(['predict', '--models', out, '--tickers', 'MSFT,AAPL', '--json']);
    expect(r.code).toBe(0);
    const { backend, predictions } = JSON.parse(r.stdout);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(backend);
    expect(predictions.map((p: { ticker: string }) => p.ticker)).toEqual(['MSFT', 'AAPL']);
    for (const p of predictions) {
      expect(p.date).toBe('2024-11-29');
      for (const probs of [p.lstm, p.dual_tower, p.average]) {
        expect(probs).toHaveLength(3);
        expect(probs.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
      }
    }
    const earlier = JSON.parse(cli(['predict', '--models', out, '--tickers', 'AAPL', '--date', '2024-11-15', '--json']).stdout);
    expect(earlier.predictions[0].date).toBe('2024-11-15');
  });

  it('evaluate recomputes the same confusion matrices from the saved models; --walk-forward 2 retrains on 2 folds and stores them', () => {
    const before = JSON.parse(readFileSync(path.join(out, 'training_summary.json'), 'utf8'));
    const r = cli(['evaluate', '--models', out, '--walk-forward', '2', '--json']);
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.code).toBe(0);
    const again = JSON.parse(r.stdout);
    expect(again.models.lstm.metrics.confusion_matrix).toEqual(before.models.lstm.metrics.confusion_matrix);
    expect(again.models.dual_tower.metrics.confusion_matrix).toEqual(before.models.dual_tower.metrics.confusion_matrix);
    expect(r.stderr).toMatch(/walk-forward lstm: fold 2\/2/); // progress goes to stderr with --json
    const wf = JSON.parse(readFileSync(path.join(out, 'training_summary.json'), 'utf8')).walk_forward;
    expect(again.walk_forward).toEqual(wf);
    expect(wf).toMatchObject({ k: 2, horizon: 1, scheme: 'expanding' });
    expect(wf.folds).toHaveLength(2);
    const [a, b] = wf.folds;
    // expanding window: fold 2 trains on more rows, and each validation block starts after its training ends
    expect(b.train_samples).toBeGreaterThan(a.train_samples);
    expect(a.validation_start > a.train_end && b.validation_start > b.train_end && b.validation_start > a.validation_end).toBe(true);
    expect(a.val_samples).toBe(b.val_samples);
    for (const kind of ['lstm', 'dual_tower']) {
      const accs = wf.folds.map((f: { models: Record<string, { accuracy: number }> }) => f.models[kind].accuracy);
      expect(wf.models[kind].accuracy.mean).toBeCloseTo((accs[0] + accs[1]) / 2, 12);
      expect(wf.models[kind].accuracy.std).toBeCloseTo(Math.abs(accs[0] - accs[1]) / Math.SQRT2, 12);
    }
    expect(cli(['evaluate', '--models', out, '--walk-forward', '1']).stderr).toMatch(/walk-forward folds must be a whole number from 2 to 10, got 1/);
  });

  it('--no-importance trains without the permutation importance; a single-model run predicts with its one model', () => {
    const dir = path.join(work, 'no-importance');
    const r = cli(['run', ...realArgs, '--model', 'dual_tower', '--epochs', '1', '--no-importance', '--out', dir, '--json']);
    expect(r.stderr).not.toMatch(/error:|permutation importance/);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(path.join(dir, 'training_summary.json'), 'utf8'));
    expect(summary.importance ?? {}).toEqual({});
    const p = cli(['predict', '--models', dir, '--tickers', 'AAPL', '--json']);
    expect(p.code).toBe(0);
    const [only] = JSON.parse(p.stdout).predictions;
    expect(only.lstm).toBeNull();
    expect(only.average).toEqual(only.dual_tower);
    expect(cli(['predict', '--models', dir, '--tickers', 'AAPL']).stdout).not.toMatch(/average/); // one model: no average row
  });

  it('refuses a malformed price file with one line naming file and line, and writes nothing', () => {
    const bad = path.join(work, 'bad');
    const r = cli(['run', '--prices', path.join(fixtures, 'malformed/non_numeric'), '--tickers', 'AAPL', '--start', '2024-11-20', '--end', '2024-11-29', '--out', bad]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*non_numeric[\\/]AAPL\.csv:4: /);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(bad)).toBe(false);
  });

  it('rejects a bad option with a clear message and a non-zero exit', () => {
    const r = cli(['run', '--epochs', '-3']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/epochs/);
    const unknown = cli(['frobnicate']);
    expect(unknown.code).not.toBe(0);
  });
});
