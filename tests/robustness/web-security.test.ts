/**
 * Browser mode's network door: it listens on 127.0.0.1 only, and refuses HTTP requests and WebSocket
 * upgrades that do not come from its own origin and name its own host (DNS rebinding, other sites,
 * file:// pages, sandboxed `null` origins, a missing Host header). tests/services/web-server.test.ts
 * covers the basic cases and path traversal of the static files.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { createWorkbenchService } from '../../src-main/services/workbench';
import { startWebServer, type WebServer } from '../../src-main/web/app';
import { fakeEngine } from '../services/fake-engine';

let server: WebServer;
let dataFolder: string;

beforeAll(async () => {
  dataFolder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-websec-')));
  const renderer = path.join(dataFolder, 'renderer');
  mkdirSync(renderer);
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>wb</title>');
  const service = createWorkbenchService({
    mode: 'web',
    version: 't',
    dataFolder,
    store: openRunStore(Conf as unknown as BackingStoreClass, dataFolder),
    engine: fakeEngine({ mode: 'ok', requests: [] }),
  });
  server = await startWebServer({ service, rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await server.close();
  rmSync(dataFolder, { recursive: true, force: true });
});

/** A raw HTTP/1.1 exchange, so Host can be left out or be anything. */
function raw(request: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port: server.port }, () => socket.write(request));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (out += d));
    socket.on('end', () => resolve(out));
    socket.on('close', () => resolve(out));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy());
  });
}

const statusOf = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

function upgrade(headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.on('error', (e) => resolve(`error ${e.message}`));
  });
}

function connectable(host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port: server.port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('listening', () => {
  it('is bound to 127.0.0.1 only: not reachable on the machine’s other addresses', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    expect(await connectable('127.0.0.1')).toBe(true);
    const others = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal)
      .map((a) => a.address);
    for (const address of [...others, '::1']) expect([address, await connectable(address)]).toEqual([address, false]);
  });
});

describe('HTTP requests', () => {
  const port = () => server.port;
  it.each([
    ['own host', () => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nConnection: close\r\n\r\n`, 200],
    ['no Host header (HTTP/1.0)', () => `GET / HTTP/1.0\r\n\r\n`, 403],
    ['DNS rebinding: a foreign name resolving to 127.0.0.1', () => `GET / HTTP/1.1\r\nHost: attacker.example:${port()}\r\nConnection: close\r\n\r\n`, 403],
    ['Host 0.0.0.0', () => `GET / HTTP/1.1\r\nHost: 0.0.0.0:${port()}\r\nConnection: close\r\n\r\n`, 403],
    ['Host with credentials', () => `GET / HTTP/1.1\r\nHost: a@127.0.0.1:${port()}\r\nConnection: close\r\n\r\n`, 403],
    ['a cross-site fetch (foreign Origin)', () => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nOrigin: http://attacker.example\r\nConnection: close\r\n\r\n`, 403],
    ['a sandboxed frame (Origin: null)', () => `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nOrigin: null\r\nConnection: close\r\n\r\n`, 403],
    ['a POST from our own origin', () => `POST / HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\nOrigin: http://127.0.0.1:${port()}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 405],
    ['a request that is not HTTP', () => `\u0000\u0001garbage\r\n\r\n`, 400],
  ])('%s → %i', async (_name, request, status) => {
    expect(statusOf(await raw(request()))).toBe(status);
  });
});

describe('WebSocket upgrades', () => {
  const own = () => `http://127.0.0.1:${server.port}`;
  it.each([
    ['own origin', () => ({ Origin: own() }), 'open'],
    ['foreign origin', () => ({ Origin: 'http://attacker.example' }), 'refused 403'],
    ['Origin null', () => ({ Origin: 'null' }), 'refused 403'],
    ['a file:// page', () => ({ Origin: 'file://' }), 'refused 403'],
    ['https on our port', () => ({ Origin: `https://127.0.0.1:${server.port}` }), 'refused 403'],
    ['own origin but a rebinding Host', () => ({ Origin: own(), Host: `attacker.example:${server.port}` }), 'refused 403'],
    ['rebinding Host and matching Origin', () => ({ Origin: `http://attacker.example:${server.port}`, Host: `attacker.example:${server.port}` }), 'refused 403'],
  ])('%s → %s', async (_name, headers, outcome) => {
    expect(await upgrade(headers())).toBe(outcome);
  });

  it('the server still answers after all of that', async () => {
    expect(statusOf(await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: close\r\n\r\n`))).toBe(200);
    await new Promise<void>((resolve) => http.get({ host: '127.0.0.1', port: server.port, path: '/' }, (res) => { expect(res.statusCode).toBe(200); res.resume(); resolve(); }));
  });
});
