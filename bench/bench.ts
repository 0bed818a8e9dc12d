/**
 * Training-speed benchmark: `npm run bench -- [--sizes S,M,L] [--batches 8,32,256] [--epochs N]
 * [--models lstm,dual_tower] [--impls layers,fast] [--reference torch] [--quick] [--no-dataset] [--append]`.
 *
 * Trains each model for a few epochs on random data of each size — the LSTM both through
 * tfjs-layers ('layers') and on the fast LSTM path ('fast') — and reports the median seconds per
 * epoch, windows per second and peak RSS; with `--reference torch`, the same cases in PyTorch
 * (bench/torch_reference.py) and ours ÷ PyTorch; first, the time to build a 10-year × 7-ticker
 * dataset. Writes bench/results.json.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { initBackend } from '../src-main/core/backend';
import { writeJsonAtomic } from '../src-main/core/files';
import type { Backend, ModelKind } from '../src-main/core/types';
import { timeDatasetBuild, type DatasetTiming } from './dataset';
import { runCase, type BenchCase, type Impl } from './loop';
import { torchReference, type ReferenceCase } from './reference';

/** windows × steps: S = the seed's 35 samples of 3 days; M and L as in the issue. */
const SIZES: Record<string, { windows: number; steps: number }> = {
  S: { windows: 35, steps: 3 },
  M: { windows: 2_000, steps: 20 },
  L: { windows: 8_800, steps: 30 },
};

export interface ResultRow {
  model: ModelKind;
  impl: Impl;
  size: string;
  windows: number;
  steps: number;
  batch: number;
  backend: Backend;
  /** how the batches were computed: whole, parts, parts-parallel (training/step.ts) */
  execution: string;
  seconds_per_epoch: number;
  epoch_seconds: number[];
  reference_seconds_per_epoch: number | null;
  ratio: number | null;
  /** the same in process CPU seconds (steadier than wall time on a shared machine) */
  cpu_seconds_per_epoch: number;
  reference_cpu_seconds_per_epoch: number | null;
  cpu_ratio: number | null;
  windows_per_second: number;
  peak_rss_mb: number;
}

function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmt(v: number | null, digits = 2): string {
  return v === null ? '—' : v.toFixed(digits);
}

