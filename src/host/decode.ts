// Bytes from native commands and logs → text. UTF-8 when the bytes are valid UTF-8 (BOM
// stripped), UTF-16 when they carry its BOM, otherwise the Windows OEM code page the host reports
// (pipes carry OEM bytes: a Russian `qwinsta` is cp866), else windows-1252.

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function hasUtf8Bom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** Decodes without a code page lookup when it can; returns undefined when a code page is needed. */
export function decodeSimple(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  try {
    return utf8.decode(body);
  } catch {
    return undefined;
  }
}

/** Decodes with a Windows code page number (437, 850, 866, 932, 1252, ...). */
export async function decodeCodePage(bytes: Uint8Array, codePage: number | undefined): Promise<string> {
  const body = hasUtf8Bom(bytes) ? bytes.subarray(3) : bytes;
  if (codePage && codePage !== 65001) {
    // iconv-lite knows the OEM pages (437, 850, ...) that TextDecoder does not; load it only here.
    const iconv = (await import('iconv-lite')).default;
    const name = `cp${codePage}`;
    if (iconv.encodingExists(name)) return iconv.decode(Buffer.from(body), name);
  }
  return new TextDecoder('windows-1252').decode(body);
}

/**
 * How many columns a character takes in a console of this code page, for the double-byte pages
 * (932 Japanese, 936 Simplified Chinese, 949 Korean, 950 Traditional Chinese): there a column is a
 * byte, so a character of two bytes takes two. Undefined for single-byte pages (one each).
 */
export function cellWidthFor(codePage: number | undefined): ((ch: string) => 1 | 2) | undefined {
  switch (codePage) {
    case 932:
      // Shift JIS: ASCII and half-width katakana (U+FF61-U+FF9F) are one byte; the rest two.
      return (ch) => {
        const c = ch.codePointAt(0)!;
        return c < 0x80 || (c >= 0xff61 && c <= 0xff9f) ? 1 : 2;
      };
    case 936:
    case 949:
    case 950:
      return (ch) => (ch.codePointAt(0)! < 0x80 ? 1 : 2);
    default:
      return undefined;
  }
}
