// `query user` / `quser` output → SessionInfo rows. Headers, state words and dates are
// localised, user names may contain spaces and session names may be blank or cut with '...', so
// rows are read by anchoring on the right-aligned ID digits, never by splitting on whitespace.
import { HostError } from '../../core/errors.js';
import type { ParseResult, SessionInfo } from './types.js';

/** Known state words (compared case-insensitively); everything else is 'unknown'. */
const STATE_WORDS: Record<string, SessionInfo['state']> = {
  active: 'active',
  disc: 'disconnected',
  aktiv: 'active', // de
  'getr.': 'disconnected', // de ("getrennt")
  actif: 'active', // fr
  'déco': 'disconnected', // fr ("déconnecté")
  activo: 'active', // es
  attivo: 'active', // it
  ativo: 'active', // pt
  actief: 'active', // nl
  // Any other word (a disconnected state abbreviated in another language, a script this table
  // does not know) is 'unknown': that session's state could not be told, never guessed.
};

/** Where the columns sit, read from the header's shape (not its words). */
interface Columns {
  sessionStart: number; // first column of SESSIONNAME
  idEnd: number; // one past the last column of ID (the ID is right-aligned to it)
}

/** A place in a row where "ID digits, whitespace, one word" occurs. */
interface Anchor {
  idStart: number;
  idEnd: number;
  id: number;
  stateText: string;
  restStart: number; // where the text after the state word (idle time, logon time) starts
}

/**
 * `cellWidth`: for a double-byte code page (932, 936, ...), how many columns each character takes
 * (quser pads by bytes there). Each wide character is followed by a filler mark while the columns
 * are read, so that positions count columns, and the mark is dropped from what is read.
 */
export function parseQueryUser(text: string, cellWidth?: (ch: string) => 1 | 2): ParseResult<SessionInfo> {
  const rows: SessionInfo[] = [];
  const problems: string[] = [];
  let columns: Columns | null = null;
  let seenFirst = false;
  const lines = splitLines(text).map((l) => (cellWidth ? widen(l, cellWidth) : l));
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (!seenFirst) {
      seenFirst = true;
      // A header never has a free-standing digit run; if this line has one it is already a row.
      if (findAnchors(line).length === 0) {
        columns = readHeader(line);
        return;
      }
    }
    const row = parseRow(line, columns);
    if (typeof row === 'string') problems.push(`line ${i + 1}: ${row}: ${JSON.stringify(narrow(line))}`);
    else rows.push(cellWidth ? narrowRow(row) : row);
  });
  return { rows, problems };
}

/** The filler after a double-width character (a noncharacter: never in real output). */
const FILL = '\uFFFF';

function widen(line: string, cellWidth: (ch: string) => 1 | 2): string {
  let out = '';
  for (const ch of line) out += cellWidth(ch) === 2 ? ch + FILL : ch;
  return out;
}

function narrow(s: string): string {
  return s.includes(FILL) ? s.split(FILL).join('') : s;
}

function narrowRow(r: SessionInfo): SessionInfo {
  const stateText = narrow(r.stateText);
  return { ...r, user: narrow(r.user), sessionName: narrow(r.sessionName), stateText, state: knownState(stateText), logonTime: narrow(r.logonTime) };
}

/**
 * `query user` as run: exit 0 → rows; exit 1 with nothing on stdout → nobody is logged on (quser
 * says "No User exists for *" on stderr, localised); any other non-zero exit → HostError.
 */
export function parseQueryUserResult(
  exitCode: number,
  stdout: string,
  stderr: string,
  cellWidth?: (ch: string) => 1 | 2,
): { sessions: SessionInfo[]; noUsers: boolean; problems: string[] } {
  if (exitCode === 1 && stdout.trim() === '') {
    // quser's "nobody" answer ("No User exists for *", in any display language) echoes the "*" it
    // looked for. A wrapper shell's "'query' is not recognized ..." (Home editions have no
    // query.exe) also exits 1 with an empty stdout, but names no "*": that is "could not tell".
    if (stderr.includes('*')) return { sessions: [], noUsers: true, problems: [] };
    throw new HostError(`query user is not available here (exit 1 without its "No User exists for *" answer: ${firstLine(stderr) || 'no output'})`, 'not-found');
  }
  if (exitCode !== 0) {
    const why = firstLine(stderr) || firstLine(stdout) || 'no output';
    throw new HostError(`query user exited with ${exitCode}: ${why}`, 'failed');
  }
  const { rows, problems } = parseQueryUser(stdout, cellWidth);
  return { sessions: rows, noUsers: rows.length === 0, problems };
}

