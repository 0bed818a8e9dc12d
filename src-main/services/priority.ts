import os from 'node:os';

/**
 * Training processes run at a lower scheduling priority than the app: on a 2-core machine two
 * trainers would otherwise take every cycle from the window and the main process, and switching
 * views would stall. Training still gets all idle CPU.
 */
export const TRAINER_NICENESS = 10;

export function lowerPriority(pid: number | undefined): void {
  if (!pid) return;
  try {
    os.setPriority(pid, TRAINER_NICENESS);
  } catch {
    // not permitted on this system: training simply competes at normal priority
  }
}
