import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, errorOf, RENDERER_CSP } from '../../src-preload/contract';
import { wsTransport, type SocketLike, type WsTransport } from '../../src-preload/ws-transport';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { createWorkbenchService } from '../../src-main/services/workbench';
import { startWebServer, type WebServer } from '../../src-main/web/app';
import { isOwnHost, isOwnOrigin } from '../../src-main/web/origin';
import { fakeEngine } from './fake-engine';

let server: WebServer;
let dataFolder: string;
let transport: WsTransport;

beforeAll(async () => {
  dataFolder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-web-')));
  const renderer = path.join(dataFolder, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>wb</title>');
  writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(dataFolder, 'secret.txt'), 'do not serve');
  const service = createWorkbenchService({
    mode: 'web',
    version: '1.2.3',
    dataFolder,
    store: openRunStore(Conf as unknown as BackingStoreClass, dataFolder),
    engine: fakeEngine({ mode: 'ok', requests: [] }),
  });
  server = await startWebServer({ service, rendererDir: renderer, port: 0 });
  const origin = `http://127.0.0.1:${server.port}`;
  transport = wsTransport(`ws://127.0.0.1:${server.port}/api`, {
    socket: (url) => new WebSocket(url, { origin }) as unknown as SocketLike,
  });
});
afterAll(async () => {
  transport.close();
  await server.close();
});

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: pathname, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
  });
}

/** Open a socket with the given Origin; resolves with 'open' or the refusal status. */
function tryUpgrade(origin: string | undefined, pathname = '/api'): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}${pathname}`, origin ? { origin } : {});
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
    ws.on('error', (e) => resolve(`error ${e.message}`));
  });
}

describe('browser-mode server', () => {
  it('serves the renderer with the CSP header, and nothing outside it', async () => {
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>wb</title>');
    expect(index.headers['content-security-policy']).toBe(RENDERER_CSP);
    expect((await get('/assets/app.js')).headers['content-type']).toMatch(/^text\/javascript/);
    expect((await get('/../secret.txt')).body).not.toContain('do not serve');
    expect((await get('/%2e%2e/secret.txt')).status).toBe(404); // the URL parser drops the dot segments
    expect((await get('/..%2fsecret.txt')).status).toBe(403); // an encoded slash must not climb out either
    expect((await get('/nope.js')).status).toBe(404);
  });

  it('refuses requests for a foreign Host (DNS rebinding) or Origin', async () => {
    expect((await get('/', { Host: 'evil.example:' + server.port })).status).toBe(403);
    expect((await get('/', { Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('accepts a WebSocket only from its own origin and only at /api', async () => {
    expect(await tryUpgrade(`http://127.0.0.1:${server.port}`)).toBe('open');
    expect(await tryUpgrade(`http://localhost:${server.port}`)).toBe('open');
    expect(await tryUpgrade('http://evil.example')).toBe('refused 403');
    expect(await tryUpgrade(`http://127.0.0.1:${server.port + 1}`)).toBe('refused 403');
    expect(await tryUpgrade(`http://127.0.0.1:${server.port}.evil.example`)).toBe('refused 403');
    expect(await tryUpgrade(undefined)).toBe('refused 403');
    expect(await tryUpgrade(`http://127.0.0.1:${server.port}`, '/other')).toBe('refused 403');
  });

  it('carries the contract over the socket: calls, events, errors', async () => {
    const api = createApi(transport);
    expect((await api.app.info()).mode).toBe('web');
    const progress: number[] = [];
    const off = api.on('dataset.progress', (p) => progress.push(p.fraction));
    const manifest = await api.dataset.generate({ tickers: ['AAPL'], start: '2023-01-03', end: '2023-06-30' });
    off();
    expect(progress.at(-1)).toBe(1);
    const page = await api.dataset.rows({ offset: 0, limit: 3 });
    expect(page.total).toBe(manifest.rows);
    expect(await api.runs.get({ runId: 'nope' }).catch(errorOf)).toEqual({ code: 'NOT_FOUND', message: 'run nope does not exist' });
  });

  it('answers a malformed frame or a payload that breaks the contract with BAD_REQUEST', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { origin: `http://127.0.0.1:${server.port}` });
    await new Promise((r) => ws.on('open', r));
    const answers: unknown[] = [];
    const got = new Promise<void>((resolve) =>
      ws.on('message', (d: Buffer) => {
        answers.push(JSON.parse(d.toString()));
        if (answers.length === 3) resolve();
      }),
    );
    ws.send('not json');
    ws.send(JSON.stringify({ id: 7, call: 'train.start', payload: { models: ['lstm'], lstm: { epochs: -3 } } }));
    ws.send(JSON.stringify({ id: 8, call: 'process.exit', payload: {} }));
    await got;
    ws.close();
    expect(answers).toContainEqual({ id: null, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'malformed message: expected {id, call, payload}' } } });
    expect(answers).toContainEqual({ id: 7, result: { ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^train.start: lstm.epochs/) } } });
    expect(answers).toContainEqual({ id: 8, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'unknown call process.exit' } } });
  });
});

describe('origin checks', () => {
  it.each([
    ['http://127.0.0.1:5317', true],
    ['http://localhost:5317', true],
    ['https://127.0.0.1:5317', false],
    ['http://127.0.0.1:5318', false],
    ['http://127.0.0.1', false],
    ['http://127.0.0.1:5317.evil.com', false],
    ['http://evil.com#http://127.0.0.1:5317', false],
    ['http://user@127.0.0.1:5317', false],
    ['null', false],
    ['', false],
  ])('Origin %s → %s', (origin, ok) => expect(isOwnOrigin(origin, 5317)).toBe(ok));

  it.each([
    ['127.0.0.1:5317', true],
    ['localhost:5317', true],
    ['evil.example:5317', false],
    ['127.0.0.1:80', false],
    ['127.0.0.1', false],
    ['a@127.0.0.1:5317', false],
  ])('Host %s → %s', (host, ok) => expect(isOwnHost(host, 5317)).toBe(ok));
});

describe('WebSocket transport', () => {
  it('fails calls in flight when the server goes away, and reconnects when it is back on the same port', async () => {
    const folder = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-web-re-')));
    const make = () =>
      createWorkbenchService({
        mode: 'web',
        version: '1.2.3',
        dataFolder: folder,
        store: openRunStore(Conf as unknown as BackingStoreClass, folder),
        engine: fakeEngine({ mode: 'ok', requests: [] }),
      });
    let s1: WebServer | null = await startWebServer({ service: make(), rendererDir: folder, port: 0 });
    const port = s1.port;
    const t = wsTransport(`ws://127.0.0.1:${port}/api`, {
      socket: (url) => new WebSocket(url, { origin: `http://127.0.0.1:${port}` }) as unknown as SocketLike,
      retryMs: 50,
    });
    const api = createApi(t);
    expect((await api.app.info()).version).toBe('1.2.3');
    await s1.close();
    s1 = null;
    expect(await api.app.info().catch(errorOf)).toEqual({ code: 'INTERNAL', message: 'connection to the workbench server lost' });
    const s2 = await startWebServer({ service: make(), rendererDir: folder, port });
    try {
      expect((await api.runs.list()).runs).toEqual([]);
    } finally {
      t.close();
      await s2.close();
    }
  });
});
