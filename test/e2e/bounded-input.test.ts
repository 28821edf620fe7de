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

describe('inputs are UTF-8, or refused where they are not', () => {
  it('a config saved in Windows-1252 ("José"): exit 65 at the byte, nothing run (was: read as "Jos\uFFFD", a user who matches nobody)', async () => {
    const file = path.join(await tmp(), 'config.yaml');
    await writeFile(file, Buffer.concat([Buffer.from('agents:\n  cism:\n    windowsUser: Jos'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await syncdoctor(['check', '--snapshot', example('cism-healthy.yaml'), '--config', file]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toBe(`${file}:3:21: this byte is not UTF-8 (a legacy code page such as Windows-1252?): save the file as UTF-8\n`);
  });

  it("a playbook saved as UTF-16 (Notepad's \"Unicode\"): exit 65, saying so", async () => {
    const dir = await tmp();
    await writeFile(path.join(dir, 'pb.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id: x\n', 'utf16le')]));
    const r = await syncdoctor(['validate', path.join(dir, 'pb.yaml')]);
    expect(r.exitCode).toBe(65);
    expect(r.stderr).toContain(`${path.join(dir, 'pb.yaml')}:1:1: the file is UTF-16 (Notepad's "Unicode"): save it as UTF-8`);
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

describe('control characters from the PC never reach a terminal or a note raw', () => {
  it('a window title with escape sequences is shown escaped in text, Markdown, Nagios and summarize (was: raw ESC and BEL)', async () => {
    const dir = await tmp();
    const text = await readFile(example('qbwc-popup-blocking.yaml'), 'utf8');
    // The QuickBooks window's title: clear the screen, set the terminal's title, ring the bell.
    const hostile = text
      .replace('\\"Harborline Supply - QuickBooks', '\\"Harbor\\e[2J\\e]0;pwned\\aline Supply - QuickBooks')
      .replace(/^hostname: .*$/m, 'hostname: "FRONT\\e[31mDESK-07"');
    expect(hostile).not.toBe(text);
    const file = path.join(dir, 'hostile.yaml');
    await writeFile(file, hostile);
    const report = path.join(dir, 'report.json');
    const outputs = [
      await syncdoctor(['check', '--snapshot', file, '--verbose', '--output', report]),
      await syncdoctor(['check', '--snapshot', file, '--format', 'markdown', '--verbose']),
      await syncdoctor(['check', '--snapshot', file, '--format', 'nagios']),
      await syncdoctor(['summarize', report]),
    ];
    expect(outputs.map((r) => r.exitCode)).toEqual([2, 2, 2, 2]);
    expect(outputs[3]!.stdout).toContain('FRONT\\x1B[31mDESK-07');
    for (const r of outputs) {
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
      expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    }
    expect(outputs[0]!.stdout).toContain('company file "Harbor\\x1B[2J\\x1B]0;pwned\\x07line Supply" open');
    // JSON keeps the data as it was (escaped by JSON itself): the report is a record, not a display.
    expect(JSON.parse(await readFile(report, 'utf8')).agents[0].checks.some((c: { evidence: string[] }) => c.evidence.some((e) => e.includes('\u001b[2J')))).toBe(true);
  });
});
