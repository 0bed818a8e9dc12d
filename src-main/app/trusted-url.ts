/**
 * Which URLs belong to the app itself: the exact index.html we loaded from disk (file://), or the
 * origin of the electron-vite dev server. Decided by parsing with `new URL` — never by substring —
 * so `file://evil/…`, `http://localhost:5173.evil.com`, `http://localhost:5173@evil.com` and
 * `javascript:` are all refused (see tests/services/trusted-url.test.ts).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type AppLocation = { kind: 'file'; indexFile: string } | { kind: 'http'; origin: string };

export function appLocationFromDevUrl(devUrl: string): AppLocation {
  const u = new URL(devUrl);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`unsupported dev server URL ${devUrl}`);
  return { kind: 'http', origin: u.origin };
}

export function appLocationFromFile(indexFile: string): AppLocation {
  return { kind: 'file', indexFile: path.resolve(indexFile) };
}

export function isTrustedUrl(url: string | undefined | null, app: AppLocation): boolean {
  if (!url) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.username || u.password) return false;
  if (app.kind === 'http') return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === app.origin;
  if (u.protocol !== 'file:' || u.host !== '') return false;
  let file: string;
  try {
    file = fileURLToPath(u);
  } catch {
    return false;
  }
  return path.resolve(file) === app.indexFile;
}
