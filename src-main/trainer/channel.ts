/**
 * The trainer's link to its parent: Electron's `process.parentPort` in a utilityProcess, or the
 * IPC channel of child_process.fork.
 */
import type { ChildMessage } from '../core/jobs/protocol';

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export interface ParentChannel {
  kind: 'utility' | 'fork';
  post(msg: ChildMessage): Promise<void>;
  onMessage(listener: (msg: unknown) => void): void;
  /** called when the parent goes away (fork only: Electron ends utility processes itself) */
  onDisconnect(listener: () => void): void;
}

export function openParentChannel(): ParentChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      kind: 'utility',
      post: async (msg) => parentPort.postMessage(msg),
      onMessage: (listener) => parentPort.on('message', (e) => listener(e.data)),
      onDisconnect: () => {},
    };
  }
  if (!process.send) throw new Error('the trainer must be started as a child process (fork or utilityProcess)');
  return {
    kind: 'fork',
    post: (msg) =>
      new Promise((resolve) => {
        if (!process.connected || !process.send) return resolve();
        process.send(msg, undefined, {}, () => resolve());
      }),
    onMessage: (listener) => process.on('message', listener),
    onDisconnect: (listener) => process.on('disconnect', listener),
  };
}
