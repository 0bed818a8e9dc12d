/**
 * Payloads that break the contract, sent raw over the page's own WebSocket, are refused with a
 * clear error and change nothing; a socket from a foreign origin is not even accepted.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { expect, test } from '@playwright/test';
import { freshDataFolder, startServer, type RunningServer } from './helpers/server';
import { watchConsole, type PageGlobals } from './helpers/page';

let server: RunningServer;
test.beforeAll(async () => {
  server = await startServer(freshDataFolder());
});
test.afterAll(async () => {
  await server?.stop();
});

interface Answer {
  id: number | null;
  result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

const outsideFolder = path.join(os.tmpdir(), `stw-e2e-outside-${process.pid}`);

const BAD: { what: string; call: string; payload: unknown; message: RegExp }[] = [
  { what: 'wrong type', call: 'dataset.generate', payload: { tickers: ['AAPL'], start: '2023-01-03', end: '2023-12-29', horizon: '5' }, message: /horizon/ },
  { what: 'malformed ticker', call: 'dataset.generate', payload: { tickers: ['AAPL; rm -rf /'], start: '2023-01-03', end: '2023-12-29' }, message: /tickers\.0: ticker must be/ },
  { what: 'an unknown field', call: 'dataset.generate', payload: { tickers: ['AAPL'], start: '2023-01-03', end: '2023-12-29', shell: 'x' }, message: /Unrecognized key/ },
  { what: 'negative epochs', call: 'train.start', payload: { models: ['lstm'], lstm: { epochs: -5 } }, message: /lstm\.epochs/ },
  { what: 'path outside the allowed folders', call: 'dataset.generate', payload: { source: 'csv', prices: '/etc', tickers: ['AAPL'], start: '2023-01-03', end: '2023-12-29' }, message: /outside the allowed folders/ },
  { what: 'export outside the allowed folders', call: 'dataset.export', payload: { folder: outsideFolder }, message: /outside the allowed folders/ },
  { what: 'unknown call', call: 'fs.rm', payload: { path: '/' }, message: /unknown call/ },
];

test('payloads that break the contract are refused and change nothing', async ({ page }, testInfo) => {
  const browser = watchConsole(page);
  await page.goto(server.url);
  await expect(page.getByTestId('nav-dataset')).toBeVisible();
  // a dataset first, so that "changes nothing" has something to keep
  const before = await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    const m = await g.api.dataset.generate({ tickers: ['AAPL'], start: '2023-01-03', end: '2023-06-30' });
    return m.hash;
  });

  const answers = await page.evaluate(async (bad) => {
    const g = globalThis as unknown as PageGlobals;
    const ws = new g.WebSocket(`ws://${g.location.host}/api`);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = reject;
    });
    const got: Answer[] = [];
    const done = new Promise<void>((resolve) => {
      ws.onmessage = (ev) => {
        got.push(JSON.parse(String(ev.data)) as Answer);
        if (got.length === bad.length + 2) resolve();
      };
    });
    bad.forEach((b, i) => ws.send(JSON.stringify({ id: i, call: b.call, payload: b.payload })));
    ws.send(JSON.stringify({ id: 100, call: 'app.info', payload: {} }));
    ws.send(JSON.stringify({ id: 101, call: 'runs.list', payload: {} }));
    await done;
    ws.close();
    return got;
  }, BAD);

  for (const [i, b] of BAD.entries()) {
    const a = answers.find((x) => x.id === i);
    expect(a?.result.ok, b.what).toBe(false);
    expect(['BAD_REQUEST', 'NOT_FOUND'], b.what).toContain(a?.result.error?.code);
    expect(a?.result.error?.message, b.what).toMatch(b.message);
    expect(a?.result.error?.message, `${b.what}: no stack traces`).not.toMatch(/\n\s+at /);
    console.log(`refused ${b.what}: ${a?.result.error?.code} ${a?.result.error?.message}`);
  }
  // nothing changed: the same dataset, no run, no folder written outside
  const info = answers.find((x) => x.id === 100)?.result.value as { dataset: { hash: string; tickers: string[] }; activeRunId: unknown };
  expect(info.dataset.hash).toBe(before);
  expect(info.dataset.tickers).toEqual(['AAPL']);
  expect(info.activeRunId).toBeNull();
  expect(answers.find((x) => x.id === 101)?.result.value).toEqual({ runs: [] });
  expect(existsSync(outsideFolder)).toBe(false);
  await browser.attach(testInfo);
});

test('a WebSocket from a foreign origin is refused', async () => {
  const status = await new Promise<string>((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { origin: 'http://evil.example' });
    ws.on('open', () => resolve('open'));
    ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    ws.on('error', (e) => resolve(`error ${e.message}`));
  });
  expect(status).toBe('403');
});
