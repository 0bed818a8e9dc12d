import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** Write a file atomically: a temporary sibling is written and fsynced, then renamed over the target. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Replace a whole directory atomically: `fill` writes into a fresh temporary sibling; only when it
 * finished is the old directory moved aside and the new one renamed into place. A crash at any point
 * leaves either the previous directory or the new one, never half of one.
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const tmp = path.join(parent, `.${path.basename(dir)}.${tag}.tmp`);
  const old = path.join(parent, `.${path.basename(dir)}.${tag}.old`);
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  let hadOld = false;
  try {
    await fs.rename(dir, old);
    hadOld = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.rename(tmp, dir);
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}
