// The probe registry, sorted by id. One probe per file; its id is its file name.
import type { ProbeDef } from './probe.js';
import ask from './ask.js';
import fileExists from './file-exists.js';
import journyxStuckSession from './journyx-stuck-session.js';
import logTimestampFresh from './log-timestamp-fresh.js';
import machineAwake from './machine-awake.js';
import networkReachable from './network-reachable.js';
import processResponding from './process-responding.js';
import processRunning from './process-running.js';
import quickbooksInUse from './quickbooks-in-use.js';
import quickbooksRunning from './quickbooks-running.js';
import quickbooksUserConflict from './quickbooks-user-conflict.js';
import qwcErrors from './qwc-errors.js';
import qwcLastCycle from './qwc-last-cycle.js';
import qwcSchedule from './qwc-schedule.js';
import serviceRunning from './service-running.js';
import sharedMachine from './shared-machine.js';
import sleepSettings from './sleep-settings.js';
import userSession from './user-session.js';

export const PROBES: readonly ProbeDef[] = [
  ask,
  fileExists,
  journyxStuckSession,
  logTimestampFresh,
  machineAwake,
  networkReachable,
  processResponding,
  processRunning,
  quickbooksInUse,
  quickbooksRunning,
  quickbooksUserConflict,
  qwcErrors,
  qwcLastCycle,
  qwcSchedule,
  serviceRunning,
  sharedMachine,
  sleepSettings,
  userSession,
] as unknown as readonly ProbeDef[];

const byId = new Map(PROBES.map((p) => [p.id, p]));

export function getProbe(id: string): ProbeDef | undefined {
  return byId.get(id);
}
