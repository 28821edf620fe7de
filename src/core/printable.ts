// Text from the PC (a user name, a window title, a log line) reaches a technician's terminal and
// an RMM's notes. A control character in it could move the cursor, rewrite what was printed, set
// the window title, or (bidirectional overrides) reorder what is read. Every human-readable output
// shows such characters as visible escapes instead.

/** C0 and C1 controls (tab kept), DEL, line and paragraph separators, bidirectional controls. */
const UNPRINTABLE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** The text with every unprintable character written as \xHH or \uHHHH. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (ch) => {
    const c = ch.charCodeAt(0);
    return c <= 0xff ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  });
}

/** A copy of a value (a report, a fleet summary) with every string made printable. */
export function printableCopy<T>(value: T): T {
  if (typeof value === 'string') return printable(value) as T;
  if (Array.isArray(value)) return value.map((v) => printableCopy(v)) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = printableCopy(v);
    return out as T;
  }
  return value;
}

/** Each line made printable; the line breaks of our own layout kept (progress lines, prompts). */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}
