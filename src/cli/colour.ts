// Colour only on a TTY, never with --no-color or NO_COLOR; chalk loads only when colour is on.
import type { Paint } from '../reporters/text.js';

export function wantsColour(flag: boolean): boolean {
  if (!flag || 'NO_COLOR' in process.env) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY);
}

export async function makePaint(): Promise<Paint> {
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { red: c.red, yellow: c.yellow, green: c.green, grey: c.gray, bold: c.bold, cyan: c.cyan };
}
