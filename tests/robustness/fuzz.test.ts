/**
 * Hostile payloads over the browser-mode socket: a few hundred seeded random and hand-picked payloads to
 * EVERY contract call (wrong types, huge strings, __proto__ / constructor keys, deep nesting, 1e999 =
 * Infinity, negative and huge numbers, path traversal, symlink escapes), unknown call names, frames that
 * are not JSON, binary frames and an oversized frame. Each call must be answered — a structured
 * `{ code, message }` refusal or a contract-valid value, never INTERNAL, never a stack trace — the
 * server must stay up, nothing outside the data folders may change, and no prototype may be polluted.
 *
 * The server runs in this process (startWebServer + a `ws` client, loopback only). Its engine is the
 * real dataset code (sources, builder, export) with training and prediction faked (tests/services/
 * fake-engine.ts), so a valid train.start finishes at once instead of forking trainers.
 */
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Conf from 'conf';
import seedrandom from 'seedrandom';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALL_NAMES, contract, ErrorCodeSchema, type CallName } from '../../src-preload/contract';
import { openRunStore, type BackingStoreClass } from '../../src-main/services/store';
import { createWorkbenchService } from '../../src-main/services/workbench';
import { startWebServer, type WebServer } from '../../src-main/web/app';
import { fakeEngine } from '../services/fake-engine';

const PER_CALL = 24; // random payloads per call, on top of the hand-picked ones
const rng = seedrandom('issue-5-fuzz');
const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

// ---------------------------------------------------------------------------------------------
// The file tree: data (the data folder) and allowed (--allow) may change; everything else may not.
// ---------------------------------------------------------------------------------------------
const root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-fuzz-')));
const data = path.join(root, 'data');
const allowed = path.join(root, 'allowed');
const decoy = path.join(root, 'decoy');
const renderer = path.join(root, 'renderer');
const escapeTarget = path.join(os.tmpdir(), `stw-fuzz-escape-${randomBytes(4).toString('hex')}`);

function buildTree(): void {
  for (const d of [data, allowed, decoy, renderer, path.join(decoy, 'prices'), path.join(decoy, 'exports')]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(decoy, 'secret.txt'), 'decoy: must never change or be read\n');
  cpSync(path.join(__dirname, '../fixtures/csv/prices'), path.join(decoy, 'prices'), { recursive: true });
  cpSync(path.join(__dirname, '../fixtures/csv/prices'), path.join(allowed, 'prices'), { recursive: true });
  writeFileSync(path.join(root, 'outside.txt'), 'next to the data folder\n');
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>wb</title>');
  writeFileSync(path.join(data, 'afile'), 'a file, not a folder\n');
  symlinkSync(decoy, path.join(data, 'escape')); // a folder symlink inside the data folder pointing out of it
  symlinkSync(path.join(decoy, 'secret.txt'), path.join(data, 'escape-file'));
  symlinkSync('/etc', path.join(allowed, 'etc-link'));
}

