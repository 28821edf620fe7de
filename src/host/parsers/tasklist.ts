// `tasklist [/v] /fo csv [/nh]` output → TasklistRow. Columns are read by position (headers are
// localised): Image Name, PID, Session Name, Session#, Mem Usage, Status, User Name, CPU Time,
// Window Title. Without /v only the first five exist.
import type { ParseResult, TasklistRow } from './types.js';

export function parseTasklistCsv(text: string): ParseResult<TasklistRow> {
  const rows: TasklistRow[] = [];
  const problems: string[] = [];
  const other: string[] = [];
  let first = true;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trimEnd();
      if (line.trim() === '') return;
      const where = `line ${i + 1}`;
      // Only lines starting with a quote are rows; the "no match" INFO: line is not.
      if (!line.trimStart().startsWith('"')) {
        other.push(`${where}: not a CSV row: ${JSON.stringify(line)}`);
        return;
      }
      const record = parseCsvRecord(line.trimStart());
      const isFirst = first;
      first = false;
      // The header is told by position: its PID column is a word, not digits.
      if (isFirst && !/^\d+$/.test((record.fields[1] ?? '').trim())) return;
      const row = toRow(record);
      if (typeof row === 'string') problems.push(`${where}: ${row}: ${JSON.stringify(line)}`);
      else rows.push(row);
    });
  // A lone INFO: line (no rows) is tasklist's answer "nothing matched", not a problem.
  if (rows.length > 0 || problems.length > 0) problems.push(...other);
  return { rows, problems };
}

/**
 * One CSV record (RFC 4180 plus leniency). `""` inside quotes is a quote; a quote ends the field
 * only before a comma or the end of the line, otherwise it is kept as text, because window titles
 * may hold quotes tasklist does not double. A line ending inside quotes ends the field.
 */
export function parseCsvLine(line: string): string[] {
  return parseCsvRecord(line).fields;
}

interface CsvRecord {
  line: string;
  fields: string[];
  starts: number[]; // where each field starts in line
}

function parseCsvRecord(line: string): CsvRecord {
  const fields: string[] = [];
  const starts: number[] = [];
  let i = 0;
  for (;;) {
    starts.push(i);
    let value = '';
    if (line[i] === '"') {
      i++;
      // From quote to quote (indexOf, not character by character: a 10,000-process list is 1.5 MB).
      for (;;) {
        const q = line.indexOf('"', i);
        if (q === -1) {
          value += line.slice(i);
          i = line.length;
          break;
        }
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else if (q + 1 === line.length || line[q + 1] === ',') {
          i = q + 1;
          break;
        } else {
          value += '"'; // a quote inside the field that tasklist did not double
          i = q + 1;
        }
      }
    } else {
      const end = line.indexOf(',', i);
      value = line.slice(i, end === -1 ? line.length : end);
      i = end === -1 ? line.length : end;
    }
    fields.push(value);
    if (line[i] !== ',') return { line, fields, starts };
    i++; // past the comma; a trailing comma yields a last empty field
  }
}

/** Fields → row, or why not. */
function toRow({ line, fields, starts }: CsvRecord): TasklistRow | string {
  if (fields.length < 5) return `expected at least 5 columns, got ${fields.length}`;
  const [image = '', pidText = '', sessionName = '', sessionText = '', mem = ''] = fields;
  if (!/^\d+$/.test(pidText.trim())) return 'PID is not a number';
  const verbose = fields.length >= 9;
  const status = verbose ? (fields[5] ?? '') : '';
  return {
    image,
    pid: Number(pidText.trim()),
    sessionName,
    sessionId: /^\d+$/.test(sessionText.trim()) ? Number(sessionText.trim()) : null,
    memKb: memoryKb(mem),
    status,
    notResponding: notResponding(status),
    user: verbose ? owner(fields[6] ?? '') : null,
    cpuTime: verbose ? (fields[7] ?? '') : '',
    windowTitle: verbose ? notApplicable(fields.length > 9 ? rawTitle(line.slice(starts[8])) : (fields[8] ?? '')) : null,
  };
}

/**
 * More than 9 fields: quotes tasklist did not double split the title (always the last column),
 * so take the rest of the line as it stands, minus its outer quotes.
 */
function rawTitle(rest: string): string {
  const inner = rest.replace(/^"/, '').replace(/"$/, '');
  return inner.replace(/""/g, '"');
}

/** "412,880 K" / "412.880 K" / "412 880 Ko" → 412880: separator and unit follow the locale. */
function memoryKb(text: string): number | null {
  const digits = text.replace(/\D/g, '');
  if (digits === '') return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : null;
}

/** tasklist's N/A means "could not tell" (not elevated, or no window): null. */
function notApplicable(text: string): string | null {
  return text.trim().toUpperCase() === 'N/A' ? null : text;
}

/** An owner: N/A or blank both mean "unknown owner" (never "no owner"). */
function owner(text: string): string | null {
  return text.trim() === '' ? null : notApplicable(text);
}

function notResponding(status: string): boolean | null {
  const s = status.trim().toLowerCase();
  if (s === 'not responding') return true;
  if (s === 'running') return false;
  return null; // 'Unknown' and localised words
}
