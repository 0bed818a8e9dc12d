/** Adapters from the two ways of starting a trainer process to the TrainerPort the client uses. */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { TrainerPort } from './protocol';

const STDERR_TAIL = 2000;

/** The trainer entry: an explicit path, else STW_TRAINER_ENTRY (the bundled app), else the source file. */
export function trainerEntry(explicit?: string): string {
  if (explicit) return explicit;
  if (process.env.STW_TRAINER_ENTRY) return process.env.STW_TRAINER_ENTRY;
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../trainer/index.ts');
}

/** tsx's loader as an absolute URL, so `--import` works whatever the working directory. */
function tsxLoader(): string {
  const require = createRequire(import.meta.url);
  return pathToFileURL(require.resolve('tsx')).href;
}

export function portFromChildProcess(child: ChildProcess): TrainerPort {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL);
  });
  return {
    pid: child.pid,
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(code ?? (signal ? -1 : null), signal)),
    kill: () => {
      child.kill('SIGKILL');
    },
    stderrTail: () => tail.trim(),
  };
}

/** child_process.fork of the trainer entry (TypeScript sources run through tsx). */
export function forkTrainer(entry?: string): TrainerPort {
  const file = trainerEntry(entry);
  const child = fork(file, [], {
    execArgv: file.endsWith('.ts') ? ['--import', tsxLoader()] : [],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: process.env,
  });
  return portFromChildProcess(child);
}

/** The parts of Electron's UtilityProcess the client uses (structural, so the core needs no Electron). */
export interface UtilityProcessLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
  readonly pid?: number | undefined;
  readonly stderr?: NodeJS.ReadableStream | null;
}

export function portFromUtilityProcess(proc: UtilityProcessLike): TrainerPort {
  let tail = '';
  proc.stderr?.on('data', (chunk: Buffer | string) => {
    tail = (tail + chunk.toString()).slice(-STDERR_TAIL);
  });
  return {
    get pid() {
      return proc.pid;
    },
    send: (msg) => proc.postMessage(msg),
    onMessage: (listener) => {
      proc.on('message', listener);
    },
    onExit: (listener) => {
      proc.on('exit', (code) => listener(code));
    },
    kill: () => {
      proc.kill();
    },
    stderrTail: () => tail.trim(),
  };
}
