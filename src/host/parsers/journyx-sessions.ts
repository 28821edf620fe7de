// A Journyx sync-session history, as a technician can provide it: the "Total Syncs" table of the
// hidden sync console (mspConsole.pyc) copied from a browser (tab-separated, or runs of 2+ spaces
// once tabs were turned into spaces by an editor, chat or e-mail), or a CSV export.
//
// Journyx documents the criteria ("Total Records Synched", status "in progress", the most recent
// entry) but not the table's exact column names, order or date format. So columns are found by
// words in the header, case-insensitively, and the matching is deliberately tolerant:
//   records: a header with "record" (one that also says "sync"/"synch"/"synched" wins)
//   status:  "status" (or "state")
//   time:    "started"/"start" > "date" > "last updated"/"updated" > "time"/"when" > "created" > "ended"/"finished"
//   type:    "type" (e.g. "Sync Type"), optional
//   id:      "id", "session", "run", "#", "no"/"number", optional
// Extra columns (a checkbox, "Ended", anything else) are ignored. Pure: text in, facts out; it
// never throws: lines it cannot read go to `problems` with the reason.

export type JournyxTableFormat = 'tab' | 'csv' | 'semicolon' | 'spaces';

export interface JournyxColumns {
  /** The header cells as printed. */
  headers: string[];
  records: number;
  status: number;
  when: number | null;
  type: number | null;
  id: number | null;
}

export interface JournyxSession {
  /** 1-based line in the input, for evidence. */
  line: number;
  id: string | null;
  /** null without a type column; '' when the cell is blank. */
  type: string | null;
  status: string;
  /** The status says "in progress" (any case, with a space, dash, underscore or nothing between). */
  inProgress: boolean;
  /** Total Records Synched; null when blank or not a number. */
  records: number | null;
  recordsText: string;
  /** The date/time cell as printed; null without a time column. */
  when: string | null;
  /**
   * The printed wall-clock time as comparable milliseconds (only for ordering; no time zone is
   * assumed unless printed); null when unreadable. Numeric dates whose day and month cannot be told
   * apart anywhere in the table (all parts ≤ 12) are read month first here, day first in atIfDayFirst.
   */
  at: number | null;
  atIfDayFirst: number | null;
}

export interface JournyxSessionTable {
  format: JournyxTableFormat | null;
  /** null when no header row with a records and a status column was found. */
  columns: JournyxColumns | null;
  sessions: JournyxSession[];
  /** How numeric dates such as 03/04/2026 were read; null when the table has none. */
  dateOrder: 'month-first' | 'day-first' | 'ambiguous' | null;
  problems: string[];
  /** Lines under the header that could not be read as sessions (any of them could be the stuck one). */
  unreadRows: number;
}

type Role = 'records' | 'status' | 'when' | 'type' | 'id';
const ROLES: readonly Role[] = ['records', 'status', 'when', 'type', 'id'];

function headerWords(header: string): string[] {
  return header
    .toLowerCase()
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
}

/** How well a header (as its lower-case words) names a role: 0 = not at all; higher wins. */
function roleScore(role: Role, words: readonly string[]): number {
  const has = (test: (w: string) => boolean) => words.some(test);
  switch (role) {
    case 'records':
      if (!has((w) => w.startsWith('record'))) return 0;
      return has((w) => w.startsWith('sync')) ? 2 : 1;
    case 'status':
      return has((w) => w === 'status') ? 2 : has((w) => w === 'state') ? 1 : 0;
    case 'when':
      if (has((w) => w.startsWith('start') || w === 'begin' || w === 'began')) return 6;
      if (has((w) => w === 'date' || w === 'datetime')) return 5;
      if (has((w) => w.startsWith('updated') || w === 'update')) return 4;
      if (has((w) => w === 'time' || w === 'timestamp' || w === 'when')) return 3;
      if (has((w) => w === 'created')) return 2;
      if (has((w) => w === 'ended' || w === 'end' || w === 'finished' || w === 'completed')) return 1;
      return 0;
    case 'type':
      return has((w) => w === 'type') ? 2 : has((w) => w === 'kind') ? 1 : 0;
    case 'id':
      if (has((w) => w === 'id')) return 3;
      if (has((w) => w === 'session' || w === 'run' || w === '#')) return 2;
      return has((w) => w === 'no' || w === 'number') ? 1 : 0;
  }
}

