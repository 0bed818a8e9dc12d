import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAllowedPath, isInside } from '../../src-main/services/paths';

let root: string;
let allowed: string;
beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'stw-paths-')));
  allowed = path.join(root, 'data');
  mkdirSync(path.join(allowed, 'prices'), { recursive: true });
  mkdirSync(path.join(root, 'data-evil'));
  mkdirSync(path.join(root, 'secret'));
  writeFileSync(path.join(root, 'secret', 'keys.csv'), 'x');
  symlinkSync(path.join(root, 'secret'), path.join(allowed, 'link-out'));
});

describe('isInside', () => {
  it('compares path segments, not string prefixes', () => {
    expect(isInside('/data/prices', '/data')).toBe(true);
    expect(isInside('/data', '/data')).toBe(true);
    expect(isInside('/data-evil/x', '/data')).toBe(false);
    expect(isInside('/data/../etc', '/data')).toBe(false);
    expect(isInside('/', '/data')).toBe(false);
    expect(isInside('/data/..x', '/data')).toBe(true); // a folder literally named "..x"
  });
});

describe('checkAllowedPath', () => {
  const input = { mustExist: true, what: 'prices path' };
  it('accepts a folder inside an allowed folder and returns its real path', async () => {
    await expect(checkAllowedPath(path.join(allowed, 'prices'), [allowed], input)).resolves.toBe(path.join(allowed, 'prices'));
    await expect(checkAllowedPath(path.join(allowed, 'prices', '..', 'prices'), [allowed], input)).resolves.toBe(
      path.join(allowed, 'prices'),
    );
  });

  it.each([
    ['a sibling sharing the prefix', () => path.join(root, 'data-evil')],
    ['a parent escape with ..', () => path.join(allowed, '..', 'secret')],
    ['a symlink leading outside', () => path.join(allowed, 'link-out', 'keys.csv')],
    ['a system folder', () => '/etc'],
  ])('refuses %s', async (_label, p) => {
    await expect(checkAllowedPath(p(), [allowed], input)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('refuses an outside path that does not exist with the same error (reveals nothing)', async () => {
    await expect(checkAllowedPath('/no/such/place', [allowed], input)).rejects.toMatchObject({
      code: 'BAD_REQUEST',
    });
  });

  it('reports a missing input inside the allowed folder as NOT_FOUND, and lets outputs not exist yet', async () => {
    await expect(checkAllowedPath(path.join(allowed, 'nope'), [allowed], input)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(checkAllowedPath(path.join(allowed, 'exports', 'new'), [allowed], { mustExist: false, what: 'export folder' })).resolves.toBe(
      path.join(allowed, 'exports', 'new'),
    );
  });
});
