// `reg query KEY [/v NAME]` output → the key and its values. A value line is 4 spaces, name,
// 4 spaces, REG_<TYPE>, 4 spaces, data; names and data may contain spaces and data may be empty.
import { HostError } from '../../core/errors.js';

export interface RegValue {
  name: string;
  type: string; // REG_SZ, REG_DWORD, ... (never localised)
  data: string; // as printed: DWORD/QWORD as 0x hex, MULTI_SZ items joined by a literal \0
}

export interface RegQueryResult {
  found: boolean;
  key: string | null;
  values: RegValue[];
  problems: string[];
}

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

/**
 * Exit 0 → the key and the values under it. Exit 1 with nothing on stdout → absent (missing key
 * or value; access denied looks the same). Any other non-zero exit → HostError 'failed'.
 */
export function parseRegQuery(exitCode: number, stdout: string, stderr: string): RegQueryResult {
  if (exitCode === 1 && stdout.trim() === '') return { found: false, key: null, values: [], problems: [] };
  if (exitCode !== 0) {
    const why = firstLine(stderr) || firstLine(stdout) || 'no output';
    throw new HostError(`reg query exited with ${exitCode}: ${why}`, 'failed');
  }
  return readValues(stdout.replace(/^\uFEFF/, '').split(/\r?\n/));
}

/** REG_DWORD data (`0x1f`) → 31; null when it is not a 32-bit hex number. */
export function regDword(data: string): number | null {
  const m = /^0x([0-9a-f]+)$/i.exec(data.trim());
  if (!m) return null;
  const n = Number.parseInt(m[1] ?? '', 16);
  return n <= 0xffffffff ? n : null;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/** The first key line and the value lines under it (subkeys and `/s` blocks are not read). */
function readValues(lines: string[]): RegQueryResult {
  const values: RegValue[] = [];
  const problems: string[] = [];
  let key: string | null = null;
  let otherKeys = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (!line.startsWith(' ')) {
      // Root names are not localised; other unindented lines (the /f "End of search" count) are.
      if (/^HKEY_/i.test(line)) {
        if (key === null) key = line.trimEnd();
        else otherKeys++;
      }
      return;
    }
    if (otherKeys > 0) return;
    const v = valueLine(line);
    if (v) values.push(v);
    else problems.push(`line ${i + 1}: not a value line: ${JSON.stringify(line)}`);
  });
  if (otherKeys > 0) problems.push(`${otherKeys} further key line(s) ignored (subkeys or /s blocks)`);
  return { found: key !== null || values.length > 0, key, values, problems };
}

/** Right-trimmed like every line (so padding never sticks to data); empty data still reads. */
function valueLine(line: string): RegValue | null {
  const m = VALUE_LINE.exec(line.trimEnd());
  if (!m) return null;
  return { name: m[1] ?? '', type: m[2] ?? '', data: m[3] ?? '' };
}
