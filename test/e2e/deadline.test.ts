// `--timeout` holds against a command that never returns: a fake `who` (the Linux logon reader)
// first on PATH, in a temporary folder and under a unique name so no other process is affected.
// The run ends shortly after its 3 s deadline with exit 3, the unfinished check is `error`, and
// the hung child is gone: checked by the pid it wrote, and its unique name.
import { execa } from 'execa';
import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

const PLAYBOOKS = path.join(ROOT, 'test', 'fixtures', 'playbooks-deadline');
const started: { pid: number; name: string }[] = [];

/** The name a live pid runs under, or undefined when it has gone. */
async function commOf(pid: number): Promise<string | undefined> {
  return (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => undefined))?.trim();
}

/** A `who` that records its pid and then never returns (optionally deaf to SIGTERM). */
async function fakeWho(ignoreTerm: boolean): Promise<{ dir: string; name: string; pidFile: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'syncdoctor-hang-'));
  const name = `sdhang-${randomBytes(3).toString('hex')}`;
  await copyFile('/bin/sleep', path.join(dir, name));
  const pidFile = path.join(dir, 'who.pid');
  // exec keeps the pid: the process execa started is the sleeping one. An ignored signal stays ignored across exec.
  await writeFile(path.join(dir, 'who'), `#!/bin/sh\necho $$ > "${pidFile}"\n${ignoreTerm ? "trap '' TERM\n" : ''}exec "${path.join(dir, name)}" 600\n`);
  await chmod(path.join(dir, 'who'), 0o755);
  return { dir, name, pidFile };
}

async function runWithHungWho(ignoreTerm: boolean) {
  const who = await fakeWho(ignoreTerm);
  const t0 = Date.now();
  const r = await execa(process.execPath, [BIN, 'check', 'hung-logon', '--playbooks', PLAYBOOKS, '--timeout', '3', '--json'], {
    reject: false,
    env: { NO_COLOR: '1', PATH: `${who.dir}${path.delimiter}${process.env.PATH}` },
    stdin: 'ignore',
    timeout: 30_000,
  });
  const elapsed = Date.now() - t0;
  const pid = Number((await readFile(who.pidFile, 'utf8')).trim());
  started.push({ pid, name: who.name });
  return { r, elapsed, pid, who };
}

describe.runIf(process.platform === 'linux')('--timeout with a command that never returns', () => {
  afterEach(async () => {
    // Only if the test failed: stop the fake child we started (its pid, and only while it still has our unique name).
    for (const { pid, name } of started.splice(0)) if ((await commOf(pid)) === name) process.kill(pid, 'SIGKILL');
  });

  it('ends by about 4 s with exit 3, the check that was waiting marked error, the child killed', async () => {
    const { r, elapsed, pid } = await runWithHungWho(false);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(elapsed).toBeLessThan(5_500);
    expect(elapsed).toBeGreaterThanOrEqual(3_000);
    const report = JSON.parse(String(r.stdout));
    expect(report).toMatchObject({ status: 'unknown', exitCode: 3 });
    const checks = report.agents[0].checks as { id: string; state: string; summary: string; error: string | null }[];
    expect(checks.find((c) => c.id === 'someone-logged-on')).toMatchObject({ state: 'unknown', summary: 'Could not tell: the run deadline was reached', error: 'the run deadline (--timeout 3s) was reached' });
    // Its dependant never started: blocked, with the reason.
    expect(checks.find((c) => c.id === 'after-logon')).toMatchObject({ state: 'skip' });
    expect(checks.every((c) => c.state !== 'pass' && c.state !== 'fail')).toBe(true);
    expect(await commOf(pid)).toBeUndefined();
  });

  it('a child that ignores SIGTERM is killed too (SIGKILL a second later)', async () => {
    const { r, elapsed, pid } = await runWithHungWho(true);
    expect(r.exitCode, r.stderr).toBe(3);
    expect(elapsed).toBeLessThan(6_500);
    expect(await commOf(pid)).toBeUndefined();
  });
});
