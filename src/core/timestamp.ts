// Timestamps found in agent logs: ISO 8601, the Web Connector's "YYYYMMDD.HH:MM:SS", or a token
// format from the playbook ("MM/DD/YYYY hh:mm:ss A"). Local times take the host's UTC offset.

export const TIMESTAMP_FORMAT_HINT =
  '"iso", "qwclog" or a token format built from YYYY MM M DD D HH H hh h mm ss A, e.g. "MM/DD/YYYY hh:mm:ss A"';

const TOKENS: Record<string, string> = {
  YYYY: '(\\d{4})',
  MM: '(\\d{2})',
  M: '(\\d{1,2})',
  DD: '(\\d{2})',
  D: '(\\d{1,2})',
  HH: '(\\d{2})',
  H: '(\\d{1,2})',
  hh: '(\\d{2})',
  h: '(\\d{1,2})',
  mm: '(\\d{2})',
  ss: '(\\d{2})',
  A: '([AaPp][Mm])',
};
const TOKEN_RE = /YYYY|MM|M|DD|D|HH|H|hh|h|mm|ss|A/g;

export interface TimestampParser {
  /** UTC milliseconds, or undefined when the text is not a timestamp of this format. */
  parse(text: string, utcOffsetMinutes: number): number | undefined;
}

/** Compiles a format; returns undefined when the format is not valid. */
export function timestampParser(format: string): TimestampParser | undefined {
  if (format === 'iso') {
    return {
      parse(text, offset) {
        const t = text.trim();
        if (!/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(t) || !realDay(t)) return undefined;
        const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(t);
        const ms = Date.parse(hasZone ? t.replace(' ', 'T') : `${t.replace(' ', 'T')}Z`);
        if (Number.isNaN(ms)) return undefined;
        return hasZone ? ms : ms - offset * 60_000;
      },
    };
  }
  if (format === 'qwclog') return timestampParser('YYYYMMDD.HH:mm:ss');
  const order: string[] = [];
  let source = '';
  let last = 0;
  for (const m of format.matchAll(TOKEN_RE)) {
    source += escapeRe(format.slice(last, m.index)) + TOKENS[m[0]]!;
    order.push(m[0]);
    last = m.index! + m[0].length;
  }
  source += escapeRe(format.slice(last));
  if (!order.includes('YYYY') || !(order.includes('MM') || order.includes('M')) || !(order.includes('DD') || order.includes('D'))) return undefined;
  const re = new RegExp(`^\\s*${source}`);
  return {
    parse(text, offset) {
      const m = re.exec(text);
      if (!m) return undefined;
      const f: Record<string, string> = {};
      order.forEach((tok, i) => (f[tok] = m[i + 1]!));
      let hour = Number(f.HH ?? f.H ?? f.hh ?? f.h ?? 0);
      if (f.A) {
        const pm = f.A.toLowerCase() === 'pm';
        if (hour === 12) hour = pm ? 12 : 0;
        else if (pm) hour += 12;
      }
      const y = Number(f.YYYY);
      const mo = Number(f.MM ?? f.M) - 1;
      const d = Number(f.DD ?? f.D);
      const ms = Date.UTC(y, mo, d, hour, Number(f.mm ?? 0), Number(f.ss ?? 0));
      const check = new Date(ms);
      const minute = Number(f.mm ?? 0);
      const second = Number(f.ss ?? 0);
      if (check.getUTCMonth() !== mo || check.getUTCDate() !== d || hour > 23 || minute > 59 || second > 59) return undefined;
      return ms - offset * 60_000;
    },
  };
}

/** "2026-02-30..." is not a day (Date.parse would roll it into March). */
function realDay(t: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?/.exec(t)!;
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number, number];
  const day = new Date(Date.UTC(y, mo - 1, d));
  return day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && s < 60;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
