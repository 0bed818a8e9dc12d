/**
 * One ipcMain handler per contract call (no generic channel). Each checks that the sender is a frame
 * of one of our windows showing the app's own URL before the service sees the payload; events go
 * back to the web contents that made the call, and stop when it is gone.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { CALL_NAMES, type Envelope, type EventName, type EventOf } from '../../src-preload/contract';
import type { CallContext, WorkbenchService } from '../services/workbench';

export const EVENT_CHANNEL_PREFIX = 'event:';

function contextFor(contents: WebContents): CallContext {
  return {
    emit<E extends EventName>(event: E, payload: EventOf<E>) {
      if (!contents.isDestroyed()) contents.send(`${EVENT_CHANNEL_PREFIX}${event}`, payload);
    },
    alive: () => !contents.isDestroyed(),
  };
}

function trustedSender(event: IpcMainInvokeEvent, isTrusted: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false; // top-level frames only, no iframes
  if (!BrowserWindow.fromWebContents(event.sender)) return false; // only our windows
  return isTrusted(frame.url);
}

export function setupIpc(service: WorkbenchService, isTrusted: (url: string) => boolean): () => void {
  for (const name of CALL_NAMES) {
    ipcMain.handle(name, async (event, payload: unknown): Promise<Envelope<unknown>> => {
      if (!trustedSender(event, isTrusted)) {
        return { ok: false, error: { code: 'BAD_REQUEST', message: 'refused: the call did not come from the workbench window' } };
      }
      return service.handle(name, payload, contextFor(event.sender));
    });
  }
  return () => CALL_NAMES.forEach((name) => ipcMain.removeHandler(name));
}
