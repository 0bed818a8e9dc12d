/**
 * Who may talk to the browser-mode server: only pages of its own origin (http://127.0.0.1:<port>,
 * or http://localhost:<port>). Decided by parsing with `new URL`, never by substring, and the Host
 * header is checked as well so a DNS-rebinding page (evil.example resolving to 127.0.0.1) is refused.
 */

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** `Host` header of a request to our server. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  let url: URL;
  try {
    url = new URL(`http://${host}`);
  } catch {
    return false;
  }
  return (
    LOCAL_HOSTS.has(url.hostname) &&
    url.port === String(port) &&
    url.username === '' &&
    url.password === '' &&
    url.pathname === '/'
  );
}

/** `Origin` header: exactly our scheme, a local host name and our port. */
export function isOwnOrigin(origin: string | undefined, port: number): boolean {
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname) && url.port === String(port) && url.origin === origin;
}
