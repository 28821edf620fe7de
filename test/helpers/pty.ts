// Runs the real binary in a pseudo-terminal (util-linux `script`), so prompts behave as they do for
// a technician: the test waits for text on the screen and types keys.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { BIN } from './cli.js';

const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b[()][A-Z0-9]|\r/g;

export const KEY = { enter: '\r', down: '\u001b[B', ctrlC: '\u0003' };

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export class PtySession {
  private raw = '';
  private readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number>;

  /** `script`: what node runs (the installed CLI unless given, e.g. a copied bundle), from `cwd`. */
  constructor(args: string[], env: Record<string, string> = {}, { script = BIN, cwd }: { script?: string; cwd?: string } = {}) {
    const command = [process.execPath, script, ...args].map(quote).join(' ');
    this.child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '', TERM: 'xterm', COLUMNS: '200', ...env },
    });
    this.child.stdout.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.child.stderr.on('data', (d: Buffer) => (this.raw += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code ?? -1)));
  }

  /** What the screen showed so far, without terminal control codes. */
  get text(): string {
    return this.raw.replace(ANSI, '');
  }

  async waitFor(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (!pattern.test(this.text)) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${pattern}; screen:\n${this.text.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
