/** Progress on a terminal as bars (cli-progress), as plain lines otherwise (pipes, CI, --json). */
import cliProgress from 'cli-progress';
import type { RunEvent } from '../core/pipeline/run';
import type { WalkForwardEvent } from '../core/pipeline/walkForward';

export interface ProgressSink {
  event(e: RunEvent): void;
  walkForward(e: WalkForwardEvent): void;
  line(text: string): void;
  stop(): void;
}

export function createProgress(opts: { json: boolean }): ProgressSink {
  // with --json, stdout carries only the result; human progress goes to stderr
  const stream = opts.json ? process.stderr : process.stdout;
  if (!stream.isTTY) return plainProgress(stream);
  const multi = new cliProgress.MultiBar(
    { stream, format: ' {label} |{bar}| {value}/{total} {info}', hideCursor: true, clearOnComplete: false, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  let datasetBar: cliProgress.SingleBar | null = null;
  return {
    event(e) {
      if (e.type === 'dataset') {
        datasetBar ??= multi.create(100, 0, { label: 'dataset   ', info: '' });
        datasetBar.update(Math.round(e.fraction * 100), { info: e.stage });
        return;
      }
      if (e.type === 'job-ready') {
        bars.set(e.kind, multi.create(1, 0, { label: e.kind.padEnd(10), info: `backend ${e.backend}` }));
        return;
      }
      const bar = bars.get(e.kind);
      if (!bar) return;
      if (e.type === 'stage') {
        bar.update({ info: `${e.stage} ${Math.round(e.fraction * 100)}%` });
        return;
      }
      if (e.type === 'epoch') {
        bar.setTotal(e.epochs);
        const r = e.record;
        bar.update(r.epoch, { info: `epochs · loss ${r.loss.toFixed(3)} acc ${(r.accuracy * 100).toFixed(1)}% val ${(r.val_accuracy * 100).toFixed(1)}% · ${r.seconds.toFixed(1)} s/epoch · ETA ${Math.round(e.etaSeconds)} s` });
      }
    },
    walkForward(e) {
      if (e.type === 'job-ready') {
        bars.set(`wf:${e.kind}`, multi.create(100, 0, { label: `wf ${e.kind}`.padEnd(10), info: 'walk-forward' }));
        return;
      }
      const bar = bars.get(`wf:${e.kind}`);
      if (!bar || e.type !== 'progress') return;
      const r = e.record;
      bar.update(Math.round(e.fraction * 100), {
        info: `· fold ${e.fold}/${e.folds} epoch ${e.epoch}/${e.epochs}${r ? ` val ${(r.val_accuracy * 100).toFixed(1)}%` : ''}`,
      });
    },
    line(text) {
      multi.log(text + '\n');
    },
    stop() {
      multi.stop();
    },
  };
}

function plainProgress(stream: NodeJS.WriteStream): ProgressSink {
  let lastStage = '';
  const lastTenth = new Map<string, number>();
  const write = (s: string) => stream.write(s + '\n');
  return {
    event(e) {
      if (e.type === 'dataset') {
        if (e.stage !== lastStage) write(`dataset: ${e.stage}`);
        lastStage = e.stage;
      } else if (e.type === 'job-ready') write(`${e.kind}: training on backend ${e.backend}`);
      else if (e.type === 'epoch') {
        const r = e.record;
        write(`${e.kind}: epoch ${r.epoch}/${e.epochs} loss ${r.loss.toFixed(4)} acc ${r.accuracy.toFixed(4)} val_loss ${r.val_loss.toFixed(4)} val_acc ${r.val_accuracy.toFixed(4)} (${r.seconds.toFixed(2)} s, ETA ${Math.round(e.etaSeconds)} s)`);
      } else if (e.type === 'stage') {
        // a line per tenth, not per prediction
        const tenth = Math.floor(e.fraction * 10);
        if (lastTenth.get(e.kind) === tenth) return;
        lastTenth.set(e.kind, tenth);
        write(`${e.kind}: ${e.stage} ${tenth * 10}%`);
      } else if (e.type === 'model-done') write(`${e.kind}: done`);
    },
    walkForward(e) {
      if (e.type === 'job-ready') write(`walk-forward ${e.kind}: training on backend ${e.backend}`);
      else if (e.type === 'model-done') write(`walk-forward ${e.kind}: done`);
      else if (e.epoch === 0) write(`walk-forward ${e.kind}: fold ${e.fold}/${e.folds}`);
      else if (e.record) {
        const r = e.record;
        write(`walk-forward ${e.kind} fold ${e.fold}/${e.folds}: epoch ${r.epoch}/${e.epochs} loss ${r.loss.toFixed(4)} val_acc ${r.val_accuracy.toFixed(4)}`);
      }
    },
    line: write,
    stop() {},
  };
}
