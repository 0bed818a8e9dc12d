/**
 * Training jobs in Electron: each one an `utilityProcess` running the bundled trainer entry, adapted
 * to the core's TrainerPort. Every child is tracked so quitting the app kills them.
 */
import { utilityProcess, type UtilityProcess } from 'electron';
import { portFromUtilityProcess } from '../core/jobs/ports';
import type { TrainerPort } from '../services/engine';
import { lowerPriority } from '../services/priority';

export interface TrainerPool {
  spawn(): TrainerPort;
  killAll(): void;
}

export function setupTrainers(entry: string): TrainerPool {
  const children = new Set<UtilityProcess>();
  return {
    spawn(): TrainerPort {
      const child = utilityProcess.fork(entry, [], { serviceName: 'Stock Trend trainer', stdio: 'pipe' });
      children.add(child);
      child.once('spawn', () => lowerPriority(child.pid));
      child.stdout?.on('data', (d: Buffer) => process.stdout.write(`[trainer ${child.pid ?? '?'}] ${d.toString()}`));
      child.on('exit', () => children.delete(child));
      return portFromUtilityProcess(child);
    },
    killAll(): void {
      for (const child of children) child.kill();
      children.clear();
    },
  };
}
