// Repairs a technician can trust (issue 13, first steps), through the real CLI: risk floors, only the
// agent's own program is ever started, and never a program that restarts or stops the machine.
// Every program these tests could start is a harmless copy of /bin/sh or /bin/true in a temp folder.
import { copyFile, chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, syncdoctor } from '../helpers/cli.js';

async function tmp(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'syncdoctor-safety-'));
}

const playbook = (remediation: string) => `id: safety
name: Safety
vendor: Test
vars:
  program: { default: "", source: site, description: the program }
  names: { default: [], source: site, description: its image names }
detect: [{ probe: machine-awake }]
checks:
  - id: running
    title: The agent is running
    probe: process-running
    with: { names: "\${names}" }
    remediate: [fix]
remediations:
  fix:
${remediation}
`;

describe('risk floors', () => {
  it('a remediation that declares less risk than its action is invalid: exit 65 at its risk line (was: valid, and run by a plain --fix)', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'safety.yaml');
    await writeFile(file, playbook('    title: Close and relaunch\n    risk: safe\n    action: kill-and-relaunch\n    with: { kill: ["${names}"], user: root }'));
    const v = await syncdoctor(['validate', file]);
    expect(v.exitCode).toBe(65);
    expect(v.stderr).toContain(`${file}:17:11: risk "safe" is below what the action kill-and-relaunch is: declare at least "disruptive"`);
    const fix = await syncdoctor(['check', 'safety', '--fix', '--playbooks', dir, '--audit-log', path.join(dir, 'audit.log')]);
    expect(fix.exitCode).toBe(65);
    await expect(readFile(path.join(dir, 'audit.log'))).rejects.toThrow();
  });
});

describe('a repair starts only the agent\'s own program', () => {
  async function setup(programName: string) {
    const dir = await tmp();
    await chmod(dir, 0o755);
    const program = path.join(dir, programName);
    await copyFile('/bin/true', program);
    await chmod(program, 0o755);
    await writeFile(path.join(dir, 'safety.yaml'), playbook('    title: Start the agent\n    risk: safe\n    action: start-process\n    with: { path: "${program}", image: "${names}" }'));
    const run = (names: string, extra: string[] = []) =>
      syncdoctor(['check', 'safety', '--fix', '--json', '--playbooks', dir, '--audit-log', path.join(dir, 'audit.log'), '--set', `safety.program=${program}`, '--set', `safety.names=${names}`, ...extra]);
    return { dir, program, run };
  }

  it('a program named like a power command is never started, whatever the settings say (was: start-process bypassed the refusal)', async () => {
    const { dir, run } = await setup('shutdown');
    const r = await run('shutdown');
    const report = JSON.parse(r.stdout);
    const step = report.agents[0].checks[0].remediations[0];
    expect(step.plan.join('\n')).toMatch(/cannot be done automatically here: .*shutdown restarts or stops the machine; it is never started as an agent/);
    expect(report.actions.map((a: { outcome: string }) => a.outcome)).toEqual(['needs-a-person']);
    expect(await readFile(path.join(dir, 'audit.log'), 'utf8').catch(() => '')).not.toMatch(/"intent"/);
  });

  it("a program that is not one of the agent's image names is not started (free text is not the agent)", async () => {
    const { run } = await setup('helper');
    const r = await run(`sdagent-${process.pid}`);
    const step = JSON.parse(r.stdout).agents[0].checks[0].remediations[0];
    expect(step.plan.join('\n')).toMatch(/helper is not the agent's program \(its file name is none of sdagent-\d+\)/);
  });
});

describe('--playbooks does not silently replace a shipped playbook', () => {
  it('a folder playbook with a shipped id is a usage error (64) unless --allow-override (was: silently replaced)', async () => {
    const dir = await tmp();
    const shipped = await readFile(path.join(import.meta.dirname, '..', '..', 'playbooks', 'cism.yaml'), 'utf8');
    // A "cism" whose Kill QBW step is labelled safe would run under a plain --fix.
    await writeFile(path.join(dir, 'my-cism.yaml'), shipped.replace('name: Crik-IT Sync Manager (CISM)', 'name: My CISM'));
    const snap = path.join(import.meta.dirname, '..', '..', 'examples', 'cism-healthy.yaml');
    const r = await syncdoctor(['check', '--snapshot', snap, '--playbooks', dir]);
    expect(r.exitCode).toBe(64);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`--playbooks ${dir}: ${path.join(dir, 'my-cism.yaml')} has the id "cism" of a shipped playbook; add --allow-override to replace the shipped one`);
    const ok = await syncdoctor(['check', '--snapshot', snap, '--playbooks', dir, '--allow-override', '--json']);
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(ok.stdout).agents[0].name).toBe('My CISM');
  });
});

