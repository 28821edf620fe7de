// YAML (and JSON, a YAML subset) with source positions, so every mistake in a playbook, config or
// snapshot is reported as file:line:col with what was expected.
import { Composer, isMap, isPair, isScalar, isSeq, LineCounter, Parser, YAMLParseError, type CST, type Document, type Node } from 'yaml';
import type { TSchema } from '@sinclair/typebox';
// Check and Errors by name, not the Value namespace: the namespace brings all of TypeBox's value
// tools (cast, convert, diff, ...) into the bundle, which every run then reads (12 KiB less).
import { Errors, type ValueError } from '@sinclair/typebox/errors';
import { Check } from '@sinclair/typebox/value';
import { InputError, type InputProblem, type SourcePos } from './errors.js';
import { regexError } from './formats.js';

export type PathSeg = string | number;

export class YamlSource {
  private parsed: { doc: Document; lines: LineCounter } | undefined;

  /**
   * `value` is given when the text was read as JSON (the fast path): the YAML document, needed
   * only for positions, is then parsed on first use, i.e. only when something must be reported.
   */
  constructor(
    readonly file: string,
    private readonly text: string,
    parsed?: { doc: Document; lines: LineCounter },
    private readonly value?: unknown,
  ) {
    this.parsed = parsed;
  }

  /** The parsed YAML document (parsed now, for a source that was read as JSON). */
  get doc(): Document {
    return this.yaml().doc;
  }

  /** The plain JS value. */
  toJS(): unknown {
    if (!this.parsed && this.value !== undefined) return this.value;
    try {
      return this.doc.toJS({ maxAliasCount: 100 });
    } catch (err) {
      // "Excessive alias count" (an alias bomb), an unresolvable alias: the file is at fault.
      throw new InputError([{ pos: this.pos([]), message: `invalid YAML: ${firstLine(err instanceof Error ? err.message : String(err))}` }]);
    }
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
    const { line, col } = this.yaml().lines.linePos(offset);
    return { file: this.file, line, col };
  }

  private yaml(): { doc: Document; lines: LineCounter } {
    this.parsed ??= parseYaml(this.file, this.text);
    return this.parsed;
  }
}

function rangeStart(node: unknown): number | undefined {
  const r = (node as Node | null | undefined)?.range;
  return Array.isArray(r) ? r[0] : undefined;
}