/** Each role takes the best-scoring column not taken by an earlier role (leftmost on a tie). */
function matchColumns(headers: string[]): JournyxColumns | null {
  const taken = new Set<number>();
  const found: Partial<Record<Role, number>> = {};
  const words = headers.map(headerWords);
  for (const role of ROLES) {
    let best = -1;
    let bestScore = 0;
    words.forEach((w, i) => {
      if (taken.has(i)) return;
      const s = roleScore(role, w);
      if (s > bestScore) {
        best = i;
        bestScore = s;
      }
    });
    if (best >= 0) {
      found[role] = best;
      taken.add(best);
    }
  }
  if (found.records === undefined || found.status === undefined) return null;
  return { headers, records: found.records, status: found.status, when: found.when ?? null, type: found.type ?? null, id: found.id ?? null };
}

/** One delimited line (RFC 4180 quoting, lenient: blanks around quotes, an unclosed quote runs to the end). */
function splitDelimited(line: string, delim: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && (line[i] === ' ' || (line[i] === '\t' && delim !== '\t'))) i++;
    let value = '';
    if (line[i] === '"') {
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (line[i] === '"') {
          i++;
          break;
        } else value += line[i++];
      }
      // Text after the closing quote (malformed) is kept rather than lost.
      const end = line.indexOf(delim, i);
      value += line.slice(i, end === -1 ? line.length : end);
      i = end === -1 ? line.length : end;
    } else {
      const end = line.indexOf(delim, i);
      value = line.slice(i, end === -1 ? line.length : end);
      i = end === -1 ? line.length : end;
    }
    fields.push(value.trim());
    if (i >= line.length) return fields;
    i += delim.length;
  }
}

/** Cells separated by 2+ spaces (or tabs), with where each starts in the line. */
function spaceCells(line: string): { text: string; start: number; end: number }[] {
  const cells: { text: string; start: number; end: number }[] = [];
  const re = /\S+(?:[ ]\S+)*/g;
  for (const m of line.matchAll(re)) cells.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return cells;
}

function split(line: string, format: JournyxTableFormat): string[] {
  switch (format) {
    case 'tab':
      return splitDelimited(line, '\t');
    case 'csv':
      return splitDelimited(line, ',');
    case 'semicolon':
      return splitDelimited(line, ';');
    case 'spaces':
      return spaceCells(line).map((c) => c.text);
  }
}

/** Which format makes this line a header, if any. */
function headerFormat(line: string): { format: JournyxTableFormat; columns: JournyxColumns } | null {
  const candidates: JournyxTableFormat[] = [];
  if (line.includes('\t')) candidates.push('tab');
  if (line.includes(',')) candidates.push('csv');
  if (line.includes(';')) candidates.push('semicolon');
  candidates.push('spaces');
  for (const format of candidates) {
    const cells = split(line, format);
    if (cells.length < 2) continue;
    const columns = matchColumns(cells);
    if (columns) return { format, columns };
  }
  return null;
}

/** An unclosed quote in a CSV line means the field goes on in the next line. */
function openQuote(line: string): boolean {
  let n = 0;
  for (const c of line) if (c === '"') n++;
  return n % 2 === 1;
}

/**
 * A row of 2+-space cells whose count differs from the header's (a blank cell, or a value with
 * two spaces inside): place each cell under the header column whose span holds it, when the text
 * is laid out under the header; otherwise it cannot be read.
 */
function alignByPosition(line: string, header: string, count: number): string[] | null {
  const starts = spaceCells(header).map((c) => c.start);
  if (starts.length !== count) return null;
  const out: string[] = Array.from({ length: count }, () => '');
  for (const cell of spaceCells(line)) {
    let col = -1;
    for (let i = 0; i < starts.length; i++) if (cell.start >= starts[i]!) col = i;
    if (col === -1) col = 0;
    const next = starts[col + 1];
    if (next !== undefined && cell.end > next) return null; // runs into the next column
    out[col] = out[col] ? `${out[col]} ${cell.text}` : cell.text;
  }
  return out;
}

