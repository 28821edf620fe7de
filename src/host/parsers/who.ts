// `who` output (Linux, macOS) → SessionInfo rows: "NAME LINE TIME [(COMMENT)]". Unix user names
// and tty names have no spaces, so splitting on whitespace is safe here (unlike `query user`).
import type { ParseResult, SessionInfo } from './types.js';

export function parseWho(text: string): ParseResult<SessionInfo> {
  const rows: SessionInfo[] = [];
  const problems: string[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      const row = parseLine(line);
      if (typeof row === 'string') problems.push(`line ${i + 1}: ${row}: ${JSON.stringify(line)}`);
      else rows.push(row);
    });
  return { rows, problems };
}

/** One `who` line, or why it could not be read. */
function parseLine(line: string): SessionInfo | string {
  const m = /^(\S+)\s+(\S+)\s+(.*)$/.exec(line);
  if (!m) return 'expected a user, a line and a time';
  // The "(host)" / "(:0)" / "(tmux(12).%0)" comment says where the logon came from; a time
  // never contains '(', so the time is everything before the first one.
  const time = (m[3] ?? '').split('(')[0]?.trim() ?? '';
  if (!/\d/.test(time)) return 'no logon time'; // e.g. a `who -H` header line
  return {
    user: m[1] ?? '',
    sessionName: m[2] ?? '',
    id: null, // Unix has no WTS session ids
    state: 'active', // who lists only current logons
    stateText: '',
    idleMinutes: null,
    logonTime: time,
    current: false,
  };
}