function printTable(rows: ResultRow[]): void {
  const head = ['model', 'impl', 'execution', 'size', 'windows×steps', 'batch', 's/epoch', 'torch s/epoch', 'ratio', 'cpu ratio', 'windows/s', 'peak MB'];
  const body = rows.map((r) => [
    r.model,
    r.impl,
    r.execution,
    r.size,
    `${r.windows}×${r.steps}`,
    String(r.batch),
    fmt(r.seconds_per_epoch, 3),
    fmt(r.reference_seconds_per_epoch, 3),
    fmt(r.ratio),
    fmt(r.cpu_ratio),
    fmt(r.windows_per_second, 0),
    fmt(r.peak_rss_mb, 0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  body.forEach((b) => console.log(line(b)));
}

interface ResultsFile {
  reference: string | null;
  dataset: DatasetTiming | null;
  rows: ResultRow[];
}

async function readResults(file: string): Promise<ResultsFile | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as ResultsFile;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .name('bench')
    .option('--sizes <list>', 'S, M, L (S = 35×3, M = 2,000×20, L = 8,800×30)', 'S,M,L')
    .option('--batches <list>', 'batch sizes', '8,32,256')
    .option('--epochs <n>', 'epochs per case (the median is reported)', '3')
    .option('--models <list>', 'lstm, dual_tower', 'lstm,dual_tower')
    .option('--impls <list>', "'layers' (tfjs-layers + tf.train.adam) and/or 'fast' (fast LSTM + ClippedAdam)", 'layers,fast')
    .option('--reference <name>', "'torch': also time PyTorch (/usr/bin/python3) and report ours ÷ torch")
    .option('--threads <n>', 'LSTM batch parts on 2 threads (training/step.ts) or 1', '2')
    .option('--quick', 'sizes S,M, batches 8,32, 2 epochs')
    .option('--append', 'keep the rows already in the results file and add these')
    .option('--no-dataset', 'skip timing the dataset build (10 years × 7 tickers, synthetic source)')
    .option('--out <file>', 'results file', path.join(path.dirname(fileURLToPath(import.meta.url)), 'results.json'))
    .parse();
  const opts = program.opts<{
    sizes: string;
    batches: string;
    epochs: string;
    models: string;
    impls: string;
    reference?: string;
    quick?: boolean;
    threads: string;
    dataset: boolean;
    append?: boolean;
    out: string;
  }>();
  const sizes = opts.quick ? ['S', 'M'] : list(opts.sizes).map((s) => s.toUpperCase());
  const batches = (opts.quick ? ['8', '32'] : list(opts.batches)).map(Number);
  const epochs = opts.quick ? 2 : Number(opts.epochs);
  const models = list(opts.models) as ModelKind[];
  const impls = list(opts.impls) as Impl[];
  for (const s of sizes) if (!SIZES[s]) throw new Error(`unknown size ${s} (S, M or L)`);
  for (const m of models) if (m !== 'lstm' && m !== 'dual_tower') throw new Error(`unknown model ${m}`);
  for (const i of impls) if (i !== 'layers' && i !== 'fast') throw new Error(`unknown impl ${i}`);
  if (!batches.every((b) => Number.isInteger(b) && b > 0) || !(Number.isInteger(epochs) && epochs > 0)) throw new Error('batches and epochs must be positive integers');
  const threads = Number(opts.threads);
  if (threads !== 1 && threads !== 2) throw new Error('threads must be 1 or 2');
  if (opts.reference && opts.reference !== 'torch') throw new Error(`unknown reference ${opts.reference} (only torch)`);

  const backend = await initBackend();
  console.log(`backend: ${backend}; ${epochs} epoch(s) per case`);
  let dataset: DatasetTiming | null = null;
  if (opts.dataset) {
    dataset = await timeDatasetBuild();
    console.log(`dataset build, ${dataset.tickers.length} tickers ${dataset.start}…${dataset.end} (synthetic, ${dataset.rows} rows): ${dataset.seconds.toFixed(3)} s`);
  }
  const cases: (BenchCase & { size: string })[] = [];
  for (const model of models) {
    for (const size of sizes) {
      for (const batch of batches) {
        for (const impl of impls) cases.push({ model, impl, size, batch, threads, ...SIZES[size] });
      }
    }
  }

  // PyTorch runs right after our runs of the same case, so both see about the same machine load
  // (on a shared machine, load swings more between minutes than between the two implementations).
  const previous = opts.append ? await readResults(opts.out) : null;
  const rows: ResultRow[] = [];
  let reference: string | null = previous?.reference ?? null;
  if (!opts.dataset) dataset = previous?.dataset ?? null;
  const all = (): ResultRow[] => [...(previous?.rows ?? []), ...rows];
  const keyOf = (c: ReferenceCase): string => `${c.model}:${c.windows}:${c.steps}:${c.batch}`;
  for (const [i, c] of cases.entries()) {
    process.stdout.write(`${c.model} ${c.impl} ${c.size} batch ${c.batch}:`);
    const r = await runCase(c, epochs, (_, s) => process.stdout.write(` ${s.toFixed(2)}s`));
    const spe = median(r.epochSeconds);
    console.log(` → ${spe.toFixed(3)} s/epoch (cpu ${median(r.epochCpuSeconds).toFixed(3)}), loss ${r.finalLoss.toFixed(4)}`);
    rows.push({
      model: c.model,
      impl: c.impl,
      size: c.size,
      windows: c.windows,
      steps: c.steps,
      batch: c.batch,
      backend,
      execution: r.executions.join('+'),
      seconds_per_epoch: spe,
      epoch_seconds: r.epochSeconds,
      reference_seconds_per_epoch: null,
      ratio: null,
      cpu_seconds_per_epoch: median(r.epochCpuSeconds),
      reference_cpu_seconds_per_epoch: null,
      cpu_ratio: null,
      windows_per_second: c.windows / spe,
      peak_rss_mb: r.peakRssMb,
    });
    const lastOfCase = i === cases.length - 1 || keyOf(cases[i + 1]) !== keyOf(c);
    if (opts.reference === 'torch' && lastOfCase) {
      process.stdout.write(`  torch ${c.model} ${c.size} batch ${c.batch}:`);
      const ref = await torchReference([{ model: c.model, windows: c.windows, steps: c.steps, batch: c.batch }], epochs);
      const hit = ref.cases[0];
      reference = `torch ${ref.torch}`;
      console.log(` ${hit.best.toFixed(3)} s/epoch (cpu ${hit.best_cpu.toFixed(3)}, ${hit.best_threads} thread(s))`);
      for (const row of rows) {
        if (keyOf(row) !== keyOf(c)) continue;
        row.reference_seconds_per_epoch = hit.best;
        row.ratio = row.seconds_per_epoch / hit.best;
        row.reference_cpu_seconds_per_epoch = hit.best_cpu;
        row.cpu_ratio = row.cpu_seconds_per_epoch / hit.best_cpu;
      }
    }
    // Written after every case, so a long run that is stopped still leaves its numbers.
    await writeJsonAtomic(opts.out, { created: new Date().toISOString(), backend, epochs, reference, dataset, rows: all() });
  }

  console.log();
  printTable(all());
  await writeJsonAtomic(opts.out, { created: new Date().toISOString(), backend, epochs, reference, dataset, rows: all() });
  console.log(`\nwrote ${opts.out}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
