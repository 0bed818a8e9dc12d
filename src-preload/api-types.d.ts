// `window.api` as the renderer sees it: set by the Electron preload (contextBridge), or in browser mode by
// the renderer itself: `window.api ??= createApi(wsTransport())` (src-preload/contract + ws-transport).
import type { Api } from './contract';

declare global {
  interface Window {
    api: Api;
  }
}

export {};
