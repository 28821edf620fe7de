// ${var} interpolation in probe and action parameters.
import type { VarValueT } from './schema.js';

const REF = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;
const WHOLE = /^\$\{([A-Za-z][A-Za-z0-9_]*)\}$/;

/** Every variable name referenced anywhere in `value`. */
export function referencedVars(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === 'string') for (const m of value.matchAll(REF)) out.add(m[1]!);
  else if (Array.isArray(value)) value.forEach((v) => referencedVars(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => referencedVars(v, out));
  return out;
}

/**
 * Replaces ${name} with the variable's value. A string that is exactly "${name}" takes the value
 * as it is (so a list variable fills a list parameter); a list item that is exactly "${list}" is
 * spread into the list; elsewhere lists are joined with ", ".
 */
export function interpolate(value: unknown, vars: Readonly<Record<string, VarValueT>>): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return vars[whole[1]!] ?? value;
    return value.replace(REF, (all, name: string) => {
      const v = vars[name];
      return v === undefined ? all : Array.isArray(v) ? v.join(', ') : v;
    });
  }
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      const r = interpolate(item, vars);
      return typeof item === 'string' && WHOLE.test(item) && Array.isArray(r) ? r : [r];
    });
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)]));
  }
  return value;
}

export function isUnset(v: VarValueT | undefined): boolean {
  return v === undefined || (Array.isArray(v) ? v.filter((x) => x.trim()).length === 0 : v.trim() === '');
}

/** The value at a path of keys inside a parameters object. */
export function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let v = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return v;
}

/** Whether a raw parameter value is built from variables of which one is still unset. */
export function madeOfUnsetVars(raw: unknown, unset: Set<string>): boolean {
  const refs = referencedVars(raw);
  return refs.size > 0 && [...refs].some((r) => unset.has(r));
}

/** The unset variables a raw parameter value is built from. */
export function unsetVarsIn(raw: unknown, unset: Set<string>): string[] {
  return [...referencedVars(raw)].filter((r) => unset.has(r));
}
