// Every playbook mistake is reported where it is (file:line:col) with what was expected.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { builtinPlaybookDir, loadPlaybookFile, parsePlaybook } from '../../src/playbook/load.js';
import { resolvePlaybook } from '../../src/playbook/resolve.js';

const GOOD = `id: demo
name: Demo agent
vendor: Demo Inc
vars:
  names: { default: [Demo.exe], description: the image }
  log: { default: "", description: a log, source: site }
detect:
  - probe: process-running
    with: { names: "\${names}" }
checks:
  - id: awake
    title: The PC is awake
    probe: machine-awake
  - id: running
    title: Demo runs
    needs: [awake]
    probe: process-running
    with: { names: "\${names}" }
    remediate: [start]
  - id: fresh
    title: Demo synced
    needs: [running]
    requiresVars: [log]
    probe: log-timestamp-fresh
    with: { path: "\${log}", pattern: '^(\\S+) ok', maxAge: 30m }
    otherwise:
      probe: ask
      with: { question: Is the last sync time recent? }
remediations:
  start:
    title: Start Demo
    risk: safe
    manual: [Start it from the Start menu.]
`;

function problems(text: string): string[] {
  try {
    parsePlaybook('pb.yaml', text);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return err.message.split('\n');
  }
  return [];
}

/** Replace one exact piece of the good playbook. */
const mutate = (from: string, to: string) => {
  expect(GOOD).toContain(from);
  return GOOD.replace(from, to);
};

describe('playbook loader', () => {
  it('accepts a good playbook', () => {
    expect(problems(GOOD)).toEqual([]);
  });

  it('unknown key: points at the key and lists the allowed ones', () => {
    const [p] = problems(mutate('    title: Demo runs\n', '    title: Demo runs\n    sevrity: warning\n'));
    expect(p).toMatch(/^pb\.yaml:16:5: unknown key "sevrity"; expected one of: id, title, why, probe/);
  });

  it('unknown probe', () => {
    expect(problems(mutate('    probe: machine-awake', '    probe: machine-asleep'))[0]).toMatch(/^pb\.yaml:13:12: unknown probe "machine-asleep"; expected one of: ask, /);
  });

  it('needs a check that does not exist', () => {
    expect(problems(mutate('needs: [awake]', 'needs: [awak]'))[0]).toMatch(/^pb\.yaml:16:13: needs an unknown check "awak"; expected one of: awake, running, fresh/);
  });

  it('a check that needs a guard is invalid: a failed guard would skip it, and guards are not counted, so it would vanish from the verdict (was: valid, and OK on a PC where it failed)', () => {
    const text = mutate('    title: The PC is awake\n', '    title: The PC is awake\n    guard: true\n');
    expect(problems(text)[0]).toBe('pb.yaml:17:13: "awake" is a guard (a condition for repairs, not counted in the verdict): a check cannot need it, or its failure would hide this check; make "awake" an ordinary check');
  });

  it('a remediation that does not exist', () => {
    expect(problems(mutate('remediate: [start]', 'remediate: [restart]'))[0]).toMatch(/^pb\.yaml:19:17: unknown remediation "restart"; expected one of: start/);
  });

  it('a needs cycle', () => {
    const text = mutate('    title: The PC is awake\n', '    title: The PC is awake\n    needs: [fresh]\n');
    expect(problems(text)[0]).toMatch(/^pb\.yaml:\d+:\d+: "needs" forms a cycle: awake → fresh → running → awake/);
  });

  it('an invalid regular expression', () => {
    expect(problems(mutate("pattern: '^(\\S+) ok'", "pattern: '^(\\S+ ok'"))[0]).toMatch(
      /^pb\.yaml:25:38: with\.pattern: invalid regular expression: .*Unterminated group/,
    );
  });

  it('an invalid duration', () => {
    expect(problems(mutate('maxAge: 30m', 'maxAge: 30 minutes'))[0]).toMatch(/^pb\.yaml:25:59: with\.maxAge: expected a duration \(up to 100 years\) such as "90s", "45m"/);
  });

  it('an unknown variable', () => {
    expect(problems(mutate('with: { names: "${names}" }\n    remediate', 'with: { names: "${nmes}" }\n    remediate'))[0]).toMatch(/^pb\.yaml:18:11: unknown variable "\$\{nmes\}"; declared: names, log/);
  });

  it('wrong parameter type for a probe', () => {
    expect(problems(mutate('with: { question: Is the last sync time recent? }', 'with: { question: 42 }'))[0]).toMatch(/^pb\.yaml:28:25: with\.question: expected a yes\/no question/);
  });

  it('a YAML syntax error', () => {
    expect(problems(mutate('    title: Demo synced\n', '    title: Demo: synced: twice\n'))[0]).toMatch(/^pb\.yaml:21:\d+: invalid YAML: /);
  });

  it('duplicate check ids', () => {
    expect(problems(mutate('  - id: fresh', '  - id: running'))[0]).toMatch(/^pb\.yaml:20:9: duplicate check id "running"/);
  });

  it('a remediation without action or manual steps', () => {
    expect(problems(mutate('    manual: [Start it from the Start menu.]\n', ''))[0]).toMatch(/^pb\.yaml:\d+:\d+: a remediation needs an `action` or `manual` steps/);
  });

  it('site settings override defaults and lists split on commas', () => {
    const pb = parsePlaybook('pb.yaml', GOOD);
    const r = resolvePlaybook(pb, [{ settings: { demo: { names: 'A.exe, B.exe', log: '/var/log/demo.log' } }, origin: '--set', kind: 'usage' }]);
    expect(r.vars.names).toEqual(['A.exe', 'B.exe']);
    expect(r.checks[1]!.call.params).toEqual({ names: ['A.exe', 'B.exe'] });
    expect(r.checks[2]!.call.probe.id).toBe('log-timestamp-fresh');
    // Without the log configured, the guided question stands in.
    expect(resolvePlaybook(pb, []).checks[2]!.call.probe.id).toBe('ask');
  });

  it('an unknown variable in --set is a usage error; in a config file, invalid input', () => {
    const pb = parsePlaybook('pb.yaml', GOOD);
    expect(() => resolvePlaybook(pb, [{ settings: { demo: { nope: 'x' } }, origin: '--set', kind: 'usage' }])).toThrow(/--set: demo has no variable "nope"; expected one of: names, log/);
    expect(() => resolvePlaybook(pb, [{ settings: { demo: { nope: 'x' } }, origin: 'site.yaml', kind: 'input' }])).toThrow(InputError);
  });

  it('every shipped playbook loads and resolves with its defaults', async () => {
    const dir = builtinPlaybookDir();
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const pb = await loadPlaybookFile(path.join(dir, f));
      expect(() => resolvePlaybook(pb, [])).not.toThrow();
      expect(pb.src.toJS()).toBeTruthy();
    }
  });
});
