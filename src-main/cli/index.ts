#!/usr/bin/env node
/** `stock-trend generate | train | evaluate | predict | run` — the workbench's headless front door. */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { initBackend } from '../core/backend';
import { buildDataset, exportDataset } from '../core/dataset';
import { toErrorPayload, WorkbenchError } from '../core/errors';
import { writeJsonAtomic } from '../core/files';
import { evaluateSaved, predictSaved, walkForwardOfRun } from '../core/pipeline/saved';
import { runTraining } from '../core/pipeline/run';
import { SUMMARY_FILE, type TrainingSummary } from '../core/pipeline/summary';
import type { ModelKind } from '../core/types';
import { datasetConfigFrom, modelsFrom, trainConfigFrom, walkForwardFrom, type RawOptions } from './options';
import { createProgress } from './progress';
import { formatDatasetReport, formatPredictions, formatSummary } from './report';

type Opts = RawOptions & { out?: string; json?: boolean; models?: string; date?: string; importance?: boolean };

const NO_IMPORTANCE_HELP = 'skip the permutation importance (for long windows it can take longer than the training)';
const WALK_FORWARD_HELP = 'also evaluate walk-forward with K chronological folds (2-10, expanding window, both models trained per fold)';

/**
 * Ctrl-C (or SIGTERM) cancels the jobs (the trainers stop within a second) instead of leaving them
 * behind, and the command ends with its one-line "cancelled" error. The listener stays for the whole
 * command: under `npm run cli` a Ctrl-C arrives twice (from the terminal and relayed by tsx), and a
 * second one finding no listener would end the process at once, without a word.
 */
async function withSigint<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function datasetOptions(cmd: Command): Command {
  return cmd
    .option('--preset <name>', "'seed': the original setup (Nov 2024, seven tickers, 2:1 split, windows of 3, 20 epochs, batch 8)")
    .addOption(new Option('--source <source>', 'where the raw series come from').choices(['synthetic', 'csv']))
    .option('--prices <dir>', 'csv: folder of daily price files, one <TICKER>.csv per ticker')
    .option('--news <file>', 'csv: daily news sentiment (date,ticker,sentiment,count[,relevance])')
    .option('--macro <dir>', 'csv: folder of FRED-style date,value series (CPIAUCSL, UNRATE, DFF/FEDFUNDS, A191RL1Q225SBEA, VIXCLS)')
    .option('--policy <file>', 'csv: policy events (date,count,impact); default: derived from fed funds moves ≥ 0.20')
    .option('--tickers <list>', 'comma-separated tickers (default AAPL,MSFT,GOOGL,AMZN,NVDA,META,TSLA)')
    .option('--start <date>', 'first sample day, YYYY-MM-DD')
    .option('--end <date>', 'last day, YYYY-MM-DD')
    .option('--seed <n>', 'random seed (synthetic data, initialisation, shuffling)')
    .option('--horizon <days>', 'h: predict the move over the next h trading days (default 1)')
    .option('--threshold <band>', 'θ: neutral band, 0.005 or 0.5% (default 0.5%)')
    .option('--signal <s>', 'synthetic: planted signal strength 0 (none) … 1 (strong), default 0.3')
    .option('--train-fraction <f>', 'share of dates used for training (default 2/3)');
}

function trainOptions(cmd: Command): Command {
  return cmd
    .option('--model <which>', 'lstm, dual_tower or both', 'both')
    .option('--epochs <n>', 'epochs (default 20)')
    .option('--batch-size <n>', 'batch size (default 8)')
    .option('--seq-len <n>', 'LSTM window length in days (default 3)')
    .option('--lr <rate>', 'Adam learning rate (default 0.001)')
    .addOption(new Option('--tower-split <split>', 'dual tower inputs: by feature group (11|10) or the seed index split (8|13)').choices(['group', 'seed_index']));
}

function emit(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? JSON.stringify(value, null, 2) + '\n' : text + '\n');
}

