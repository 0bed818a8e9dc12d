/**
 * Electron preload (sandboxed, bundled to CommonJS). It exposes exactly one thing, `window.api`,
 * the typed Api built from the contract over IPC: one channel per call, events on `event:<name>`.
 * Nothing of ipcRenderer (or the IPC event objects) reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createApi, isCallName, isEventName, type Transport } from './contract';

const EVENT_CHANNEL_PREFIX = 'event:'; // = src-main/app/ipc.ts

const transport: Transport = {
  invoke(channel, payload) {
    if (!isCallName(channel)) return Promise.reject(new Error(`BAD_REQUEST: unknown call ${String(channel)}`));
    return ipcRenderer.invoke(channel, payload);
  },
  subscribe(event, cb) {
    if (!isEventName(event)) throw new Error(`BAD_REQUEST: unknown event ${String(event)}`);
    const channel = `${EVENT_CHANNEL_PREFIX}${event}`;
    const listener = (_e: IpcRendererEvent, payload: unknown): void => cb(payload);
    ipcRenderer.on(channel, listener);
    return () => {
      ipcRenderer.removeListener(channel, listener);
    };
  },
};

contextBridge.exposeInMainWorld('api', createApi(transport));