describe('a refused rung never leads to a riskier one; every restart has machine-checked guards', () => {
  const example = (n: string) => path.join(import.meta.dirname, '..', '..', 'examples', n);
  it('CISM user conflict: "Kill QBW" is refused by its guard, so the restart is not planned either (was: shutdown /r planned right after)', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-quickbooks-user-conflict.yaml'), '--dry-run', '--allow', 'reboot', '--json']);
    const actions = JSON.parse(r.stdout).actions.map((a: { remediation: string; outcome: string }) => [a.remediation, a.outcome]);
    expect(actions).toContainEqual(['kill-qbw', 'refused']);
    expect(actions).toContainEqual(['reboot-pc', 'refused']);
    expect(actions.filter(([, o]: string[]) => o === 'planned').map(([id]: string[]) => id)).not.toContain('reboot-pc');
    expect(r.stderr).toContain('Not trying "Restart the CISM PC (last resort)"');
  });

  it('QuikStor with the internet down: the restart is refused by its guard (was: shutdown /r planned although the article restarts only when the internet was not lost)', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('quikstor-internet-down.yaml'), '--dry-run', '--allow', 'reboot', '--json']);
    const restart = JSON.parse(r.stdout).actions.find((a: { remediation: string }) => a.remediation === 'restart-pc');
    expect(restart.outcome).toBe('refused');
    expect(restart.detail).toMatch(/This site reaches QuikStor's server \(the internet is up\)/);
  });

  it('validate rejects a disruptive or restart step that has no guard', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'safety.yaml');
    await writeFile(file, playbook('    title: Restart\n    risk: reboot\n    action: reboot\n    with: { delay: 15m }'));
    const v = await syncdoctor(['validate', file]);
    expect(v.exitCode).toBe(65);
    expect(v.stderr).toContain(`${file}:17:11: a reboot step with an action needs \`guards:\``);
  });
});

describe('"nobody is working in QuickBooks" counts idle and disconnected sessions as someone working', () => {
  const plan = async (snapshot: string) => {
    const r = await syncdoctor(['check', '--snapshot', snapshot, '--dry-run', '--allow', 'disruptive', '--json']);
    const report = JSON.parse(r.stdout);
    return report.actions.find((a: { remediation: string }) => a.remediation === 'restart-qbwc');
  };

  it('QuickBooks open in a session idle 48 minutes: closing QuickBooks is refused (was: planned, as idle for 30 min counted as nobody)', async () => {
    const a = await plan(example('qbwc-popup-blocking.yaml'));
    expect(a.outcome).toBe('refused');
    expect(a.detail).toContain('Someone has QuickBooks open on this PC');
  });

  it('QuickBooks open in a disconnected session: closing QuickBooks is refused (was: planned, as a disconnected session counted as nobody)', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'qbwc-disconnected.yaml');
    const text = await readFile(example('qbwc-popup-blocking.yaml'), 'utf8');
    // The same PC, with the sync user's session disconnected and only 2 minutes idle.
    const disconnected = text.replace('>frontdesk             console             1  Active        48', ' frontdesk                                 1  Disc           2');
    expect(disconnected).not.toBe(text);
    await writeFile(file, disconnected);
    const a = await plan(file);
    expect(a.outcome).toBe('refused');
    expect(a.detail).toContain('Someone has QuickBooks open on this PC');
  });
});

