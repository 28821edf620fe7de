// Cause order (pure): each check after its causes, otherwise in the vendor's order.
import { describe, expect, it } from 'vitest';
import { causeOrder, causesNotFixed } from '../../src/engine/causes.js';

const ids = (xs: { id: string }[]) => xs.map((x) => x.id);
const of = (m: Record<string, string[]>) => (id: string) => m[id] ?? [];

describe('causeOrder', () => {
  it.each([
    ['no causes: the vendor order', ['a', 'b', 'c'], {}, ['a', 'b', 'c']],
    ['a cause listed later comes first', ['sync', 'running', 'conflict'], { sync: ['conflict'] }, ['conflict', 'sync', 'running']],
    ['causes of causes', ['c', 'b', 'a'], { c: ['b'], b: ['a'] }, ['a', 'b', 'c']],
    ['two causes keep their own order', ['s', 'x', 'y'], { s: ['y', 'x'] }, ['y', 'x', 's']],
    ['an unknown cause is ignored', ['a'], { a: ['nowhere'] }, ['a']],
    ['a cycle (a playbook error) does not hang', ['a', 'b'], { a: ['b'], b: ['a'] }, ['b', 'a']],
  ] as const)('%s', (_name, checks, causes, expected) => {
    expect(ids(causeOrder(checks.map((id) => ({ id })), of(causes as Record<string, string[]>)))).toEqual(expected);
  });
});

describe('causesNotFixed', () => {
  const checks = (state: 'pass' | 'fail' | 'warn' | 'unknown' | 'awaiting' | 'skip') => [
    { id: 'sync', title: 'Sync', state: 'fail' as const },
    { id: 'conflict', title: 'No conflict', state },
  ];
  it.each([
    ['pass', []],
    ['skip', []],
    ['fail', ['No conflict']],
    ['warn', ['No conflict']],
    ['unknown', ['No conflict']],
    ['awaiting', ['No conflict']],
  ] as const)('a cause that is %s', (state, expected) => {
    expect(causesNotFixed('sync', checks(state), of({ sync: ['conflict'] }))).toEqual(expected);
  });
});