/** "1,234", "1 234", "1.234" → 1234; blank, words or decimals → null. */
function recordCount(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}(?:[,.\s\u00a0'\u2019]\d{3})*$|^\d+$/.test(t)) return null;
  const n = Number(t.replace(/\D/g, ''));
  return Number.isSafeInteger(n) ? n : null;
}

function isInProgress(status: string): boolean {
  return /\bin[\s_-]*progress\b/i.test(status);
}

// --- dates -------------------------------------------------------------------------------------

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface DateParts {
  year: number;
  /** Either month/day (unambiguous), or two numbers whose order the table decides. */
  a: number;
  b: number;
  numeric: boolean; // a/b order is a question (a/b/yyyy); false: a = month, b = day
  rest: string;
}

function fullYear(y: string): number {
  return y.length === 2 ? 2000 + Number(y) : Number(y);
}

function dateParts(text: string): DateParts | null {
  const t = text.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(.*)$/.exec(t);
  if (m) return { year: Number(m[1]), a: Number(m[2]), b: Number(m[3]), numeric: false, rest: m[4]! };
  m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?!\d)(.*)$/.exec(t);
  if (m) return { year: fullYear(m[3]!), a: Number(m[1]), b: Number(m[2]), numeric: true, rest: m[4]! };
  // "Nov 20, 2026", "Fri Nov 20 2026", "November 20th, 2026"
  m = /^(?:[a-z]{3,9}\.?,?\s+)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(.*)$/i.exec(t);
  if (m && MONTHS.includes(m[1]!.slice(0, 3).toLowerCase())) {
    return { year: Number(m[3]), a: MONTHS.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1, b: Number(m[2]), numeric: false, rest: m[4]! };
  }
  // "20 Nov 2026", "20-Nov-2026"
  m = /^(\d{1,2})[\s-]([a-z]{3,9})\.?[\s-],?\s*(\d{4})(.*)$/i.exec(t);
  if (m && MONTHS.includes(m[2]!.slice(0, 3).toLowerCase())) {
    return { year: Number(m[3]), a: MONTHS.indexOf(m[2]!.slice(0, 3).toLowerCase()) + 1, b: Number(m[1]), numeric: false, rest: m[4]! };
  }
  return null;
}

