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
 * leaves either the previous directory or the new one, never half of one — though a kill between the
 * two renames leaves the previous one under its aside name; `recoverDir` (run first here, and by
 * readers such as loadModel) puts it back.
 */
export async function replaceDirAtomic(dir: string, fill: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = path.dirname(dir);
  await fs.mkdir(parent, { recursive: true });
  await recoverDir(dir);
  const tag = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const tmp = path.join(parent, `.${path.basename(dir)}.${tag}.tmp`);
  await fs.mkdir(tmp, { recursive: true });
  try {
    await fill(tmp);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  await moveDirIntoPlace(tmp, dir, tag);
}

/**
 * The finished folder `from` becomes `dir`: the previous `dir` is renamed aside
 * (`.<name>.<tag>.old`, which recoverDir knows), `from` renamed into place, the aside copy removed.
 */
async function moveDirIntoPlace(from: string, dir: string, tag: string): Promise<void> {
  const old = path.join(path.dirname(dir), `.${path.basename(dir)}.${tag}.old`);
  let hadOld = false;
  try {
    await fs.rename(dir, old);
    hadOld = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.rename(from, dir);
  if (hadOld) await fs.rm(old, { recursive: true, force: true });
}

/** Is process `pid` alive? (EPERM: it exists but belongs to someone else.) */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Undo what a process killed inside `replaceDirAtomic(dir)` left behind: if `dir` is missing but a
 * dead writer's `.<name>.<pid>.<hex>.old` exists, that previous version is renamed back; a dead
 * writer's other leftovers (unfinished `.tmp` fills, stale `.old` copies) are removed. Siblings of
 * live processes (including this one) are left alone: they may be mid-replace. Returns what it did.
 */
export async function recoverDir(dir: string): Promise<{ restored: string | null; removed: string[] }> {
  const parent = path.dirname(dir);
  const base = path.basename(dir);
  let entries: string[];
  try {
    entries = await fs.readdir(parent);
  } catch {
    return { restored: null, removed: [] };
  }
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${escaped}\\.(\\d+)\\.[0-9a-f]+\\.(tmp|old)$`);
  const dead: { name: string; kind: string; mtime: number }[] = [];
  for (const name of entries) {
    const m = pattern.exec(name);
    if (!m || processAlive(Number(m[1]))) continue;
    const stat = await fs.stat(path.join(parent, name)).catch(() => null);
    if (stat?.isDirectory()) dead.push({ name, kind: m[2]!, mtime: stat.mtimeMs });
  }
  let restored: string | null = null;
  const dirExists = await fs.stat(dir).then(
    () => true,
    () => false,
  );
  if (!dirExists) {
    // the newest aside copy is the version that was in place when the writer died
    const old = dead.filter((d) => d.kind === 'old').sort((a, b) => b.mtime - a.mtime)[0];
    if (old) {
      await fs.rename(path.join(parent, old.name), dir);
      restored = old.name;
    }
  }
  const removed: string[] = [];
  for (const d of dead) {
    if (d.name === restored) continue;
    await fs.rm(path.join(parent, d.name), { recursive: true, force: true });
    removed.push(d.name);
  }
  return { restored, removed };
}

/**
 * A run's output is written into a staging folder inside `dir` (`.staging.<pid>.<hex>`) and moved
 * into `dir` only once it is complete: a run that is cancelled, fails or is killed leaves `dir` as it
 * was (a finished earlier run in the same folder stays usable). Publishing moves entry by entry —
 * files by rename, folders by replaceDirAtomic's rename-aside — so each entry is either old or new.
 * Staging folders of dead processes are removed by the next run.
 */
export async function withStagingDir<T>(dir: string, work: (staging: string) => Promise<T>): Promise<T> {
  await fs.mkdir(dir, { recursive: true });
  await removeDeadStaging(dir);
  const staging = path.join(dir, `.staging.${process.pid}.${randomBytes(4).toString('hex')}`);
  await fs.mkdir(staging);
  try {
    const result = await work(staging);
    await publishDir(staging, dir);
    return result;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

async function publishDir(staging: string, dir: string): Promise<void> {
  for (const entry of await fs.readdir(staging, { withFileTypes: true })) {
    const from = path.join(staging, entry.name);
    const to = path.join(dir, entry.name);
    if (!entry.isDirectory()) {
      await fs.rename(from, to);
      continue;
    }
    await recoverDir(to);
    await moveDirIntoPlace(from, to, `${process.pid}.${randomBytes(4).toString('hex')}`);
  }
}

async function removeDeadStaging(dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    const m = /^\.staging\.(\d+)\.[0-9a-f]+$/.exec(name);
    if (m && !processAlive(Number(m[1]))) await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}
