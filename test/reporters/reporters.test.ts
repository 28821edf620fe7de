// The Markdown ticket note and the Nagios line: pure functions of a report.
import { describe, expect, it } from 'vitest';
import type { AgentResult, CheckResult, Report } from '../../src/core/report.js';
import { md, renderMarkdown } from '../../src/reporters/markdown.js';
import { renderNagios } from '../../src/reporters/nagios.js';
import { addCounts, statusOf, tally } from '../../src/engine/status.js';

function check(id: string, state: CheckResult['state'], extra: Partial<CheckResult> = {}): CheckResult {
  return { id, title: `Check ${id}`, state, severity: 'critical', summary: `${id} is ${state}`, evidence: [], durationMs: 1, error: state === 'unknown' ? 'it timed out' : null, remediations: [], ...extra };
}

function agent(id: string, checks: CheckResult[], extra: Partial<AgentResult> = {}): AgentResult {
  const counts = tally(checks);
  return { id, name: `Agent ${id}`, vendor: 'V', detected: true, detectedBy: ['a process'], status: statusOf(counts), counts, notConfigured: [], checks, nextSteps: [], docs: [], ...extra };
}

function report(agents: AgentResult[], extra: Partial<Report> = {}): Report {
  return {
    schemaVersion: 2,
    tool: { name: 'syncdoctor', version: '0.1.0' },
    host: { hostname: 'FRONTDESK-01', site: null, machineId: null, os: null, capturedAt: '2026-11-20T14:03:00.000Z', platform: 'win32', uptimeSeconds: 93600, bootTime: '2026-11-19T12:03:00.000Z', source: 'live', facts: ['uptime 93600 s'] },
    startedAt: '2026-11-20T14:03:00.000Z',
    durationMs: 120,
    status: 'critical',
    exitCode: 2,
    summary: 'Agent cism: CRITICAL',
    counts: addCounts(agents.map((a) => a.counts)),
    agents,
    actions: [],
    rebootRequired: false,
    ...extra,
  };
}

describe('nagios', () => {
  it('one status line with performance data; guards not counted', () => {
    const r = report([
      agent('cism', [check('a', 'pass'), check('b', 'pass'), check('run', 'fail', { title: 'CISM is running' }), check('c', 'skip'), check('g', 'fail', { guard: true })]),
    ]);
    expect(renderNagios(r)).toBe('SYNCDOCTOR CRITICAL - cism: CISM is running FAIL | checks=4 critical=1 unknown=0 warning=0 ok=2 skip=1\n');
  });

  it('failures first, then errors, then warnings, grouped by agent; a few named, the rest counted', () => {
    const r = report(
      [
        agent('qbwc', [check('w1', 'warn'), check('e1', 'unknown'), check('f1', 'fail')]),
        agent('cism', [check('f2', 'fail'), check('f3', 'fail'), check('w2', 'warn')]),
      ],
      { status: 'critical' },
    );
    const line = renderNagios(r);
    expect(line).toBe('SYNCDOCTOR CRITICAL - qbwc: Check f1 FAIL, Check e1 UNKNOWN; cism: Check f2 FAIL, Check f3 FAIL (+2 more) | checks=6 critical=3 unknown=1 warning=2 ok=0 skip=0\n');
    expect(line.split('\n')).toHaveLength(2);
  });

  it('OK and no agent at all', () => {
    expect(renderNagios(report([agent('cism', [check('a', 'pass')], { status: 'ok' })], { status: 'ok', exitCode: 0 }))).toBe(
      'SYNCDOCTOR OK - cism OK | checks=1 critical=0 unknown=0 warning=0 ok=1 skip=0\n',
    );
    expect(renderNagios(report([], { status: 'ok', exitCode: 0, summary: 'No supported sync agent is installed on this PC (looked for 5).' }))).toBe(
      'SYNCDOCTOR OK - No supported sync agent is installed on this PC (looked for 5) | checks=0 critical=0 unknown=0 warning=0 ok=0 skip=0\n',
    );
  });

  it('a title cannot break the line or start the performance data', () => {
    const line = renderNagios(report([agent('x', [check('a', 'fail', { title: 'A | B\nC' })])]));
    expect(line).toBe('SYNCDOCTOR CRITICAL - x: A / B C FAIL | checks=1 critical=1 unknown=0 warning=0 ok=0 skip=0\n');
  });
});

describe('markdown', () => {
  it('a ticket note: verdict, host, each check, evidence of what is wrong, next steps, vendor links', () => {
    const r = report([
      agent('cism', [check('a', 'pass', { evidence: ['seen fine'] }), check('run', 'fail', { title: 'CISM is running', summary: 'CISM.exe is not running', evidence: ['no process named CISM.exe'] }), check('g', 'pass', { guard: true, title: 'Nobody works in QuickBooks' })], {
        nextSteps: ['CISM is running — Start CISM (safe)'],
        docs: [{ title: "CISM isn't syncing", url: 'https://help.example.com/a (b)' }],
      }),
    ]);
    const text = renderMarkdown(r);
    expect(text).toContain('### syncdoctor: CRITICAL on FRONTDESK-01');
    expect(text).toContain('- Checked: 2026-11-20 14:03 UTC with syncdoctor 0.1.0 (exit code 2)');
    expect(text).toContain('- **FAIL** CISM is running — CISM.exe is not running\n  - no process named CISM.exe');
    expect(text).toContain('- **PASS** Check a — a is pass\n');
    expect(text).not.toContain('seen fine');
    expect(text).toContain('- Nobody works in QuickBooks: met');
    expect(text).toContain('1. CISM is running — Start CISM (safe)');
    expect(text).toContain("[CISM isn't syncing](https://help.example.com/a%20%28b%29)");
    expect(renderMarkdown(r, { verbose: true })).toContain('seen fine');
  });

  it('escapes what Markdown acts on, and keeps Windows paths as they are', () => {
    expect(md('C:\\ProgramData\\Intuit\\QBWebConnector\\log')).toBe('C:\\ProgramData\\Intuit\\QBWebConnector\\log');
    expect(md('\\\\server\\share')).toBe('\\\\\\server\\share');
    expect(md('*bold* [link](x) <b> a|b `code`')).toBe('\\*bold\\* \\[link\\](x) \\<b\\> a\\|b \\`code\\`');
    expect(md('snake_case stays, _emphasis_ does not')).toBe('snake_case stays, \\_emphasis\\_ does not');
    expect(md('two\nlines')).toBe('two lines');
  });

  it('lists repairs done and a pending reboot', () => {
    const r = report([agent('cism', [check('run', 'pass')], { status: 'ok' })], {
      status: 'warning',
      rebootRequired: true,
      actions: [{ at: '2026-11-20T14:05:00.000Z', agent: 'cism', check: 'run', remediation: 'start-cism', action: 'start-process', outcome: 'fixed', risk: 'safe' }],
    });
    const text = renderMarkdown(r);
    expect(text).toContain('**A reboot is pending**');
    expect(text).toContain('- 2026-11-20 14:05 UTC cism.run: start-cism (start-process, safe) → fixed');
  });
});
