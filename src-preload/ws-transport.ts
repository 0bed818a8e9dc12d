/**
 * Browser-mode transport: the contract carried over one WebSocket to `/api` of the page's own origin.
 * Wire format (JSON text frames):
 *   client → server  { id: number, call: CallName, payload: unknown }
 *   server → client  { id: number, result: Envelope }      (answer to a call)
 *                    { event: EventName, payload: unknown } (pushed event)
 * The socket reconnects after a drop (e.g. the server restarted). Calls in flight, and calls queued
 * while no connection is open, fail with INTERNAL "connection lost" whenever a connection closes or
 * an attempt fails — they are dropped, never sent later behind the caller's back.
 * Importable by the renderer: no Node modules here.
 */
import type { CallName, EventName, Transport } from './contract';

/** The part of the WHATWG WebSocket this transport uses (browser WebSocket and the `ws` package both fit). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;

export interface WsTransportOptions {
  /** defaults to the global WebSocket (browsers) */
  socket?: SocketFactory;
  /** first reconnect delay; doubles up to 4 s */
  retryMs?: number;
}

export interface WsTransport extends Transport {
  close(): void;
}

/** `url` defaults to ws://<page host>/api. */
export function wsTransport(url?: string, options: WsTransportOptions = {}): WsTransport {
  const target = url ?? defaultUrl();
  const make: SocketFactory =
    options.socket ??
    ((u) => new (globalThis as unknown as { WebSocket: new (u: string) => SocketLike }).WebSocket(u));
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: SocketLike | null = null;
  let closed = false;
  let delay = options.retryMs ?? 250;

  function connect(): void {
    const s = make(target);
    socket = s;
    s.onopen = () => {
      delay = options.retryMs ?? 250;
      for (const frame of queue.splice(0)) s.send(frame);
    };
    s.onmessage = (ev) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (!msg || typeof msg !== 'object') return;
      const m = msg as { id?: unknown; result?: unknown; event?: unknown; payload?: unknown };
      if (typeof m.id === 'number') {
        const p = pending.get(m.id);
        if (p) {
          pending.delete(m.id);
          p.resolve(m.result);
        }
      } else if (typeof m.event === 'string') {
        for (const cb of listeners.get(m.event) ?? []) cb(m.payload);
      }
    };
    s.onerror = () => {};
    s.onclose = () => {
      if (socket === s) socket = null;
      queue.length = 0;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.resolve({ ok: false, error: { code: 'INTERNAL', message: 'connection to the workbench server lost' } });
      }
      if (!closed) {
        setTimeout(connect, delay);
        delay = Math.min(delay * 2, 4000);
      }
    };
  }
  connect();

  return {
    invoke(channel: CallName, payload: unknown): Promise<unknown> {
      const id = nextId++;
      const frame = JSON.stringify({ id, call: channel, payload });
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        if (socket && socket.readyState === OPEN) socket.send(frame);
        else queue.push(frame);
      });
    },
    subscribe(event: EventName, cb: (payload: unknown) => void): () => void {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => {
        set.delete(cb);
      };
    },
    close(): void {
      closed = true;
      socket?.close();
    },
  };
}

function defaultUrl(): string {
  const loc = (globalThis as unknown as { location?: { protocol: string; host: string } }).location;
  if (!loc) throw new Error('wsTransport: no url given and no page location');
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}