function keyOf(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/**
 * Parses text; YAML syntax errors become an InputError with positions. JSON (a YAML subset, and
 * what a large snapshot is best written as) takes a fast path: JSON.parse is some hundred times
 * faster than a YAML parser on a cold start, and the YAML positions are computed only if needed.
 */
export function parseYamlSource(file: string, text: string): YamlSource {
  const json = parseJsonFast(text);
  if (json !== undefined) return new YamlSource(file, text, undefined, json.value);
  return new YamlSource(file, text, parseYaml(file, text));
}

/**
 * How deeply collections may nest. Real files nest a handful of levels; a hostile one nested a
 * thousand deep overflows the YAML composer's recursion, and V8 may then abort the whole process
 * (a regex compiled near the stack limit fails fatally), so depth is checked before composing.
 */
export const MAX_NESTING = 64;

function parseYaml(file: string, text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  const at = (offset: number): SourcePos => ({ file, ...lines.linePos(offset) });
  // As yaml's parseDocument, with the concrete syntax tree (built without recursion) checked first.
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const deep = tooDeep(tokens);
  if (deep !== undefined) throw new InputError([{ pos: at(deep), message: `invalid YAML: collections nested deeper than ${MAX_NESTING} levels` }]);
  let doc: Document | undefined;
  for (const d of new Composer({ prettyErrors: false, uniqueKeys: true, strict: true }).compose(tokens, true, text.length)) {
    if (!doc) doc = d as Document;
    else {
      doc.errors.push(new YAMLParseError([d.range[0], d.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; give one document'));
      break;
    }
  }
  const problems: InputProblem[] = doc!.errors.map((e) => ({ pos: at(e.pos[0]), message: `invalid YAML: ${firstLine(e.message)}` }));
  if (problems.length) throw new InputError(problems);
  return { doc: doc!, lines };
}

/** The offset of the first collection nested deeper than MAX_NESTING, walking the tokens without recursion. */
function tooDeep(tokens: CST.Token[]): number | undefined {
  const stack: [CST.Token, number][] = tokens.map((t) => [t, 0]);
  while (stack.length) {
    const [token, depth] = stack.pop()!;
    if (token.type === 'document') {
      if (token.value) stack.push([token.value, depth]);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth >= MAX_NESTING) return token.offset;
      for (const item of token.items) {
        if ('key' in item && item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
  return undefined;
}

/** The depth of nested arrays and objects in a JSON value, and how many keys its objects hold (no recursion). */
function jsonShape(value: unknown): { depth: number; keys: number } {
  let depth = 0;
  let keys = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > depth) depth = d + 1;
    if (depth > MAX_NESTING) break;
    const children = Array.isArray(v) ? v : Object.values(v);
    if (!Array.isArray(v)) keys += children.length;
    for (const child of children) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return { depth, keys };
}

/**
 * The value of a JSON object text, or undefined when the text is not one (YAML, invalid JSON) or
 * repeats a key in an object (YAML rejects that; JSON.parse would keep the last one silently):
 * the YAML parser then reads it and reports what is wrong with its position.
 */
function parseJsonFast(text: string): { value: unknown } | undefined {
  let i = 0;
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  if (text[i] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Too deep, or a repeated key: the YAML path reports where (its depth check runs before anything recursive).
  const shape = jsonShape(value);
  return shape.depth > MAX_NESTING || hasDuplicateKeys(text, shape.keys) ? undefined : { value };
}

/**
 * Whether any object in a valid JSON text repeats a key, given the number of keys the parsed value
 * holds: JSON.parse keeps one of each repeated key, so the text then has more keys than the value.
 * A key is the only place where an unescaped quote is followed by a colon (inside a string every
 * quote is escaped), so one regex pass counts the text's keys.
 */
function hasDuplicateKeys(text: string, valueKeys: number): boolean {
  let keys = 0;
  const keyEnd = /"\s*:/g;
  for (let m = keyEnd.exec(text); m; m = keyEnd.exec(text)) {
    let backslashes = 0;
    while (text.charCodeAt(m.index - 1 - backslashes) === 0x5c /* \ */) backslashes++;
    if (backslashes % 2 === 0) keys++;
  }
  return keys !== valueKeys;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** A schema's check and its errors (what schemaProblems needs). */
export interface SchemaCheck {
  Check(value: unknown): boolean;
  Errors(value: unknown): Iterable<ValueError>;
}

/**
 * A check that interprets the schema. Each file is validated once per run, and TypeBox's compiled
 * checks cost more to generate (new Function per schema) than they save on one value: measured
 * ~25 ms of start-up for the playbook, snapshot and parameter schemas.
 */
export function schemaCheck(schema: TSchema): SchemaCheck {
  return { Check: (v) => Check(schema, v), Errors: (v) => Errors(schema, v) };
}

/** Validates `value` (from `src`) against a schema check; returns problems with positions. */
export function schemaProblems(
  check: SchemaCheck,
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
    // Computed when read: callers drop some problems (e.g. values a site must still set), and a
    // position may cost a YAML parse (a source read from JSON or embedded in the bundle).
    let pos: SourcePos | undefined;
    problems.push({
      get pos() {
        return (pos ??= src.pos(path, unknownKey));
      },
      message,
      path: rel,
    });
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
  // JSON would print an out-of-range number (1e400 reads as Infinity) as null.
  const got = value === undefined ? 'nothing' : typeof value === 'number' && !Number.isFinite(value) ? `${value} (a number out of range)` : JSON.stringify(value)?.slice(0, 60) ?? String(value);
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