describe('what cannot be undone is its own class, and manual only', () => {
  it("Journyx's session deletion is irreversible and only ever a person's step, even with --allow reboot (was: labelled safe)", async () => {
    const r = await syncdoctor(['check', '--snapshot', example('journyx-stuck-session.yaml'), '--dry-run', '--allow', 'reboot', '--json']);
    const report = JSON.parse(r.stdout);
    const step = report.agents[0].checks.flatMap((c: { remediations: { id: string }[] }) => c.remediations).find((s: { id: string }) => s.id === 'sync-console');
    expect(step).toMatchObject({ risk: 'irreversible' });
    expect(step.action).toBeUndefined();
    const done = report.actions.filter((a: { remediation: string }) => a.remediation === 'sync-console');
    expect(done.length).toBeGreaterThan(0);
    for (const a of done) expect(a.outcome).toBe('needs-a-person');
  });

  it('POS "Full data resync" (deletes local data) is irreversible too (was: disruptive)', async () => {
    // Its check is a question for a person, so the step is listed (as "check by hand") on the healthy example.
    const v = await syncdoctor(['check', '--snapshot', example('pos-sync-healthy.yaml'), '--json']);
    const steps = JSON.parse(v.stdout).agents.flatMap((a: { checks: { remediations: { id: string; risk: string }[] }[] }) => a.checks.flatMap((c) => c.remediations));
    expect(steps.filter((x: { id: string }) => x.id === 'full-data-resync').map((x: { risk: string }) => x.risk)).toEqual(['irreversible']);
  });

  it('validate rejects an irreversible step with an action: exit 65 at its action line', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'safety.yaml');
    await writeFile(file, playbook('    title: Wipe and resync\n    risk: irreversible\n    action: kill-and-relaunch\n    guards: [running]\n    with: { kill: ["${names}"], user: root }'));
    const v = await syncdoctor(['validate', file]);
    expect(v.exitCode).toBe(65);
    expect(v.stderr).toContain(`${file}:18:13: an irreversible step (deleting data, a full resync) is manual-only`);
  });
});

describe('cause before symptom', () => {
  it('CISM user conflict: the next steps and the ladder take the conflict first, and hold the sync check\'s disruptive steps until it is fixed (was: "Kill QBW" and the restart listed before asking the other person)', async () => {
    const r = await syncdoctor(['check', '--snapshot', example('cism-quickbooks-user-conflict.yaml'), '--dry-run', '--allow', 'reboot', '--json']);
    const report = JSON.parse(r.stdout);
    const cism = report.agents[0];
    // Checks stay in the vendor's order...
    const ids = cism.checks.map((c: { id: string }) => c.id);
    expect(ids.indexOf('syncs-scheduled')).toBeLessThan(ids.indexOf('quickbooks-user-conflict'));
    // ...next steps and the ladder go in cause order.
    const ask = cism.nextSteps.findIndex((s: string) => s.includes('Ask the other person to close QuickBooks'));
    const kill = cism.nextSteps.findIndex((s: string) => s.includes('"Kill QBW"'));
    expect(ask).toBeGreaterThanOrEqual(0);
    expect(ask).toBeLessThan(kill);
    const done = report.actions.map((a: { remediation: string; outcome: string; detail?: string }) => [a.remediation, a.outcome, a.detail ?? '']);
    expect(done.findIndex((d: string[]) => d[0] === 'close-other-quickbooks')).toBeLessThan(done.findIndex((d: string[]) => d[0] === 'kill-qbw'));
    for (const id of ['kill-qbw', 'reboot-pc']) {
      expect(done.find((d: string[]) => d[0] === id)).toEqual([id, 'refused', 'its cause is not fixed yet ("QuickBooks is not held by another user on this PC"): fix that first']);
    }
  });

  it('validate: causedBy must name another check, not a guard, and not form a cycle (65, file:line:col)', async () => {
    const dir = await tmp();
    const file = path.join(dir, 'causes.yaml');
    await writeFile(
      file,
      `id: causes
name: Causes
vendor: Test
detect: [{ probe: machine-awake }]
checks:
  - id: a
    title: A
    probe: machine-awake
    causedBy: [b, nowhere]
  - id: b
    title: B
    probe: machine-awake
    causedBy: [a]
  - id: g
    title: G
    guard: true
    probe: machine-awake
  - id: c
    title: C
    probe: machine-awake
    causedBy: [g]
`,
    );
    const v = await syncdoctor(['validate', file]);
    expect(v.exitCode).toBe(65);
    expect(v.stderr).toContain(`${file}:9:19: causedBy names an unknown check "nowhere"`);
    expect(v.stderr).toContain(`${file}:21:16: "g" is a guard (a safety condition), not a cause`);
    expect(v.stderr).toMatch(/"causedBy" forms a cycle: a → b → a/);
  });
});

