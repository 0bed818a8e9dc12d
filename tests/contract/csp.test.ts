import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP, RENDERER_CSP_META } from '../../src-preload/contract';

describe('Content-Security-Policy', () => {
  it('index.html carries the contract meta CSP verbatim (no frame-ancestors: browsers ignore it in meta)', () => {
    const html = readFileSync(path.resolve(import.meta.dirname, '../../src-renderer/index.html'), 'utf8');
    const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html);
    expect(m?.[1]).toBe(RENDERER_CSP_META);
  });

  it('allows no remote content, inline or eval scripts, plugins or framing', () => {
    const directives = new Map(RENDERER_CSP.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k!, v]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:*']);
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|https?:\/\/|\*\.|data: *;.*script/);
  });
});
