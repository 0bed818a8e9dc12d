/**
 * Browser mode entry (run with tsx): `tsx src-main/web/server.ts [--port 5317] [--data DIR] [--allow DIR]…`
 * Serves out/renderer on 127.0.0.1 and the contract over ws://127.0.0.1:<port>/api; run history and
 * settings live in a `conf` store in the data folder.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import Conf from 'conf';
import { forkTrainer } from '../core/jobs/ports';
import { expectedBackend } from '../services/backend-probe';
import { loadEngine } from '../services/engine';
import { ensureWritableFolder, openRunStore, type BackingStoreClass } from '../services/store';
import { lowerPriority } from '../services/priority';
import { readVersion } from '../services/version';
import { createWorkbenchService } from '../services/workbench';
import { startWebServer } from './app';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_PORT = 5317;
export const DEFAULT_DATA_FOLDER = path.join(os.homedir(), '.stock-trend-workbench');

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number 0..65535');
  return n;
}

async function main(): Promise<void> {
  const program = new Command()
    .name('stock-trend-web')
    .description('Stock Trend Workbench in the browser (served on 127.0.0.1 only)')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', portNumber, DEFAULT_PORT)
    .option('--data <dir>', 'data folder (run history, runs, exports); default STW_DATA_DIR, else ~/.stock-trend-workbench', process.env.STW_DATA_DIR || DEFAULT_DATA_FOLDER)
    .option('--allow <dir>', 'another folder requests may read from or write to (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--renderer <dir>', 'built renderer folder', path.join(ROOT, 'out', 'renderer'))
    .parse();
  const opts = program.opts<{ port: number; data: string; allow: string[]; renderer: string }>();

  const dataFolder = path.resolve(opts.data);
  try {
    await ensureWritableFolder(dataFolder);
  } catch (err) {
    console.error(`The data folder ${dataFolder} cannot be written (${(err as Error).message}); choose another with --data DIR.`);
    process.exit(1);
  }
  const store = openRunStore(Conf as unknown as BackingStoreClass, dataFolder);
  const service = createWorkbenchService({
    mode: 'web',
    version: readVersion(ROOT),
    dataFolder,
    extraAllowedFolders: opts.allow.map((d) => path.resolve(d)),
    store,
    engine: loadEngine,
    spawnTrainer: () => {
      const port = forkTrainer();
      lowerPriority(port.pid);
      return port;
    },
    expectedBackend: expectedBackend(),
  });
  await loadEngine(); // first call answers fast
  const server = await startWebServer({ service, rendererDir: opts.renderer, port: opts.port });
  for (const notice of store.notices) console.log(`notice: ${notice}`);
  console.log(`Stock Trend Workbench (browser mode): ${server.url}`);
  console.log(`data folder: ${dataFolder}`);

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await service.shutdown();
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') console.error(`The port is already in use; choose another with --port N.`);
  else console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
