/**
 * Run history and settings, persisted in one JSON file through `conf` (browser mode, tests) or
 * `electron-store` (the app; it is built on conf). Both classes are passed in, so this module never
 * imports Electron. The document carries a `version`; older documents are migrated on open, an
 * unreadable one is moved aside as `<file>.corrupt-<time>` and the store starts empty, with a notice
 * for `app.info`. conf writes atomically (temp file + rename).
 */
import { constants as fsConstants, promises as fs, readFileSync, renameSync, copyFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { RunRecordSchema, type RunRecord } from '../../src-preload/contract';

export const STORE_VERSION = 1;

const SettingsSchema = z.object({
  /** folders the user picked in a dialog; requests may name paths inside them */
  allowedFolders: z.array(z.string()).default([]),
});
export type Settings = z.infer<typeof SettingsSchema>;

const StoreDocSchema = z.object({
  version: z.literal(STORE_VERSION),
  runs: z.array(z.unknown()),
  settings: SettingsSchema.prefault({}),
});
type StoreDoc = z.infer<typeof StoreDocSchema>;

/** What conf and electron-store have in common (the part used here). */
export interface BackingStore {
  store: Record<string, unknown>;
  readonly path: string;
}
export interface BackingStoreOptions {
  cwd: string;
  /** conf's name for the file */
  configName: string;
  /** electron-store's name for the file */
  name: string;
  clearInvalidConfig: boolean;
  accessPropertiesByDotNotation: boolean;
}
export type BackingStoreClass = new (options: BackingStoreOptions) => BackingStore;

export interface RunStore {
  readonly path: string;
  /** what happened on open (migration, corrupt file moved aside, interrupted runs) */
  readonly notices: string[];
  list(): RunRecord[];
  get(id: string): RunRecord | undefined;
  /** insert or replace by id */
  put(run: RunRecord): void;
  delete(id: string): boolean;
  settings(): Settings;
  setSettings(settings: Settings): void;
}

/**
 * Migrations from each older version to the next. v0 = the unversioned file of early builds
 * (`{ runs: [...] }`, no settings).
 */
const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {
  0: (doc) => ({ version: 1, runs: Array.isArray(doc.runs) ? doc.runs : [], settings: { allowedFolders: [] } }),
};

export function migrateDoc(raw: unknown): { doc: StoreDoc; migratedFrom: number | null } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a JSON object');
  let doc = raw as Record<string, unknown>;
  const start = doc.version === undefined ? 0 : doc.version;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 0) throw new Error(`bad version ${String(start)}`);
  if (start > STORE_VERSION) throw new Error(`written by a newer version of the workbench (store version ${start})`);
  for (let v = start; v < STORE_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new Error(`no migration from store version ${v}`);
    doc = step(doc);
  }
  const parsed = StoreDocSchema.safeParse(doc);
  if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid store');
  return { doc: parsed.data, migratedFrom: start === STORE_VERSION ? null : start };
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

export function openRunStore(
  StoreClass: BackingStoreClass,
  dir: string,
  options: { name?: string; now?: () => Date } = {},
): RunStore {
  const name = options.name ?? 'workbench';
  const now = options.now ?? (() => new Date());
  const file = path.join(dir, `${name}.json`);
  const notices: string[] = [];

  // Read and check the file ourselves first: conf would throw on bad JSON (or wipe it silently).
  let doc: StoreDoc = { version: STORE_VERSION, runs: [], settings: { allowedFolders: [] } };
  let text: string | null = null;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let rewrite = false;
  if (text !== null) {
    try {
      const { doc: migrated, migratedFrom } = migrateDoc(JSON.parse(text));
      doc = migrated;
      if (migratedFrom !== null) {
        notices.push(`Run history updated from store version ${migratedFrom} to ${STORE_VERSION}.`);
        rewrite = true;
      }
    } catch (err) {
      const aside = `${file}.corrupt-${stamp(now())}`;
      renameSync(file, aside);
      notices.push(
        `The run history file could not be read (${(err as Error).message}); it was moved to ${aside} and the workbench started with an empty history.`,
      );
    }
  }

  // Keep every readable run; an unreadable record is dropped, with a copy of the file kept aside.
  const runs: RunRecord[] = [];
  let dropped = 0;
  const droppedIds: string[] = [];
  for (const r of doc.runs) {
    const parsed = RunRecordSchema.safeParse(r);
    if (parsed.success) runs.push(parsed.data);
    else {
      dropped++;
      const id = (r as { id?: unknown } | null)?.id;
      if (typeof id === 'string') droppedIds.push(id.slice(0, 64));
    }
  }
  if (dropped > 0) {
    const aside = `${file}.corrupt-${stamp(now())}`;
    copyFileSync(file, aside);
    const which = droppedIds.length ? ` (${droppedIds.join(', ')})` : '';
    notices.push(`${dropped} unreadable run record(s) were dropped${which}; the original file was kept as ${aside}.`);
    rewrite = true;
  }
  // A run still "running" in the file means the workbench stopped while it trained.
  let interrupted = 0;
  for (const r of runs) {
    if (r.status === 'running') {
      r.status = 'failed';
      r.finished = r.finished ?? now().toISOString();
      r.error = { code: 'INTERNAL', message: 'the workbench stopped while this run was training' };
      interrupted++;
      rewrite = true;
    }
  }
  if (interrupted > 0) notices.push(`${interrupted} run(s) were interrupted when the workbench last stopped.`);

  const backing = new StoreClass({
    cwd: dir,
    configName: name,
    name,
    clearInvalidConfig: false,
    accessPropertiesByDotNotation: false,
  });
  let settings = doc.settings;

  function save(): void {
    const out: StoreDoc = { version: STORE_VERSION, runs, settings };
    backing.store = out as unknown as Record<string, unknown>;
  }
  if (rewrite || text === null) save();

  return {
    path: backing.path,
    notices,
    list: () => runs.map((r) => structuredClone(r)),
    get: (id) => {
      const r = runs.find((x) => x.id === id);
      return r ? structuredClone(r) : undefined;
    },
    put: (run) => {
      const valid = RunRecordSchema.parse(run);
      const i = runs.findIndex((x) => x.id === run.id);
      if (i >= 0) runs[i] = valid;
      else runs.push(valid);
      save();
    },
    delete: (id) => {
      const i = runs.findIndex((x) => x.id === id);
      if (i < 0) return false;
      runs.splice(i, 1);
      save();
      return true;
    },
    settings: () => structuredClone(settings),
    setSettings: (s) => {
      settings = SettingsSchema.parse(s);
      save();
    },
  };
}

/** Make sure the data folder exists and is writable before a store opens in it. */
export async function ensureWritableFolder(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.access(dir, fsConstants.W_OK);
}
