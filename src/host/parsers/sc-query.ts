// `sc query NAME` / `sc queryex NAME` output → one service's state. Labels and state words may be
// localised, so the state is its number, and labels are backed by position (the STATE line is
// the one followed by a parenthesised list of accepted controls).
import { HostError } from '../../core/errors.js';

export type ScStateName =
  | 'stopped'
  | 'start-pending'
  | 'stop-pending'
  | 'running'
  | 'continue-pending'
  | 'pause-pending'
  | 'paused';

export interface ScQueryResult {
  installed: boolean;
  name: string | null;
  state: number | null;
  stateName: ScStateName | null;
  pid: number | null;
  win32ExitCode: number | null;
  /** SERVICE_EXIT_CODE: the service's own code, meaningful when win32ExitCode is 1066 (ERROR_SERVICE_SPECIFIC_ERROR). */
  serviceExitCode: number | null;
  problems: string[];
}

/** SERVICE_STATUS.dwCurrentState: 1..7. */
const STATE_NAMES: readonly ScStateName[] = [
  'stopped',
  'start-pending',
  'stop-pending',
  'running',
  'continue-pending',
  'pause-pending',
  'paused',
];

/** Win32 errors sc reports: the service does not exist; access denied. */
const ERROR_SERVICE_DOES_NOT_EXIST = 1060;
const ERROR_ACCESS_DENIED = 5;

interface Labelled {
  index: number; // line number (0-based)
  indent: number;
  label: string;
  value: string;
}

/**
 * Exit 1060 or `FAILED 1060` → not installed. Exit 5 or `FAILED 5` → HostError 'access-denied'.
 * Any other non-zero exit, or another `[SC] ... FAILED n:` line → HostError 'failed'.
 */
export function parseScQuery(exitCode: number, stdout: string): ScQueryResult {
  const failure = scFailure(stdout);
  if (exitCode === ERROR_SERVICE_DOES_NOT_EXIST || failure === ERROR_SERVICE_DOES_NOT_EXIST) {
    return { installed: false, name: null, state: null, stateName: null, pid: null, win32ExitCode: null, serviceExitCode: null, problems: [] };
  }
  const why = firstLine(stdout) || 'no output';
  if (exitCode === ERROR_ACCESS_DENIED || failure === ERROR_ACCESS_DENIED) {
    throw new HostError(`sc query: access denied (${why})`, 'access-denied');
  }
  if (exitCode !== 0 || failure !== null) {
    throw new HostError(`sc query exited with ${exitCode}: ${why}`, 'failed');
  }
  return readBlock(stdout.replace(/^\uFEFF/, '').split(/\r?\n/));
}

/** The Win32 error number in `[SC] OpenService FAILED 1060:` (the word FAILED may be localised). */
function scFailure(stdout: string): number | null {
  const m = /\bFAILED\s+(\d+)/i.exec(stdout) ?? /^[ \t]*\[SC\][^\r\n]*?[ \t](\d+)[ \t]*:/m.exec(stdout);
  return m ? Number(m[1]) : null;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** Reads the first service block (an enumeration lists several; we asked for one). */
function readBlock(lines: string[]): ScQueryResult {
  const problems: string[] = [];
  const labelled = firstBlock(labelledLines(lines));
  const isControls = (i: number): boolean => /^\s*\(.*\)\s*$/.test(nextNonBlank(lines, i) ?? '');
  const nameLine = labelled.find((l) => /^SERVICE_NAME$/i.test(l.label)) ?? labelled.find((l) => l.indent === 0);
  const stateLine = byLabel(labelled, 'STATE') ?? labelled.find((l) => isControls(l.index));
  const stateAt = stateLine ? labelled.indexOf(stateLine) : -1;
  // WIN32_EXIT_CODE follows STATE; the position backs up a localised label.
  const exitLine = byLabel(labelled, 'WIN32_EXIT_CODE') ?? (stateAt >= 0 ? labelled[stateAt + 1] : undefined);
  // SERVICE_EXIT_CODE follows WIN32_EXIT_CODE (the same backing for a localised label).
  const serviceExitLine = byLabel(labelled, 'SERVICE_EXIT_CODE') ?? (exitLine ? labelled[labelled.indexOf(exitLine) + 1] : undefined);
  const state = stateLine ? leadingNumber(stateLine.value) : null;
  if (state === null) problems.push('no STATE number found');
  return {
    installed: true,
    name: nameLine && nameLine.value !== '' ? nameLine.value : null,
    state,
    stateName: state !== null ? (STATE_NAMES[state - 1] ?? null) : null,
    pid: leadingNumber(byLabel(labelled, 'PID')?.value ?? ''),
    win32ExitCode: leadingNumber(exitLine?.value ?? ''),
    serviceExitCode: leadingNumber(serviceExitLine?.value ?? ''),
    problems,
  };
}

/** `LABEL : value` lines. `SERVICE_NAME:` and `SERVICE_NAME       :` both match. */
function labelledLines(lines: string[]): Labelled[] {
  const out: Labelled[] = [];
  lines.forEach((line, index) => {
    // indexOf rather than a regex: linear on any input.
    const colon = line.indexOf(':');
    const label = line.slice(0, colon).trim();
    if (colon < 0 || label === '' || label.startsWith('(')) return;
    const indent = line.length - line.trimStart().length;
    out.push({ index, indent, label, value: line.slice(colon + 1).trim() });
  });
  return out;
}

/** Up to the next unindented label that follows indented ones (the next service). */
function firstBlock(labelled: Labelled[]): Labelled[] {
  let seenIndented = false;
  const end = labelled.findIndex((l) => {
    if (l.indent > 0) seenIndented = true;
    return l.indent === 0 && seenIndented;
  });
  return end === -1 ? labelled : labelled.slice(0, end);
}

function byLabel(labelled: Labelled[], label: string): Labelled | undefined {
  return labelled.find((l) => l.label.toUpperCase() === label);
}

function nextNonBlank(lines: string[], i: number): string | undefined {
  for (let j = i + 1; j < lines.length; j++) if ((lines[j] ?? '').trim() !== '') return lines[j];
  return undefined;
}

/** `4  RUNNING` → 4; `0  (0x0)` → 0; `1234` → 1234. */
function leadingNumber(value: string): number | null {
  const m = /^(\d+)\b/.exec(value.trim());
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}