async function train(o: Opts, exportData: boolean): Promise<void> {
  const dataset = datasetConfigFrom(o);
  const cfg = trainConfigFrom(o);
  const models = modelsFrom(o);
  const walkForward = walkForwardFrom(o);
  const outDir = path.resolve(o.out ?? 'models');
  const progress = createProgress({ json: !!o.json });
  let summary: TrainingSummary;
  try {
    summary = await withSigint((signal) =>
      runTraining(
        { dataset, models, train: { lstm: cfg, dual_tower: cfg } as Record<ModelKind, typeof cfg>, outDir, exportData, walkForward, importance: o.importance !== false },
        { onEvent: (e) => progress.event(e), onWalkForward: (e) => progress.walkForward(e), signal },
      ),
    );
  } finally {
    progress.stop();
  }
  emit(!!o.json, summary, formatSummary(summary, outDir));
}

export function buildProgram(): Command {
  const program = new Command('stock-trend')
    .description('Stock Trend Workbench: build a daily feature dataset, train an LSTM and a dual-tower model, compare them.')
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  datasetOptions(program.command('generate').description('build the dataset and export it (CSV + JSON + manifest)'))
    .option('--out <dir>', 'output folder', 'dataset')
    .option('--json', 'print the manifest as JSON')
    .action(async (o: Opts) => {
      const config = datasetConfigFrom(o);
      const progress = createProgress({ json: !!o.json });
      const ds = await buildDataset(config, (p) => progress.event({ type: 'dataset', ...p }));
      progress.stop();
      const files = await exportDataset(ds, path.resolve(o.out ?? 'dataset'));
      emit(!!o.json, { manifest: ds.manifest, files }, formatDatasetReport(ds.manifest, files));
    });

  trainOptions(datasetOptions(program.command('train').description('build the dataset, train the models, save them with training_summary.json')))
    .option('--out <dir>', 'models folder', 'models')
    .option('--walk-forward <k>', WALK_FORWARD_HELP)
    .option('--no-importance', NO_IMPORTANCE_HELP)
    .option('--json', 'print training_summary.json')
    .action((o: Opts) => train(o, false));

  trainOptions(datasetOptions(program.command('run').description('the main job: generate + train + evaluate (defaults: built-in synthetic data, both models)')))
    .option('--out <dir>', 'models folder (models, summary, dataset export)', 'models')
    .option('--walk-forward <k>', WALK_FORWARD_HELP)
    .option('--no-importance', NO_IMPORTANCE_HELP)
    .option('--json', 'print training_summary.json')
    .action((o: Opts) => train(o, true));

  program
    .command('evaluate')
    .description('re-evaluate saved models on their validation set')
    .option('--models <dir>', 'folder with lstm_best/, dual_tower_best/', 'models')
    .option('--walk-forward <k>', `${WALK_FORWARD_HELP}, with the run's configuration; stored in training_summary.json`)
    .option('--no-importance', `${NO_IMPORTANCE_HELP}; the figures already in training_summary.json are kept`)
    .option('--json', 'print the evaluation as JSON')
    .action(async (o: Opts) => {
      const k = walkForwardFrom(o);
      await initBackend();
      const dir = path.resolve(o.models ?? 'models');
      const summary = await evaluateSaved(dir, { importance: o.importance !== false });
      if (k !== undefined) {
        const progress = createProgress({ json: !!o.json });
        try {
          summary.walk_forward = await withSigint((signal) =>
            walkForwardOfRun(dir, k, summary.dataset.hash, { onEvent: (e) => progress.walkForward(e), signal }),
          );
        } finally {
          progress.stop();
        }
        await writeJsonAtomic(path.join(dir, SUMMARY_FILE), summary);
      }
      emit(!!o.json, summary, formatSummary(summary, dir));
    });

  program
    .command('predict')
    .description("both models' class probabilities for the latest day (or --date) of the data they were trained on")
    .option('--models <dir>', 'folder with lstm_best/, dual_tower_best/', 'models')
    .option('--tickers <list>', 'comma-separated tickers (default: all of the run)')
    .option('--date <date>', 'day to predict from, YYYY-MM-DD (default: the latest)')
    .option('--json', 'print predictions as JSON')
    .action(async (o: Opts) => {
      const backend = await initBackend();
      const dir = path.resolve(o.models ?? 'models');
      const predictions = await predictSaved(dir, o.tickers?.split(',').map((t) => t.trim().toUpperCase()), o.date);
      emit(!!o.json, { backend, predictions }, formatPredictions(predictions, backend));
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    const e = toErrorPayload(err);
    process.stderr.write(`error: ${e.message}\n`);
    if (process.env.STW_DEBUG && err instanceof Error && !(err instanceof WorkbenchError)) process.stderr.write(`${err.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