describe('one restart per run', () => {
  it('two failing checks that each end in a restart: the PC is restarted once, with the playbook\'s delay, and nothing automated follows it, in that run or the next before the restart has shown (was: a second shutdown scheduled, in 15 minutes whatever the delay)', async () => {
    const dir = await tmp();
    await writeFile(
      path.join(dir, 'twice.yaml'),
      `id: twice
name: Two checks, one restart
vendor: Test
detect: [{ probe: machine-awake }]
checks:
  - { id: first, title: The first file is there, probe: file-exists, with: { path: ${JSON.stringify(path.join(dir, 'missing-1'))} }, remediate: [restart] }
  - { id: second, title: The second file is there, probe: file-exists, with: { path: ${JSON.stringify(path.join(dir, 'missing-2'))} }, remediate: [restart] }
  - { id: nobody-in-quickbooks, title: Nobody is in QuickBooks, guard: true, probe: quickbooks-in-use, with: { quickbooksImages: [sdqb-never-running.exe] } }
remediations:
  restart:
    title: Restart the PC
    risk: reboot
    action: reboot
    guards: [nobody-in-quickbooks]
    with: { delay: 2h, message: syncdoctor test restart }
`,
    );
    const rehearsal = path.join(dir, 'rehearsal.jsonl');
    const r = await syncdoctor(['check', 'twice', '--fix', '--allow', 'reboot', '--json', '--playbooks', dir, '--audit-log', path.join(dir, 'audit.log')], {
      env: { SYNCDOCTOR_REHEARSE: 'shutdown', SYNCDOCTOR_REHEARSAL_LOG: rehearsal },
    });
    const report = JSON.parse(r.stdout);
    expect(report.actions.map((a: { check: string; outcome: string }) => [a.check, a.outcome])).toEqual([['first', 'applied'], ['second', 'skipped']]);
    expect(report.actions[1].detail).toBe('"Restart the PC" is scheduled by this run; a run after the restart looks again');
    // The playbook's own delay, 2 hours (was: 15 minutes whatever the playbook said).
    expect((await readFile(rehearsal, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).argv)).toEqual([['shutdown', '-r', '+120', 'syncdoctor test restart']]);
    expect(report.rebootRequired).toBe(true);
    expect(r.exitCode).toBe(2);

    // The next run, before that restart has had its chance: nothing automated either (was: the
    // second check's restart scheduled again).
    const again = await syncdoctor(['check', 'twice', '--fix', '--allow', 'reboot', '--json', '--playbooks', dir, '--audit-log', path.join(dir, 'audit.log')], {
      env: { SYNCDOCTOR_REHEARSE: 'shutdown', SYNCDOCTOR_REHEARSAL_LOG: rehearsal },
    });
    const second = JSON.parse(again.stdout);
    expect(second.agents[0].checks.find((c: { id: string }) => c.id === 'first').state).toBe('awaiting');
    expect(second.actions.map((a: { check: string; outcome: string }) => [a.check, a.outcome])).toEqual([['second', 'skipped']]);
    expect(second.actions[0].detail).toMatch(/^"Restart the PC" is scheduled by an earlier run \(at \S+\); a run after the restart looks again$/);
    expect((await readFile(rehearsal, 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
