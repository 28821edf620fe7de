// Shapes the native-command parsers return. Parsers are pure: text in, facts out; they never
// throw on odd input (they return what they could read plus `problems`).

/** One interactive logon, from `query user` (Windows) or `who` (Linux/macOS). */
export interface SessionInfo {
  user: string; // as printed (may contain spaces); no domain
  sessionName: string; // '' when blank (e.g. disconnected); may be cut off with '...'
  id: number | null; // WTS session id; null where the platform has none (who)
  state: 'active' | 'disconnected' | 'unknown';
  stateText: string; // the word as printed (localised)
  idleMinutes: number | null; // null = unknown
  logonTime: string; // display text only
  current: boolean; // the '>' marker: the caller's own session
}

/** One row of `tasklist /v /fo csv`. */
export interface TasklistRow {
  image: string;
  pid: number;
  sessionName: string;
  sessionId: number | null;
  memKb: number | null;
  status: string; // as printed (localised)
  notResponding: boolean | null; // null when the status word is not one we know
  user: string | null; // DOMAIN\user, or null for N/A (unknown owner, not "no owner")
  cpuTime: string;
  windowTitle: string | null; // null for N/A
}

export interface ParseResult<T> {
  rows: T[];
  problems: string[]; // lines that could not be read, with why
}
