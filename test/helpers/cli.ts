// Runs the real syncdoctor binary (bin/syncdoctor.js) as a user would, without a TTY.
import { execa } from 'execa';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'syncdoctor.js');
export const EXAMPLES = path.join(ROOT, 'examples');

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function syncdoctor(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
  const r = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: '1', ...options.env },
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 30_000,
    stripFinalNewline: false,
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export function example(name: string): string {
  return path.join(EXAMPLES, name);
}
