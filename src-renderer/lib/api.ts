/** The one way views reach the main side: `window.api`, typed by the contract. */
import type { Api } from '../../src-preload/contract';

export function api(): Api {
  if (!window.api) throw new Error('window.api is missing: the preload or the browser-mode transport did not start');
  return window.api;
}
