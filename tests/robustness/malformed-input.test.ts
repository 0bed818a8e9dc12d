/**
 * The malformed-input cases of issue 5 that tests/csv does not already pin down, each end to end:
 * the csv loader, the dataset (manifest.repairs), the service's dataset.generate answer (what the UI
 * shows) and, for a refusal, the CLI's one-line error.
 *
 * Covered elsewhere (tests/csv/malformed-prices.test.ts, exact repairs or file:line refusals): null rows,
 * descending dates, duplicate dates, BOM + Yahoo header, thousands separators, reordered / extra /
 * mixed-case columns, no Adj Close, empty file, header only, bad values.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Conf from 'conf';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDataset } from '../../src-main/core/dataset';
import { loadCsvSource } from '../../src-main/core/sources/csv';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { createWorkbenchService } from '../../src-main/services/workbench';
import { csvConfig, fixture as csvFixture, refusal } from '../csv/helpers';
import { fakeEngine } from '../services/fake-engine';

const root = path.resolve(__dirname, '../..');
const FIXTURES = path.join(root, 'tests/fixtures/robustness');
const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);
const work = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-malformed-')));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const GAP_NOTE =
  'AAPL.csv: 3 trading days missing (2024-10-15, 2024-11-21, 2024-11-22); rows kept as given, so indicators and targets span the gap';
const LATE_NOTE = 'AAPL: only 22 bars before 2024-09-03; first sample day moved to 2024-10-25 for the indicator warm-up';
const SHORT_MESSAGE =
  'only 40 price rows from 2024-10-04 to 2024-11-29; at least 65 are needed up to 2024-11-29 (60 warm-up bars for the indicators + 5 sample days) — add earlier history or choose a later end date';

function service() {
  return createWorkbenchService({
    mode: 'web',
    version: 't',
    dataFolder: work,
    extraAllowedFolders: [FIXTURES],
    store: openRunStore(Conf as unknown as BackingStoreClass, work),
    engine: fakeEngine({ mode: 'ok', requests: [] }),
  });
}
const ctx = { emit: () => {} };

describe('missing trading days', () => {
  it('are noted with their dates; the rows are kept as given, nothing is invented', async () => {
    const raw = await loadCsvSource(csvConfig({ prices: fixture('gaps') }), '2024-06-03');
    expect(raw.repairs).toEqual([GAP_NOTE]);
    expect(raw.prices.AAPL).toHaveLength(123); // 126 real rows − 3 removed
    expect(raw.prices.AAPL.map((b) => b.date)).not.toContain('2024-11-21');
  });

  it('reach manifest.repairs and the dataset.generate answer', async () => {
    const ds = await buildDataset(csvConfig({ prices: fixture('gaps'), start: '2024-09-03', end: '2024-11-29' }));
    expect(ds.manifest.repairs).toEqual([GAP_NOTE]);
    // 63 trading days 2024-09-03 … 2024-11-29, 3 of them missing
    expect(ds.rows).toHaveLength(60);
    const i = ds.rows.findIndex((r) => r.date === '2024-11-20');
    expect(ds.rows[i + 1]!.date).toBe('2024-11-25'); // the row after the gap is the next one in the file
    const answer = await service().handle(
      'dataset.generate',
      { source: 'csv', prices: fixture('gaps'), tickers: ['AAPL'], start: '2024-09-03', end: '2024-11-29' },
      ctx,
    );
    expect(answer.ok && (answer.value as { repairs: string[] }).repairs).toEqual([GAP_NOTE]);
  });

  it('the exchange’s one-off closures are not reported as gaps (real files for 2013–2025 give no note)', async () => {
    // the real AAPL cut 2024-06-03 … 2024-11-29 has every trading day
    const raw = await loadCsvSource(csvConfig({ prices: csvFixture('prices') }), '2024-06-03');
    expect(raw.repairs).toEqual([]);
  });
});

describe('upper-case headers', () => {
  it('DATE,OPEN,…,ADJ CLOSE,VOLUME read the same values as the Yahoo header, with no repair', async () => {
    const [upper, yahoo] = await Promise.all([
      loadCsvSource(csvConfig({ prices: fixture('upper_header') }), '2024-11-01'),
      loadCsvSource(csvConfig({ prices: csvFixture('malformed', 'yahoo_header') }), '2024-11-01'),
    ]);
    expect(upper.prices.AAPL).toEqual(yahoo.prices.AAPL);
    expect(upper.prices.AAPL).toHaveLength(7);
    expect(upper.prices.AAPL![0]!.close).toBe(227.96896362304688); // Adj Close, not Close (229.0)
    expect(upper.repairs).toEqual([]);
  });
});

describe('a ticker whose history is shorter than the indicator warm-up', () => {
  it('starts late, with the reason in the manifest, when there are enough bars before the end', async () => {
    const ds = await buildDataset(csvConfig({ prices: fixture('late_start'), start: '2024-09-03', end: '2024-11-29' }));
    expect(ds.manifest.repairs).toEqual([LATE_NOTE]);
    expect(ds.rows[0]!.date).toBe('2024-10-25'); // the 61st bar of the file (60 warm-up bars)
    expect(ds.rows).toHaveLength(25); // 85 bars − 60
    const answer = await service().handle(
      'dataset.generate',
      { source: 'csv', prices: fixture('late_start'), tickers: ['AAPL'], start: '2024-09-03', end: '2024-11-29' },
      ctx,
    );
    expect(answer.ok && (answer.value as { repairs: string[] }).repairs).toEqual([LATE_NOTE]);
  });

  it('is refused naming the file when it has too few bars altogether', async () => {
    const err = await refusal(buildDataset(csvConfig({ prices: fixture('short_history'), start: '2024-11-01', end: '2024-11-29' })));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.file).toBe(fixture('short_history', 'AAPL.csv'));
    expect(err.message).toBe(`${fixture('short_history', 'AAPL.csv')}: ${SHORT_MESSAGE}`);
    const answer = await service().handle(
      'dataset.generate',
      { source: 'csv', prices: fixture('short_history'), tickers: ['AAPL'], start: '2024-11-01', end: '2024-11-29' },
      ctx,
    );
    expect(answer).toEqual({ ok: false, error: { code: 'BAD_INPUT', message: `${fixture('short_history', 'AAPL.csv')}: ${SHORT_MESSAGE}` } });
  });

  it('the CLI prints that refusal as one line, without a stack trace, and writes nothing', () => {
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const out = path.join(work, 'cli-out');
    const r = spawnSync(
      process.execPath,
      ['--import', tsx, path.join(root, 'src-main/cli/index.ts'), 'generate', '--source', 'csv', '--prices', fixture('short_history'),
        '--tickers', 'AAPL', '--start', '2024-11-01', '--end', '2024-11-29', '--out', out],
      { cwd: work, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`error: ${fixture('short_history', 'AAPL.csv')}: ${SHORT_MESSAGE}\n`);
    expect(r.stdout).not.toMatch(/error|\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
