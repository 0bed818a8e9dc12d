/**
 * Is a user-supplied path inside one of the allowed folders? Decided on resolved real paths
 * (path.resolve + realpath, so `..` and symlinks cannot step outside) and compared by path
 * segments with path.relative — never by string prefix ("/data-evil" is not inside "/data").
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { WorkbenchError } from '../core/errors';

/** realpath of `p`, or of its nearest existing ancestor with the missing rest appended (for outputs not yet created). */
export async function realpathLoose(p: string): Promise<string> {
  const abs = path.resolve(p);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    try {
      const real = await fs.realpath(cur);
      return missing.length ? path.join(real, ...missing.reverse()) : real;
    } catch (err) {
      // ENOTDIR: a part of the path is a file; containment is still decided on the real parent
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
      const parent = path.dirname(cur);
      if (parent === cur) return abs;
      missing.push(path.basename(cur));
      cur = parent;
    }
  }
}

export function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * Resolve `p` and require it inside an allowed folder. `mustExist` for inputs (files/folders to read);
 * outputs may not exist yet. Containment is checked before existence, so a refused path reveals
 * nothing about what exists outside the allowed folders. Returns the real path to use.
 */
export async function checkAllowedPath(
  p: string,
  allowed: readonly string[],
  opts: { mustExist: boolean; what: string },
): Promise<string> {
  const real = await realpathLoose(p);
  let inside = false;
  for (const folder of allowed) {
    if (isInside(real, await realpathLoose(folder))) {
      inside = true;
      break;
    }
  }
  if (!inside) {
    throw new WorkbenchError('BAD_REQUEST', `${opts.what} ${p} is outside the allowed folders (${allowed.join(', ') || 'none'})`);
  }
  if (opts.mustExist) {
    try {
      await fs.stat(real);
    } catch {
      throw new WorkbenchError('NOT_FOUND', `${opts.what} ${p} does not exist`);
    }
  }
  return real;
}
