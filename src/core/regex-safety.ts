// Regular expressions from playbooks, config and --set run against log lines a stranger may have
// written, so they are checked at load and run with limits:
// 1. at load (the `regex` schema format): no nested repetition (star height > 1), the shape
//    behind catastrophic backtracking such as /^(a+)+$/ or /(\w+\s?)*$/, and no backreference
//    or lookaround (with them V8 cannot fall back to its linear-time engine, see 2);
// 2. at run time (compileUserRegex): V8 switches a match that backtracks excessively to its
//    linear-time engine, which covers what the load check cannot see, e.g. /(a|a)*$/ or
//    /.*a.*a.*a.*c/; callers also cut lines to a bounded length before matching.

import { setFlagsFromString } from 'node:v8';

/** A bounded quantifier with a larger maximum than this repeats like `*` for this check. */
const MAX_BOUNDED_REPEAT = 10;

interface Frame {
  /** Where the group opened (index of "("), for messages; -1 for the whole pattern. */
  start: number;
  /** The largest star height inside the group so far. */
  height: number;
}

/**
 * Why `pattern` may backtrack catastrophically, or undefined when it has no nested repetition.
 * Reads JavaScript regex syntax without the `u` flag (as `new RegExp(pattern)` does); assumes the
 * pattern compiles.
 */
export function regexSafetyProblem(pattern: string): string | undefined {
  const stack: Frame[] = [{ start: -1, height: 0 }];
  // The height of the last atom (what a quantifier would apply to) and where it started.
  let atom: { height: number; start: number } | null = null;
  let i = 0;
  const n = pattern.length;
  while (i < n) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && pattern[i + 2] === '<')) return noLinearEngine(`the backreference ${pattern.slice(i, i + 2)}`, i);
      atom = { height: 0, start: i };
      i += 2;
      continue;
    }
    if (c === '[') {
      const start = i;
      i++;
      if (pattern[i] === '^') i++;
      // In JavaScript, "]" right after "[" or "[^" closes the class (an empty class).
      while (i < n && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
      atom = { height: 0, start };
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, height: 0 });
      atom = null;
      i++;
      // Skip the group's prefix (?: (?= (?! (?<= (?<! (?<name>): not quantifiable atoms.
      if (pattern[i] === '?') {
        if (/^(?:=|!|<=|<!)/.test(pattern.slice(i + 1, i + 3))) return noLinearEngine(`the lookaround ${pattern.slice(i - 1, i + 3).replace(/[^(?<=!]+$/, '')}`, i - 1);
        i++;
        if (pattern[i] === '<' && pattern[i + 1] !== '=' && pattern[i + 1] !== '!') {
          const close = pattern.indexOf('>', i);
          i = close === -1 ? n : close + 1;
        } else if (pattern[i] === '<') i += 2;
        else i++;
      }
      continue;
    }
    if (c === ')') {
      const frame = stack.length > 1 ? stack.pop()! : stack[0]!;
      atom = { height: frame.height, start: frame.start };
      bump(stack[stack.length - 1]!, frame.height);
      i++;
      continue;
    }
    if (c === '|') {
      atom = null;
      i++;
      continue;
    }
    const q = quantifierAt(pattern, i);
    if (q) {
      if (atom) {
        const repeats = q.max === Infinity || q.max > MAX_BOUNDED_REPEAT;
        const height: number = atom.height + (repeats ? 1 : 0);
        if (height > 1) {
          const where = pattern.slice(atom.start, q.end);
          return (
            `nested quantifier: ${JSON.stringify(where.length > 60 ? `${where.slice(0, 57)}...` : where)} (at character ${atom.start + 1}) ` +
            'repeats something that itself repeats, which can take exponential time on a long line; ' +
            'repeat the inner part only once, e.g. (a+)+ → a+, or (\\w+\\s?)* → [\\w\\s]*'
          );
        }
        bump(stack[stack.length - 1]!, height);
        atom = { height, start: atom.start };
      }
      i = q.end;
      // A lazy or (invalid, but tolerated here) possessive marker.
      if (pattern[i] === '?') i++;
      continue;
    }
    atom = { height: 0, start: i };
    i++;
  }
  return undefined;
}

/** Backreferences and lookaround keep V8 from switching the match to its linear-time engine. */
function noLinearEngine(what: string, at: number): string {
  return `${what} (at character ${at + 1}) is not allowed in a playbook pattern: a pattern with backreferences or lookaround cannot run with the backtracking limit; match more loosely instead`;
}

function bump(frame: Frame, height: number): void {
  if (height > frame.height) frame.height = height;
}

/** `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` at i (a `{` that is not a quantifier is a literal). */
function quantifierAt(pattern: string, i: number): { min: number; max: number; end: number } | undefined {
  const c = pattern[i];
  if (c === '*') return { min: 0, max: Infinity, end: i + 1 };
  if (c === '+') return { min: 1, max: Infinity, end: i + 1 };
  if (c === '?') return { min: 0, max: 1, end: i + 1 };
  if (c !== '{') return undefined;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 40));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
  return { min, max, end: i + m[0].length };
}

let fallbackEnabled: boolean | undefined;

/**
 * Lets V8 switch a match that backtracks excessively (more than 50,000 backtracks by default) to
 * its linear-time engine: catastrophic patterns then finish in linear time. It applies to
 * patterns without backreferences, lookaround or the `u` flag. Returns whether it is on.
 */
export function enableBacktrackLimit(): boolean {
  if (fallbackEnabled !== undefined) return fallbackEnabled;
  try {
    setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');
    fallbackEnabled = true;
  } catch {
    fallbackEnabled = false;
  }
  return fallbackEnabled;
}

/** A regex from a playbook, config or --set, compiled to run with the backtrack limit. */
export function compileUserRegex(pattern: string, flags = ''): RegExp {
  enableBacktrackLimit();
  return new RegExp(pattern, flags);
}
