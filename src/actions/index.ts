// The action registry, sorted by id. One action per file; its id is its file name.
import type { ActionDef } from './action.js';
import killAndRelaunch from './kill-and-relaunch.js';
import manual from './manual.js';
import reboot from './reboot.js';
import restartService from './restart-service.js';
import startProcess from './start-process.js';
import waitAndRecheck from './wait-and-recheck.js';

export const ACTIONS: readonly ActionDef[] = [killAndRelaunch, manual, reboot, restartService, startProcess, waitAndRecheck] as unknown as readonly ActionDef[];

const byId = new Map(ACTIONS.map((a) => [a.id, a]));

export function getAction(id: string): ActionDef | undefined {
  return byId.get(id);
}
