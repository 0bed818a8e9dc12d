import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appLocationFromDevUrl, appLocationFromFile, isTrustedUrl } from '../../src-main/app/trusted-url';

const index = path.resolve('/opt/workbench/out/renderer/index.html');
const fileApp = appLocationFromFile(index);
const devApp = appLocationFromDevUrl('http://localhost:5173/');

describe('isTrustedUrl (Electron sender and navigation checks)', () => {
  it.each([
    [pathToFileURL(index).href, true],
    [pathToFileURL(index).href + '#/train', true],
    [pathToFileURL(index).href + '?view=runs', true],
    ['file:///opt/workbench/out/renderer/../renderer/index.html', true],
    ['file:///opt/workbench/out/renderer/other.html', false],
    ['file:///etc/passwd', false],
    ['file://evil.example/opt/workbench/out/renderer/index.html', false],
    ['file:///opt/workbench/out/renderer/index.html.evil', false],
    ['http://localhost:5173/', false],
    ['javascript:alert(1)', false],
    ['about:blank', false],
    ['', false],
    ['not a url', false],
  ])('file app: %s → %s', (url, ok) => expect(isTrustedUrl(url, fileApp)).toBe(ok));

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/index.html#x', true],
    ['http://localhost:5173.evil.com/', false],
    ['http://localhost:5173@evil.com/', false],
    ['http://evil.com/?http://localhost:5173/', false],
    ['http://user:pw@localhost:5173/', false],
    ['https://localhost:5173/', false],
    ['http://localhost:5174/', false],
    ['http://127.0.0.1:5173/', false],
    [pathToFileURL(index).href, false],
  ])('dev server app: %s → %s', (url, ok) => expect(isTrustedUrl(url, devApp)).toBe(ok));

  it('refuses a dev URL that is not http(s)', () => {
    expect(() => appLocationFromDevUrl('file:///x')).toThrow();
  });
});
