// Snapshot → text (YAML, or JSON for a .json file), keeping every byte: a YAML block scalar turns
// CRLF into LF and cannot hold NUL, so a string with CR, NUL or other invisible characters is
// written double-quoted with escapes; other multi-line strings as literal blocks that read like
// the original output. The text is parsed back and compared before it is returned.
import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, parse, visit } from 'yaml';
import type { Snapshot } from './snapshot-schema.js';

/** Characters a block scalar or plain text cannot carry faithfully. */
const NEEDS_ESCAPES = /[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff\ufffe\uffff]|\r/;
/** Invisible characters the YAML library leaves raw inside double quotes: escaped by hand. */
const RAW_INVISIBLE = /[\x7f\u0085\u2028\u2029\ufeff\ufffe\uffff]/g;

export function stringifySnapshot(snap: Snapshot, options: { json?: boolean; header?: string } = {}): string {
  const plain = JSON.parse(JSON.stringify(snap)) as unknown;
  if (options.json) return `${JSON.stringify(plain, null, 2)}\n`;
  const text = toYaml(plain, options.header);
  // Belt and braces: if the YAML does not read back as the same value, JSON (a YAML subset) does.
  let back: unknown;
  try {
    back = parse(text, { maxAliasCount: 100 });
  } catch {
    back = undefined;
  }
  return isDeepStrictEqual(back, plain) ? text : `${JSON.stringify(plain, null, 2)}\n`;
}

function toYaml(value: unknown, header: string | undefined): string {
  const doc = new Document(value);
  if (header) doc.commentBefore = header.split('\n').map((l) => ` ${l}`).join('\n');
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      // Times quoted too: a YAML 1.1 reader would turn them into dates.
      if (NEEDS_ESCAPES.test(node.value) || /^\d{4}-\d\d-\d\dT/.test(node.value)) node.type = 'QUOTE_DOUBLE';
      else if (node.value.includes('\n')) node.type = 'BLOCK_LITERAL';
    },
    Pair(_key, pair) {
      // Short lists and process rows read best on one line, as in the shipped examples/.
      if (isScalar(pair.key) && pair.key.value === 'argv' && isSeq(pair.value)) pair.value.flow = true;
    },
    Seq(_key, seq, path) {
      const parent = path[path.length - 1];
      if (parent && 'key' in parent && isScalar(parent.key) && parent.key.value === 'processes') {
        for (const item of seq.items) if (isMap(item)) item.flow = true;
      }
    },
  });
  return doc.toString({ lineWidth: 0, minContentWidth: 0 }).replace(RAW_INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
}
