// YAML (and JSON, a YAML subset) with source positions, so every mistake in a playbook, config or
// snapshot is reported as file:line:col with what was expected.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { TSchema } from '@sinclair/typebox';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { InputError, type InputProblem, type SourcePos } from './errors.js';
import { regexError } from './formats.js';

export type PathSeg = string | number;

export class YamlSource {
  constructor(
    readonly file: string,
    readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** The plain JS value. */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Position of the node at `path`; with `key`, of the key of the last segment. Falls back to the nearest parent. */
  pos(path: readonly PathSeg[], key = false): SourcePos {
    let node: unknown = this.doc.contents;
    let best: number | undefined = rangeStart(node);
    for (let i = 0; i < path.length; i++) {
      const seg = path[i]!;
      const last = i === path.length - 1;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && keyOf(p.key) === String(seg));
        if (!pair) break;
        const keyStart = rangeStart(pair.key);
        if (last && key && keyStart !== undefined) return this.at(keyStart);
        node = pair.value;
        best = rangeStart(node) ?? keyStart ?? best;
      } else if (isSeq(node)) {
        node = node.items[Number(seg)];
        best = rangeStart(node) ?? best;
        if (node === undefined) break;
      } else break;
    }
    return this.at(best ?? 0);
  }

  private at(offset: number): SourcePos {
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, col };
  }
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as Node | null | undefined)?.range;
  return Array.isArray(r) ? r[0] : undefined;
}

function keyOf(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** Parses text; YAML syntax errors become an InputError with positions. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true });
  const problems: InputProblem[] = doc.errors.map((e) => {
    const { line, col } = lines.linePos(e.pos[0]);
    return { pos: { file, line, col }, message: `invalid YAML: ${firstLine(e.message)}` };
  });
  if (problems.length) throw new InputError(problems);
  return new YamlSource(file, doc, lines);
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** Validates `value` (from `src`) against a compiled schema; returns problems with positions. */
export function schemaProblems<T extends TSchema>(
  check: TypeCheck<T>,
  value: unknown,
  src: YamlSource,
  basePath: readonly PathSeg[] = [],
  what = 'value',
): InputProblem[] {
  if (check.Check(value)) return [];
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  for (const err of check.Errors(value)) {
    const rel = err.path.split('/').slice(1).map(unescapePointer);
    const path = [...basePath, ...rel];
    const message = describeSchemaError(err.message, err.schema, err.value, rel, what);
    const k = `${path.join('/')}|${message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    const unknownKey = /^Unexpected property/.test(err.message);
    problems.push({ pos: src.pos(path, unknownKey), message, path: rel });
    if (problems.length >= 20) break;
  }
  return problems;
}

function unescapePointer(s: string): string {
  return s.replace(/~1/g, '/').replace(/~0/g, '~');
}

function describeSchemaError(message: string, schema: TSchema, value: unknown, rel: PathSeg[], what: string): string {
  const relName = rel.map((s) => (typeof s === 'number' || /^\d+$/.test(s) ? `[${s}]` : s)).join('.').replace(/\.\[/g, '[');
  // Parameters read as "with.pattern"; top-level keys of a file as themselves.
  const name = !rel.length ? what : what === 'with' ? `with.${relName}` : relName;
  if (/^Unexpected property/.test(message)) {
    const allowed = allowedKeysHint(schema);
    return `unknown key "${String(rel[rel.length - 1])}"${allowed}`;
  }
  if (/^Expected required property/.test(message)) return `missing required key "${String(rel[rel.length - 1])}"`;
  if (schema.format === 'regex' && typeof value === 'string' && regexError(value)) {
    return `${name}: invalid regular expression: ${regexError(value)}`;
  }
  const expected = expectation(schema);
  const got = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 60) ?? String(value);
  return `${name}: expected ${expected}, got ${got}`;
}

function allowedKeysHint(schema: TSchema): string {
  const keys = schema.properties ? Object.keys(schema.properties as object) : [];
  return keys.length ? `; expected one of: ${keys.join(', ')}` : '';
}

/** A short human description of what a schema accepts. */
export function expectation(schema: TSchema): string {
  if (schema.description && schema.description.length < 80 && schema.const === undefined && !schema.anyOf) {
    return schema.description;
  }
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.anyOf)) {
    const consts = (schema.anyOf as TSchema[]).map((s) => s.const).filter((c) => c !== undefined);
    if (consts.length === schema.anyOf.length) return `one of ${consts.map((c) => JSON.stringify(c)).join(', ')}`;
    return (schema.anyOf as TSchema[]).map(expectation).join(' or ');
  }
  if (schema.enum) return `one of ${(schema.enum as unknown[]).map((c) => JSON.stringify(c)).join(', ')}`;
  switch (schema.type) {
    case 'string':
      return schema.pattern ? `a string matching ${schema.pattern}` : schema.minLength ? 'a non-empty string' : 'a string';
    case 'integer':
      return schema.minimum !== undefined ? `a whole number ≥ ${schema.minimum}` : 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a mapping (key: value)';
    default:
      return 'a valid value';
  }
}
