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
