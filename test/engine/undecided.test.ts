// The unattended "could not tell" rules as a table: what each check becomes, and what to set.
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/core/report.js';
import { markUndecided, type CheckSetup } from '../../src/engine/undecided.js';
import { statusOf, tally } from '../../src/engine/status.js';

type Spec = [id: string, state: CheckResult['state'], extra?: Partial<CheckResult> & { unset?: string[]; fallback?: boolean }];

function run(specs: Spec[]) {
  const setup = new Map<string, CheckSetup>();
  const checks = specs.map(([id, state, extra = {}]): CheckResult => {
    const { unset, fallback, ...rest } = extra;
    if (unset) setup.set(id, { unset, ...(fallback ? { fallback } : {}) });
    return { id, title: id, state, severity: 'critical', summary: `${id} ${state}`, evidence: [], durationMs: 0, error: null, remediations: [], ...rest };
  });
  const r = markUndecided(checks, setup);
  return { states: Object.fromEntries(r.checks.map((c) => [c.id, c.state])), status: statusOf(tally(r.checks)), notConfigured: r.notConfigured, checks: r.checks };
}

const Q = { question: 'Is the tray icon shown?' };

describe('markUndecided (unattended runs)', () => {
  it.each<[string, Spec[], Record<string, string>, string, string[]]>([
    ['all automated checks pass: OK', [['a', 'pass'], ['b', 'pass']], { a: 'pass', b: 'pass' }, 'ok', []],
    ['a question alone does not change an OK verdict', [['a', 'pass'], ['q', 'skip', Q]], { a: 'pass', q: 'skip' }, 'ok', []],
    ['a question beside a warning stays a question', [['a', 'warn'], ['q', 'skip', Q]], { a: 'warn', q: 'skip' }, 'warning', []],
    ['a question beside a failure is what would decide it', [['a', 'fail'], ['q', 'skip', Q]], { a: 'fail', q: 'unknown' }, 'critical', []],
    ['a question beside an undecided check is undecided too', [['a', 'unknown'], ['q', 'skip', Q]], { a: 'unknown', q: 'unknown' }, 'unknown', []],
    ['a question asked because a setting is missing is undecided, and names it', [['a', 'pass'], ['q', 'skip', { ...Q, unset: ['cism.processNames'] }]], { a: 'pass', q: 'unknown' }, 'unknown', ['cism.processNames']],
    ['an unconfigured call (already unknown) names its setting once', [['a', 'unknown', { unset: ['x.log'] }], ['b', 'unknown', { unset: ['x.log', 'x.pattern'] }]], { a: 'unknown', b: 'unknown' }, 'unknown', ['x.log', 'x.pattern']],
    ['a probe that decided with an empty value keeps its answer', [['a', 'pass', { unset: ['cism.windowsUser'] }]], { a: 'pass' }, 'ok', []],
    ["the playbook's fallback passing answered a weaker question: undecided", [['a', 'pass', { unset: ['cism.windowsUser'], fallback: true }]], { a: 'unknown' }, 'unknown', ['cism.windowsUser']],
    ["the playbook's fallback warning: undecided too", [['a', 'warn', { unset: ['cism.windowsUser'], fallback: true }]], { a: 'unknown' }, 'unknown', ['cism.windowsUser']],
    ["the playbook's fallback failing fails the check (nobody logged on: not the agent's user either)", [['a', 'fail', { unset: ['cism.windowsUser'], fallback: true }]], { a: 'fail' }, 'critical', []],
    ['a skip without a question (blocked, not applicable) stays a skip', [['a', 'fail'], ['b', 'skip']], { a: 'fail', b: 'skip' }, 'critical', []],
    ['a guard is never changed or counted', [['a', 'pass'], ['g', 'skip', { ...Q, guard: true, unset: ['x.y'] }]], { a: 'pass', g: 'skip' }, 'ok', []],
    ['an answered question is decided', [['a', 'fail'], ['q', 'pass', { ...Q, answer: 'yes' }]], { a: 'fail', q: 'pass' }, 'critical', []],
  ])('%s', (_name, specs, states, status, notConfigured) => {
    const r = run(specs);
    expect(r.states).toEqual(states);
    expect(r.status).toBe(status);
    expect(r.notConfigured).toEqual(notConfigured);
  });

  it('says what to set, and keeps the question for a person', () => {
    const { checks } = run([['q', 'skip', { ...Q, unset: ['cism.processNames'] }]]);
    expect(checks[0]!.summary).toBe('Not configured: set cism.processNames to check this automatically (until then a person must look: Is the tray icon shown?)');
    expect(checks[0]!.error).toBe('site setting not set: cism.processNames');
    expect(checks[0]!.question).toBe(Q.question);
  });

  it('names the unanswered question as what would decide the case', () => {
    const { checks } = run([['a', 'fail'], ['q', 'skip', Q]]);
    expect(checks[1]!.summary).toMatch(/^Unanswered: Is the tray icon shown\? — another check of this agent is not OK/);
  });
});
