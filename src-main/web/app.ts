/**
 * Browser mode: the built renderer served on 127.0.0.1 and the contract carried over a WebSocket at
 * `/api`, answered by the same workbench service the Electron app uses. Requests and upgrades from
 * any other origin are refused.
 */
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, WebSocket } from 'ws';
import { z } from 'zod';
import { RENDERER_CSP, type EventName, type EventOf } from '../../src-preload/contract';
import { toErrorPayload } from '../core/errors';
import type { CallContext, WorkbenchService } from '../services/workbench';
import { isOwnHost, isOwnOrigin } from './origin';

export interface WebServerOptions {
  service: WorkbenchService;
  /** folder with the built renderer (index.html) */
  rendererDir: string;
  /** 0 = any free port */
  port: number;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

/** A call frame from the page. Anything else is answered with BAD_REQUEST and changes nothing. */
const CallFrame = z.object({ id: z.number().int().min(0), call: z.string().max(100), payload: z.unknown() }).strict();

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const root = path.resolve(opts.rendererDir);
  let port = opts.port;
  const sockets = new Set<WebSocket>();

  const server = http.createServer((req, res) => {
    void serveStatic(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, SECURITY_HEADERS);
      res.end('internal error');
    });
  });

  async function serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!isOwnHost(req.headers.host, port) || (req.headers.origin !== undefined && !isOwnOrigin(req.headers.origin, port))) {
      res.writeHead(403, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
      res.end('forbidden: foreign host or origin');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...SECURITY_HEADERS, Allow: 'GET, HEAD' });
      res.end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    } catch {
      res.writeHead(400, SECURITY_HEADERS);
      res.end('bad path');
      return;
    }
    const file = path.resolve(root, '.' + (pathname.endsWith('/') ? pathname + 'index.html' : pathname));
    const rel = path.relative(root, file);
    if (rel.startsWith('..') || path.isAbsolute(rel) || pathname.includes('\0')) {
      res.writeHead(403, SECURITY_HEADERS);
      res.end('forbidden');
      return;
    }
    let stat;
    try {
      stat = await fs.stat(file);
    } catch {
      stat = null;
    }
    if (!stat?.isFile()) {
      if (pathname === '/' || pathname === '/index.html') {
        res.writeHead(503, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`The renderer is not built (${path.join(root, 'index.html')} is missing). Run: npm run build`);
        return;
      }
      res.writeHead(404, { ...SECURITY_HEADERS, 'Content-Type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    let pathname = '';
    try {
      pathname = new URL(req.url ?? '', 'http://127.0.0.1').pathname;
    } catch {
      // refused below
    }
    if (pathname !== '/api' || !isOwnHost(req.headers.host, port) || !isOwnOrigin(req.headers.origin, port)) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws) => {
    sockets.add(ws);
    const send = (msg: unknown): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    };
    const ctx: CallContext = {
      emit<E extends EventName>(event: E, payload: EventOf<E>) {
        send({ event, payload });
      },
      alive: () => ws.readyState === WebSocket.OPEN,
    };
    ws.on('message', (data, isBinary) => {
      let frame: z.infer<typeof CallFrame>;
      try {
        if (isBinary) throw new Error('binary frame');
        const parsed = CallFrame.safeParse(JSON.parse(String(data)));
        if (!parsed.success) throw new Error('malformed frame');
        frame = parsed.data;
      } catch {
        send({ id: null, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'malformed message: expected {id, call, payload}' } } });
        return;
      }
      void opts.service.handle(frame.call, frame.payload, ctx).then(
        (result) => send({ id: frame.id, result }),
        // handle() answers every failure itself; this only guards the socket against a bug there
        (err: unknown) => send({ id: frame.id, result: { ok: false, error: toErrorPayload(err) } }),
      );
    });
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