/** Type, size, mtime, content hash and link target of everything outside the allowed folders. */
function snapshot(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (p === data || p === allowed) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(p, `dir ${st.mtimeMs}`);
        walk(p);
      } else out.set(p, `file ${st.size} ${st.mtimeMs} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(root);
  out.set('/etc/passwd', `file ${lstatSync('/etc/passwd').mtimeMs}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hostile values
// ---------------------------------------------------------------------------------------------
const HUGE = 'A'.repeat(300_000);
const PATHS = [
  '../../etc/passwd',
  '/etc/passwd',
  '/etc',
  '/',
  '~/.ssh',
  'file:///etc/passwd',
  '..\\..\\windows\\win.ini',
  '%2e%2e%2fetc%2fpasswd',
  'path\u0000with-nul',
  'x'.repeat(5000),
  decoy,
  path.join(decoy, 'prices'),
  path.join(decoy, 'exports'),
  path.join(data, '..', 'decoy'),
  path.join(data, 'exports', '..', '..', 'decoy', 'exports'),
  path.join(data, 'escape'), // symlink → decoy
  path.join(data, 'escape', 'prices'),
  path.join(data, 'escape', 'new-export'), // not yet existing, under a symlink that leaves
  path.join(data, 'escape-file'),
  path.join(allowed, 'etc-link'), // symlink → /etc inside an allowed folder
  path.join(allowed, '..', 'outside.txt'),
  `${data}-evil`, // a string prefix of the data folder, not inside it
  path.join(data, 'workbench.json'), // the run store itself: not a folder to export into
  path.join(data, 'afile', 'sub'), // under a file
  path.join(data, 'escape-file', 'sub'),
  root,
  escapeTarget,
  path.relative(process.cwd(), decoy),
];
const STRINGS = [
  '',
  ' ',
  HUGE,
  '__proto__',
  'constructor',
  'prototype',
  '<script>alert(1)</script>',
  '${process.exit(1)}',
  '\u202eAAPL',
  '😀',
  'aapl',
  'AAPL',
  'BRK.B',
  '2024-01-02',
  '2024-02-30',
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  'NaN',
  'Infinity',
  '-1',
  'true',
  'null',
  'lstm',
  'dual_tower',
  ...PATHS,
];
const NUMBERS = [0, -0, -1, 1, 0.5, 1.5, 3, 42, 500, 4096, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, 1e21, 1e308, -1e308, 5e-324];
/** JSON texts JSON.parse accepts but JSON.stringify never produces: ±Infinity. */
const RAW_NUMBERS = ['1e999', '-1e999', '-0.0', '1E400'];
const TICKER_LISTS = [['AAPL'], ['AAPL', 'AAPL'], [], Array.from({ length: 51 }, (_, i) => `T${i}`), Array.from({ length: 50 }, (_, i) => `T${i}`), ['AAPL', 3], [HUGE]];

function nested(depth: number): unknown {
  let v: unknown = 'deep';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}
/** Deep nesting as JSON text (JSON.stringify itself would overflow the stack at this depth). */
const nestedText = (depth: number) => '{"a":['.repeat(depth) + '1' + ']}'.repeat(depth);

/** A random JSON value built from the hostile atoms (depth ≤ 3). */
function randomValue(depth = 0): unknown {
  const r = rng();
  if (r < 0.3) return pick(STRINGS);
  if (r < 0.5) return pick(NUMBERS);
  if (r < 0.58) return pick([null, true, false]);
  if (r < 0.63) return pick(TICKER_LISTS);
  if (r < 0.66) return nested(100 + Math.floor(rng() * 900));
  if (depth >= 3 || r < 0.8) return Array.from({ length: Math.floor(rng() * 4) }, () => randomValue(depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(rng() * 4); i > 0; i--) o[pick([...STRINGS.slice(0, 12), 'tickers', 'start', 'runId', 'folder', 'models', 'epochs'])] = randomValue(depth + 1);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Valid payloads to mutate (so the fuzz reaches past the first check), per call
// ---------------------------------------------------------------------------------------------
let runIds: string[] = ['nope'];
function validPayloads(name: CallName): Record<string, unknown>[] {
  const runId = pick(runIds);
  switch (name) {
    case 'dataset.generate':
      return [
        { tickers: ['AAPL'], start: '2023-01-03', end: '2023-12-29' },
        { source: 'csv', prices: path.join(allowed, 'prices'), tickers: ['AAPL', 'MSFT'], start: '2024-09-03', end: '2024-11-29' },
      ];
    case 'dataset.rows':
      return [{ offset: 0, limit: 5 }, { ticker: 'AAPL', part: 'validation', sortBy: 'rsi_14', sortDir: 'desc', limit: 3 }];
    case 'dataset.series':
      return [{ ticker: 'AAPL' }];
    case 'dataset.export':
      return [{}, { folder: path.join(data, 'exports-fuzz') }, { folder: path.join(allowed, 'out') }];
    case 'train.start':
      return [{ models: ['dual_tower'], dual_tower: { epochs: 1 } }, { models: ['lstm', 'dual_tower'], lstm: { epochs: 1 }, dual_tower: { epochs: 1 } }];
    case 'train.cancel':
    case 'runs.get':
    case 'runs.delete':
      return [{ runId }];
    case 'predict.run':
      return [{ runId, tickers: ['AAPL'] }, { runId, tickers: ['AAPL'], date: '2024-03-01' }];
    case 'runs.walkForward':
      return [{ runId }, { runId, k: 3 }];
    case 'dialog.openFolder':
      return [{ title: 'Choose' }];
    default:
      return [{}];
  }
}

/** The JSON text of a call frame; `payloadText` lets a payload carry raw tokens (1e999, __proto__ keys). */
const frame = (id: number, call: string, payloadText: string) => `{"id":${id},"call":${JSON.stringify(call)},"payload":${payloadText}}`;

/** One hostile payload for `name`, as JSON text. */
function hostilePayload(name: CallName): { text: string; kind: string } {
  const base = structuredClone(pick(validPayloads(name)));
  const keys = Object.keys(base);
  const r = rng();
  if (r < 0.15) return { kind: 'random value', text: JSON.stringify(randomValue()) };
  if (r < 0.5 && keys.length) {
    base[pick(keys)] = randomValue();
    return { kind: 'one field replaced', text: JSON.stringify(base) };
  }
  if (r < 0.6) {
    const key = pick([...keys, 'tickers', 'folder', 'prices', 'offset', 'epochs']);
    const text = JSON.stringify(base);
    const raw = `"${key}":${pick(RAW_NUMBERS)}`;
    return { kind: 'raw number', text: text === '{}' ? `{${raw}}` : `{${raw},${text.slice(1)}` };
  }
  if (r < 0.72) {
    const pollute = pick([
      '"__proto__":{"polluted":"yes","isAdmin":true}',
      '"constructor":{"prototype":{"polluted":"yes"}}',
      '"__proto__":{"__proto__":{"polluted":"yes"}}',
      '"prototype":{"polluted":"yes"}',
    ]);
    const text = JSON.stringify(base);
    return { kind: 'prototype keys', text: text === '{}' ? `{${pollute}}` : `{${pollute},${text.slice(1)}` };
  }
  if (r < 0.85) {
    // path fields get the traversal list; other calls get a path where any string goes
    const field = name === 'dataset.generate' ? pick(['prices', 'news', 'macro', 'policy']) : name === 'dataset.export' ? 'folder' : pick(keys.length ? keys : ['x']);
    const p = pick(PATHS);
    if (name === 'dataset.generate' && field === 'prices') Object.assign(base, { source: 'csv', tickers: ['AAPL'], start: '2024-09-03', end: '2024-11-29' });
    base[field] = p;
    return { kind: 'path', text: JSON.stringify(base) };
  }
  if (r < 0.92) {
    base[pick(['extra', 'x', HUGE.slice(0, 1000)])] = randomValue();
    return { kind: 'unknown key', text: JSON.stringify(base) };
  }
  return { kind: 'valid', text: JSON.stringify(base) };
}

// ---------------------------------------------------------------------------------------------
// Socket client
// ---------------------------------------------------------------------------------------------
let server: WebServer;
interface Answer {
  id: number | null;
  result: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
}

class Client {
  private waiting = new Map<number | null, ((a: Answer) => void)[]>();
  readonly closed: Promise<number>;
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d: Buffer) => {
      const msg = JSON.parse(d.toString()) as Answer | { event: string };
      if (!('result' in msg)) return; // pushed events (progress of fake runs)
      const queue = this.waiting.get(msg.id);
      queue?.shift()?.(msg);
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }
  static open(): Promise<Client> {
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api`, { origin: `http://127.0.0.1:${server.port}` });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }
  /** Send a text (or binary) frame and wait for the answer carrying `id` (null: a malformed-frame answer). */
  send(data: string | Buffer, id: number | null, timeoutMs = 30_000): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${String(data).slice(0, 200)}`)), timeoutMs);
      const list = this.waiting.get(id) ?? [];
      list.push((a) => {
        clearTimeout(timer);
        resolve(a);
      });
      this.waiting.set(id, list);
      this.ws.send(data, { binary: Buffer.isBuffer(data) });
    });
  }
}

const CODES = new Set<string>(ErrorCodeSchema.options);
const stats = { calls: 0, answered: 0, refused: 0, byCall: new Map<string, number>(), byCode: new Map<string, number>() };

/** The checks every answer must pass. */
function checkAnswer(a: Answer, call: string, sent: string): void {
  const where = `${call} ← ${sent.slice(0, 300)}`;
  expect(typeof a.result?.ok, where).toBe('boolean');
  if (a.result.ok) {
    stats.answered++;
    const schema = contract.calls[call as CallName]?.response;
    expect(schema, where).toBeDefined();
    expect(schema!.safeParse(a.result.value).success, where).toBe(true);
  } else {
    stats.refused++;
    const { code, message } = a.result.error;
    stats.byCode.set(code, (stats.byCode.get(code) ?? 0) + 1);
    expect(CODES.has(code), where).toBe(true);
    expect([where, code]).not.toEqual([where, 'INTERNAL']);
    expect(typeof message, where).toBe('string');
    expect(message, where).not.toMatch(/\n\s+at |node:internal|\.ts:\d+:\d+/); // no stack trace
    expect(message, where).not.toContain('decoy: must never'); // no file content leaks back
  }
}

let before: Map<string, string>;
let nextId = 1;

beforeAll(async () => {
  buildTree();
  before = snapshot();
  const service = createWorkbenchService({
    mode: 'web',
    version: 'fuzz',
    dataFolder: data,
    extraAllowedFolders: [allowed],
    store: openRunStore(Conf as unknown as BackingStoreClass, data),
    engine: fakeEngine({ mode: 'ok', requests: [] }),
  });
  server = await startWebServer({ service, rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
  rmSync(escapeTarget, { recursive: true, force: true });
});

describe('fuzzing every contract call over the browser-mode socket', () => {
  it(`${CALL_NAMES.length} calls × (hand-picked + ${PER_CALL} random) payloads: each answered or refused with a structured error`, async () => {
    const client = await Client.open();
    const call = async (name: string, payloadText: string): Promise<Answer> => {
      const id = nextId++;
      const sent = frame(id, name, payloadText);
      const a = await client.send(sent, id);
      stats.calls++;
      stats.byCall.set(name, (stats.byCall.get(name) ?? 0) + 1);
      checkAnswer(a, name, sent);
      return a;
    };

    // a dataset and a few (fake) runs exist, so rows/series/export/predict/runs.* reach their real checks
    expect((await call('dataset.generate', JSON.stringify(validPayloads('dataset.generate')[0]))).result.ok).toBe(true);
    for (let i = 0; i < 3; i++) {
      const started = await call('train.start', JSON.stringify({ models: ['dual_tower'], dual_tower: { epochs: 1 } }));
      expect(started.result.ok).toBe(true);
      await new Promise((r) => setTimeout(r, 50));
    }
    const list = await call('runs.list', '{}');
    expect((list.result as { value: { runs: { status: string }[] } }).value.runs.map((r) => r.status)).toEqual(['done', 'done', 'done']);
    runIds = [...(list.result as { value: { runs: { id: string }[] } }).value.runs.map((r) => r.id), 'nope', '../../etc', 'x'.repeat(65)];

    for (const name of CALL_NAMES) {
      // hand-picked: every valid shape, the non-object payloads, and each traversal path where paths go
      for (const p of validPayloads(name)) await call(name, JSON.stringify(p));
      for (const text of ['null', '[]', '"x"', '0', '1e999', 'true', nestedText(20_000), JSON.stringify({ [HUGE.slice(0, 100)]: HUGE })]) await call(name, text);
      if (name === 'dataset.export') for (const p of PATHS) await call(name, JSON.stringify({ folder: p }));
      if (name === 'dataset.generate')
        for (const p of PATHS) await call(name, JSON.stringify({ source: 'csv', prices: p, tickers: ['AAPL'], start: '2024-09-03', end: '2024-11-29' }));
      for (let i = 0; i < PER_CALL; i++) await call(name, hostilePayload(name).text);
    }

    // one request may not ask for an unbounded dataset (memory of the main process): tickers × trading days is capped
    const fifty = Array.from({ length: 50 }, (_, i) => `T${i}`);
    const big = await call('dataset.generate', JSON.stringify({ tickers: fifty, start: '1950-01-03', end: '2024-12-31' }));
    expect(big.result).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^dataset\.generate: end: about [\d,]+ rows \(tickers × trading days\); the limit is 500,000/) } });
    const ancient = await call('dataset.generate', JSON.stringify({ tickers: ['AAPL'], start: '0001-01-01', end: '2024-12-31' }));
    expect(ancient.result.ok).toBe(false);
    expect(contract.calls['dataset.generate'].request.safeParse({ tickers: fifty, start: '1995-01-03', end: '2024-12-31' }).success).toBe(true);

    for (const name of CALL_NAMES) expect([name, (stats.byCall.get(name) ?? 0) >= PER_CALL + 5]).toEqual([name, true]);
    expect(stats.calls).toBeGreaterThanOrEqual(300);
    expect(stats.answered).toBeGreaterThan(20);
    expect(stats.refused).toBeGreaterThan(200);
    console.log(`fuzz: ${stats.calls} calls, ${stats.answered} answered, ${stats.refused} refused ${JSON.stringify(Object.fromEntries(stats.byCode))}`);
    client.ws.close();
  });

  it('unknown call names and malformed frames are refused with BAD_REQUEST; the socket stays open', async () => {
    const client = await Client.open();
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'APP.INFO', 'app.info ', 'app', '', 'process.exit', 'dataset.generate\u0000', 'x'.repeat(100)]) {
      const id = nextId++;
      const a = await client.send(frame(id, name, '{}'), id);
      expect(a.result).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: expect.stringMatching(/^unknown call /) } });
    }
    const malformed = [
      'not json',
      '',
      '{',
      '[]',
      'null',
      '42',
      '"app.info"',
      '{"id":1,"call":"app.info","payload":NaN}',
      '{"id":1,"call":"app.info","payload":{"offset":Infinity}}',
      '{"id":-1,"call":"app.info","payload":{}}',
      '{"id":1.5,"call":"app.info","payload":{}}',
      '{"id":"1","call":"app.info","payload":{}}',
      '{"id":1e999,"call":"app.info","payload":{}}',
      '{"id":1,"call":123,"payload":{}}',
      '{"id":1,"payload":{}}',
      `{"id":1,"call":"${'y'.repeat(101)}","payload":{}}`,
      '{"id":1,"call":"app.info","payload":{},"extra":true}',
      '{"__proto__":{"polluted":"yes"},"id":1,"call":"app.info","payload":{}}',
      '['.repeat(400_000) + ']'.repeat(400_000), // deeper than JSON.parse's stack
      Buffer.from([0, 1, 2, 3, 255]), // a binary frame
      Buffer.from(frame(1, 'app.info', '{}')), // a valid call, but binary
    ];
    for (const data of malformed) {
      const a = await client.send(data, null);
      expect(a.result).toEqual({ ok: false, error: { code: 'BAD_REQUEST', message: 'malformed message: expected {id, call, payload}' } });
    }
    // a burst of 200 calls without waiting: every one answered, in any order
    const burst = Array.from({ length: 200 }, () => nextId++);
    const answers = await Promise.all(burst.map((id) => client.send(frame(id, id % 2 ? 'runs.list' : 'app.info', '{}'), id)));
    expect(answers.every((a) => a.result.ok)).toBe(true);
    const id = nextId++;
    expect((await client.send(frame(id, 'app.info', '{}'), id)).result.ok).toBe(true);
    client.ws.close();
  });

  it('an oversized frame (2 MiB) closes that socket with 1009; the server keeps serving others', async () => {
    const client = await Client.open();
    client.ws.send(frame(nextId++, 'dataset.generate', JSON.stringify({ tickers: ['AAPL'], start: '2024-01-02', end: '2024-03-28', x: 'B'.repeat(2 << 20) })));
    expect(await client.closed).toBe(1009);
    const other = await Client.open();
    const id = nextId++;
    expect((await other.send(frame(id, 'app.info', '{}'), id)).result.ok).toBe(true);
    other.ws.close();
  });

  it('afterwards: the server answers, nothing outside the data folders changed, no prototype was polluted', async () => {
    const client = await Client.open();
    const id = nextId++;
    const info = await client.send(frame(id, 'app.info', '{}'), id);
    expect(info.result.ok).toBe(true);
    expect((info.result as { value: { version: string; allowedFolders: string[] } }).value).toMatchObject({ version: 'fuzz', allowedFolders: [data, allowed] });
    client.ws.close();
    const status = await new Promise<number>((resolve) =>
      http.get({ host: '127.0.0.1', port: server.port, path: '/' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }),
    );
    expect(status).toBe(200);

    expect(snapshot()).toEqual(before);
    expect(existsSync(escapeTarget)).toBe(false);
    expect(existsSync(`${data}-evil`)).toBe(false);

    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

    // the run store on disk is still a clean, fully readable document
    const store = openRunStore(Conf as unknown as BackingStoreClass, data);
    expect(store.notices).toEqual([]);
    expect(store.settings()).toEqual({ allowedFolders: [] });
  });
});
