/**
 * Runs one training job in its own process and turns its messages into a promise plus events.
 * Cancel asks politely, then kills the process if it has not exited within half a second.
 */
import { randomUUID } from 'node:crypto';
import { WorkbenchError } from '../errors';
import { forkTrainer } from './ports';
import {
  isChildMessage,
  type ChildMessage,
  type TrainerJob,
  type TrainerPort,
  type TrainingJob,
  type TrainResultMessage,
  type WalkForwardJob,
  type WalkForwardResultMessage,
} from './protocol';

export type { ChildMessage, TrainerPort, TrainingJob, TrainResultMessage, WalkForwardJob, WalkForwardResultMessage } from './protocol';

export interface StartOptions {
  /** how to start the process; default child_process.fork of the trainer entry */
  spawn?: () => TrainerPort;
  /** trainer entry for the default spawn (else STW_TRAINER_ENTRY, else the source file) */
  entry?: string;
  onEvent?: (msg: ChildMessage) => void;
  readyTimeoutMs?: number;
  /** grace period between a cancel request and a hard kill */
  killAfterMs?: number;
}

export interface JobHandle<R> {
  id: string;
  cancel(): void;
  done: Promise<R>;
  readonly pid?: number;
}
export type TrainingJobHandle = JobHandle<TrainResultMessage>;
export type WalkForwardJobHandle = JobHandle<WalkForwardResultMessage>;

const READY_TIMEOUT_MS = 30_000;
/** a trainer that has not stopped by itself this long after a cancel is killed, so Cancel always ends within a second */
const KILL_AFTER_MS = 500;
/** after its last message a trainer exits by itself; reap it if it lingers */
const REAP_AFTER_MS = 2_000;

export function startTrainingJob(job: TrainingJob, options: StartOptions = {}): TrainingJobHandle {
  return startJob(job, options, (m): m is TrainResultMessage => m.type === 'done');
}

/** Walk-forward of one model in its own process (mode `walk_forward`): fold and epoch messages, then the fold results. */
export function startWalkForwardJob(job: WalkForwardJob, options: StartOptions = {}): WalkForwardJobHandle {
  return startJob(job, options, (m): m is WalkForwardResultMessage => m.type === 'walk-forward-done');
}

function startJob<R extends ChildMessage>(job: TrainerJob, options: StartOptions, isResult: (m: ChildMessage) => m is R): JobHandle<R> {
  const id = randomUUID();
  const port = (options.spawn ?? (() => forkTrainer(options.entry)))();
  let settled = false;
  let exited = false;
  let cancelling = false;
  let started = false;
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    t.unref?.();
    timers.add(t);
  };
  const killIfAlive = (): void => {
    if (!exited) port.kill();
  };

  let resolveDone!: (m: R) => void;
  let rejectDone!: (e: Error) => void;
  const done = new Promise<R>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const finish = (outcome: R | Error): void => {
    if (settled) return;
    settled = true;
    if (outcome instanceof Error) rejectDone(outcome);
    else resolveDone(outcome);
    if (!exited) later(REAP_AFTER_MS, killIfAlive);
  };

  const readyTimer = setTimeout(() => {
    finish(new WorkbenchError('TRAINING_FAILED', `trainer process did not start within ${Math.round((options.readyTimeoutMs ?? READY_TIMEOUT_MS) / 1000)} s`));
    killIfAlive();
  }, options.readyTimeoutMs ?? READY_TIMEOUT_MS);

  port.onMessage((raw) => {
    if (!isChildMessage(raw)) return;
    options.onEvent?.(raw);
    if (isResult(raw)) {
      finish(raw);
      return;
    }
    switch (raw.type) {
      case 'ready':
        clearTimeout(readyTimer);
        if (cancelling) killIfAlive();
        else if (!started) {
          started = true;
          port.send({ type: 'start', job });
        }
        break;
      case 'error':
        finish(new WorkbenchError(raw.code, raw.message));
        break;
      case 'cancelled':
        finish(new WorkbenchError('CANCELLED', 'training was cancelled'));
        break;
      default:
        break;
    }
  });

  port.onExit((code, signal) => {
    exited = true;
    clearTimeout(readyTimer);
    for (const t of timers) clearTimeout(t);
    timers.clear();
    if (cancelling) {
      finish(new WorkbenchError('CANCELLED', 'training was cancelled'));
      return;
    }
    const tail = port.stderrTail?.() ?? '';
    const last = tail ? `: ${tail.split('\n').slice(-3).join(' | ')}` : '';
    const how = signal ? `was killed (${signal})` : `exited with code ${code ?? 'unknown'}`;
    finish(new WorkbenchError('TRAINING_FAILED', `trainer process ${how} before finishing${last}`));
  });

  return {
    id,
    get pid() {
      return port.pid;
    },
    done,
    cancel: () => {
      if (settled || cancelling) return;
      cancelling = true;
      if (!started) {
        killIfAlive();
        return;
      }
      try {
        port.send({ type: 'cancel' });
      } catch {
        // the channel is already closed: the kill below settles it
      }
      later(options.killAfterMs ?? KILL_AFTER_MS, killIfAlive);
    },
  };
}