/** Idle time as minutes: `none`/`.` (under a minute), `12`, `1:05`, `2+03:04`; else null. */
export function parseIdleMinutes(token: string): number | null {
  const t = token.trim();
  if (t === '.' || t.toLowerCase() === 'none') return 0;
  let m = /^(\d+)$/.exec(t);
  if (m) return Number(m[1]);
  m = /^(?:(\d+)\+)?(\d+):(\d{1,2})$/.exec(t);
  if (m) return Number(m[1] ?? 0) * 1440 + Number(m[2]) * 60 + Number(m[3]);
  return null; // '*' and unknown forms: unknown, never 0
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trimEnd());
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '') ?? '';
}

/**
 * Column positions from the header: columns are separated by 2+ spaces (single spaces occur
 * inside labels such as "IDLE TIME"). The 2nd column is SESSIONNAME, the 3rd is ID.
 */
function readHeader(line: string): Columns | null {
  const labels = [...line.matchAll(/\S+(?: \S+)*/g)];
  const session = labels[1];
  const id = labels[2];
  if (!session || !id || session.index === undefined || id.index === undefined) return null;
  return { sessionStart: session.index, idEnd: id.index + id[0].length };
}

/**
 * Every digit run that starts after whitespace and is followed by a word: the candidates for the
 * ID. The word usually follows after whitespace; a wide ID may also abut a state word that starts
 * with a letter. There is always a user name first. (Written to stay linear on any input.)
 */
function findAnchors(line: string): Anchor[] {
  const out: Anchor[] = [];
  const firstText = line.search(/\S/);
  for (const m of line.matchAll(/(?<=\s)(\d+)(?=(?:\s+|(?=\p{L}))(\S+))/gu)) {
    if (m.index === undefined || m.index <= firstText) continue; // no user before it
    const digits = m[1] ?? '';
    const stateText = m[2] ?? '';
    const n = Number(digits);
    if (!Number.isSafeInteger(n)) continue;
    const idEnd = m.index + digits.length;
    const restStart = line.indexOf(stateText, idEnd) + stateText.length;
    out.push({ idStart: m.index, idEnd, id: n, stateText, restStart });
  }
  return out;
}

/** The ID anchor: nearest the header's ID column when known, else the first with a known state. */
function pickAnchor(anchors: Anchor[], columns: Columns | null): Anchor | undefined {
  if (anchors.length <= 1) return anchors[0];
  if (columns) {
    const cols = columns;
    const dist = (a: Anchor): number =>
      a.idStart < cols.idEnd && a.idEnd >= cols.idEnd ? 0 : Math.abs(a.idEnd - cols.idEnd);
    return [...anchors].sort((a, b) => dist(a) - dist(b))[0];
  }
  return anchors.find((a) => knownState(a.stateText) !== 'unknown') ?? anchors[0];
}

function knownState(word: string): SessionInfo['state'] {
  return STATE_WORDS[word.normalize('NFC').toLowerCase()] ?? 'unknown';
}

/** One row, or why it could not be read. */
function parseRow(line: string, columns: Columns | null): SessionInfo | string {
  const current = line.startsWith('>');
  const body = ' ' + line.slice(1); // keep positions aligned with the header
  const anchor = pickAnchor(findAnchors(body), columns);
  if (!anchor) return 'no session ID followed by a state';
  const { user, sessionName } = splitUserSession(body.slice(0, anchor.idStart), columns);
  if (user === '') return 'no user name before the session ID';
  const rest = body.slice(anchor.restStart).trim();
  const idleToken = rest.split(/\s+/)[0] ?? '';
  return {
    user,
    sessionName,
    id: anchor.id,
    state: knownState(anchor.stateText),
    stateText: anchor.stateText,
    idleMinutes: idleToken === '' ? null : parseIdleMinutes(idleToken),
    logonTime: rest.slice(idleToken.length).trim(),
    current,
  };
}

/** Splits the text left of the ID into user and session name (either may contain spaces). */
function splitUserSession(left: string, columns: Columns | null): { user: string; sessionName: string } {
  if (columns && columns.sessionStart < left.length) {
    let cut = columns.sessionStart;
    // A user name longer than its column pushes into the next one: cut at the next gap instead.
    while (cut < left.length && /\S/.test(left[cut - 1] ?? ' ') && /\S/.test(left[cut] ?? ' ')) cut++;
    return { user: left.slice(0, cut).trim(), sessionName: left.slice(cut).trim() };
  }
  const trimmed = left.trim();
  if (columns) return { user: trimmed, sessionName: '' }; // nothing reaches the session column
  // No usable header: the session name is what follows the last run of 2+ spaces.
  const gap = [...trimmed.matchAll(/\s{2,}/g)].at(-1);
  if (!gap || gap.index === undefined) return { user: trimmed, sessionName: '' };
  return { user: trimmed.slice(0, gap.index), sessionName: trimmed.slice(gap.index + gap[0].length) };
}