/** Milliseconds for the printed wall clock (UTC as a neutral frame), or null when invalid. */
function toMillis(year: number, month: number, day: number, rest: string): number | null {
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let offsetMin = 0;
  const r = rest.trim().replace(/^(?:T|,|at)\s*/i, '');
  if (r !== '') {
    const tm = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*(?:([ap])\.?\s*m\.?)?\s*(z|utc|gmt|[+-]\d{2}:?\d{2})?/i.exec(r);
    if (!tm) return null;
    hour = Number(tm[1]);
    minute = Number(tm[2]);
    second = tm[3] ? Number(tm[3]) : 0;
    if (tm[4]) {
      if (hour < 1 || hour > 12) return null;
      hour = (hour % 12) + (tm[4].toLowerCase() === 'p' ? 12 : 0);
    }
    const zone = tm[5];
    if (zone && /^[+-]/.test(zone)) {
      const digits = zone.replace(':', '');
      offsetMin = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    }
    if (hour > 23 || minute > 59 || second > 59) return null;
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  // Date.UTC rolls 31 November over into December: reject instead.
  if (new Date(ms).getUTCDate() !== day) return null;
  return ms - offsetMin * 60_000;
}

// --- the table ---------------------------------------------------------------------------------

const MAX_LINES_BEFORE_HEADER = 50;

export function parseJournyxSessions(text: string): JournyxSessionTable {
  const problems: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  let header: { format: JournyxTableFormat; columns: JournyxColumns; line: string } | null = null;
  const before: string[] = [];
  const raw: { line: number; cells: string[]; text: string }[] = [];

  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    if (!header) {
      // A header is near the top of a copied table; a long text without one is not a table.
      if (before.length >= MAX_LINES_BEFORE_HEADER) break;
      const h = headerFormat(line);
      if (h) header = { ...h, line };
      else before.push(`line ${lineNo}: not the header row (no records and status columns), ignored: ${quote(line)}`);
      continue;
    }
    // A quoted CSV field may hold a line break: join until the quote closes (a few lines at most).
    if (header.format !== 'spaces' && header.format !== 'tab') {
      while (openQuote(line) && i + 1 < lines.length && line.length < 10_000) line += `\n${lines[++i]!}`;
    }
    raw.push({ line: lineNo, cells: split(line, header.format), text: line });
  }

  if (!header) {
    const where = before.length >= MAX_LINES_BEFORE_HEADER ? ` in the first ${MAX_LINES_BEFORE_HEADER} lines` : '';
    problems.push(`no header row found${where}: expected column names such as "Total Records Synched" and "Status" (copy the table with its header row)`);
    problems.push(...before.slice(0, 20));
    return { format: null, columns: null, sessions: [], dateOrder: null, problems, unreadRows: 0 };
  }
  problems.push(...before.slice(0, 20));

  const { columns, format } = header;
  const width = columns.headers.length;
  const headerKey = columns.headers.map((h) => h.toLowerCase()).join('\u0000');
  let unreadRows = 0;
  const rows: { line: number; cells: string[]; text: string; date: DateParts | null }[] = [];
  for (const r of raw) {
    let cells = r.cells;
    if (cells.map((c) => c.toLowerCase()).join('\u0000') === headerKey) continue; // a repeated header (another page)
    // A checkbox column copies as a blank cell the header may lack; trailing blanks are padding.
    while (cells.length > width && cells[0] === '') cells = cells.slice(1);
    while (cells.length > width && cells[cells.length - 1] === '') cells = cells.slice(0, -1);
    if (cells.length !== width) {
      if (format === 'spaces') {
        const aligned = alignByPosition(r.text, header.line, width);
        if (!aligned) {
          problems.push(`line ${r.line}: ${cells.length} cells where the header has ${width}, and they do not line up under it: ${quote(r.text)}`);
          unreadRows++;
          continue;
        }
        cells = aligned;
      } else if (cells.length > width) {
        problems.push(`line ${r.line}: ${cells.length} cells where the header has ${width}: ${quote(r.text)}`);
        unreadRows++;
        continue;
      } else {
        // Missing trailing cells (some copies drop them) are blank.
        cells = [...cells, ...Array.from({ length: width - cells.length }, () => '')];
      }
    }
    rows.push({ line: r.line, cells, text: r.text, date: columns.when === null ? null : dateParts(cells[columns.when] ?? '') });
  }

  // Day/month order is decided once for the whole table, from dates that tell (a part > 12).
  let monthFirst = false;
  let dayFirst = false;
  let sawNumeric = false;
  for (const { date: p } of rows) {
    if (!p?.numeric) continue;
    sawNumeric = true;
    if (p.a > 12 && p.b <= 12) dayFirst = true;
    if (p.b > 12 && p.a <= 12) monthFirst = true;
  }
  const dateOrder: JournyxSessionTable['dateOrder'] = !sawNumeric ? null : monthFirst && dayFirst ? null : monthFirst ? 'month-first' : dayFirst ? 'day-first' : 'ambiguous';
  if (monthFirst && dayFirst) problems.push('the dates mix month-first and day-first forms (e.g. 11/20 and 20/11): dates left unread');

  const sessions: JournyxSession[] = [];
  for (const r of rows) {
    const cell = (i: number | null) => (i === null ? null : (r.cells[i] ?? ''));
    const status = cell(columns.status) ?? '';
    const recordsText = cell(columns.records) ?? '';
    if (status === '') {
      problems.push(`line ${r.line}: not a session row (no status): ${quote(r.text)}`);
      unreadRows++;
      continue;
    }
    const when = cell(columns.when);
    let at: number | null = null;
    let atIfDayFirst: number | null = null;
    const p = r.date;
    if (p) {
      if (!p.numeric) at = atIfDayFirst = toMillis(p.year, p.a, p.b, p.rest);
      else if (!(monthFirst && dayFirst)) {
        const mf = toMillis(p.year, p.a, p.b, p.rest);
        const df = toMillis(p.year, p.b, p.a, p.rest);
        at = dateOrder === 'day-first' ? df : mf;
        atIfDayFirst = dateOrder === 'month-first' ? mf : df;
      }
    }
    sessions.push({
      line: r.line,
      id: cell(columns.id) || null,
      type: cell(columns.type),
      status,
      inProgress: isInProgress(status),
      records: recordCount(recordsText),
      recordsText,
      when,
      at,
      atIfDayFirst,
    });
  }
  return { format, columns, sessions, dateOrder, problems, unreadRows };
}

function quote(line: string): string {
  const t = line.trim();
  return JSON.stringify(t.length > 120 ? `${t.slice(0, 117)}...` : t);
}
