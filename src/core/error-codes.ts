// How error codes are written in logs, messages and on the command line: Windows HRESULTs in
// their hex and decimal forms, and the Web Connector's QBWCnnnn codes. Here in core because both
// the log parser (host) and the error tables (knowledge) read codes, and neither may import the
// other: the OS layer must not know a vendor's error table.

/**
 * Normalises an error code: `0x80040408`, `80040408`, `0X8004040a`, `-2147220472` (signed
 * decimal), `2147746824` (unsigned decimal), `QBWC1013`, `qbwc 1013`. Returns null for anything
 * else, including a bare 4-digit number (ambiguous).
 */
export function normaliseCode(text: string): string | null {
  const t = typeof text === 'string' ? text.trim() : '';
  if (t.length === 0 || t.length > 24) return null;
  const qb = /^qbwc\s*-?\s*(\d{4})$/i.exec(t);
  if (qb) return `QBWC${qb[1]}`;
  const hex = /^0x([0-9a-f]{8})$/i.exec(t);
  if (hex) return `0x${hex[1]!.toUpperCase()}`;
  // Bare 8 hex digits: only a failure HRESULT (top bit set), so that 8-digit decimals are not taken.
  const bare = /^([89a-f][0-9a-f]{7})$/i.exec(t);
  if (bare) return `0x${bare[1]!.toUpperCase()}`;
  if (/^-[1-9]\d{0,9}$/.test(t)) {
    const v = Number(t);
    if (v < -0x80000000) return null;
    return toHex32(v >>> 0);
  }
  if (/^\d{10}$/.test(t)) {
    const v = Number(t);
    if (v < 0x80000000 || v > 0xffffffff) return null;
    return toHex32(v);
  }
  return null;
}

function toHex32(v: number): string {
  return `0x${v.toString(16).toUpperCase().padStart(8, '0')}`;
}

