// Bounded input (issue 15): every input read whole is a regular file of a bounded size, and the
// checks that meet user data run in linear time. Through the real CLI; inputs large enough that a
// quadratic check would overrun the time limit many times over.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { example, syncdoctor } from '../helpers/cli.js';

const canFifo = process.platform !== 'win32';

async function tmp(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'sd-bounded-'));
}

describe.runIf(canFifo)('a named pipe given as an input is refused at once, never waited on (was: the run hung)', () => {
  it.each([
    ['--snapshot', 'snapshot', (f: string) => ['check', '--snapshot', f]],
    ['--config', 'config', (f: string) => ['check', '--snapshot', example('cism-healthy.yaml'), '--config', f]],
  ] as const)('%s', async (_opt, what, args) => {
    const dir = await tmp();
    const fifo = path.join(dir, `${what}.yaml`);
    execFileSync('mkfifo', [fifo]);
    const r = await syncdoctor([...args(fifo)], { timeoutMs: 10_000 });
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain(`${fifo}: cannot read ${what}: not a regular file (a named pipe)`);
  });

  it('a playbook in a --playbooks folder', async () => {
    const dir = await tmp();
    const fifo = path.join(dir, 'agent.yaml');
    execFileSync('mkfifo', [fifo]);
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--playbooks', dir], { timeoutMs: 10_000 });
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain('not a regular file (a named pipe)');
  });
});

describe('inputs read whole have a size limit, named in the error', () => {
  it('a 70 MiB snapshot: exit 65, "more than a snapshot may be (64 MiB)", without reading it', async () => {
    const dir = await tmp();
    const big = path.join(dir, 'big.yaml');
    await writeFile(big, '');
    await truncate(big, 70 * 1024 * 1024); // sparse: nothing is written to disk
    const r = await syncdoctor(['check', '--snapshot', big]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain(`${big}: cannot read snapshot: 73400320 bytes is more than a snapshot may be (64 MiB)`);
  });

  it('a 17 MiB playbook: exit 65 at the limit for playbooks (16 MiB)', async () => {
    const dir = await tmp();
    const big = path.join(dir, 'big.yaml');
    await writeFile(big, '');
    await truncate(big, 17 * 1024 * 1024);
    const r = await syncdoctor(['validate', big]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain('is more than a playbook may be (16 MiB)');
  });
});

describe('linear checks where a regex met user data', () => {
  it('base64 with 4 MB of whitespace before a bad character is rejected in seconds (was: quadratic, a 320 KB one took 34 s)', async () => {
    const dir = await tmp();
    const text = await readFile(example('qbwc-healthy.yaml'), 'utf8');
    // A snapshot whose recorded command output is base64 full of whitespace, ending in a character that is not base64.
    const hostile = text.replace(/^commands:\n/m, `commands:\n  - argv: ["hostname"]\n    exitCode: 0\n    stdoutBase64: "QUJD${' '.repeat(4_000_000)}!"\n    stderr: ""\n`);
    expect(hostile).not.toBe(text);
    const file = path.join(dir, 'hostile.yaml');
    await writeFile(file, hostile);
    const t0 = Date.now();
    const r = await syncdoctor(['check', '--snapshot', file], { timeoutMs: 20_000 });
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toMatch(/commands\[0\]\.stdoutBase64: expected base64 text/);
    expect(Date.now() - t0).toBeLessThan(15_000);
  });
});
