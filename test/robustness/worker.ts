// The worker side of sandbox.ts: runs one target per message and says how it ended.
import { parentPort } from 'node:worker_threads';
import { HostError, InputError, TARGETS, UsageError } from './targets.js';

export interface ErrorInfo {
  /** InputError, HostError, UsageError, or the constructor name of anything else (a bug). */
  kind: string;
  message: string;
  stack?: string;
}

export type Outcome = { ok: true; value: string[]; ms: number } | { ok: false; error: ErrorInfo; ms: number };

function describe(err: unknown): ErrorInfo {
  const kind =
    err instanceof InputError ? 'InputError' : err instanceof HostError ? 'HostError' : err instanceof UsageError ? 'UsageError' : ((err as Error)?.constructor?.name ?? typeof err);
  return { kind, message: err instanceof Error ? err.message.slice(0, 2000) : String(err), ...(err instanceof Error && err.stack ? { stack: err.stack.slice(0, 4000) } : {}) };
}

parentPort!.on('message', async ({ id, target, input }: { id: number; target: string; input: unknown }) => {
  const t0 = performance.now();
  let outcome: Outcome;
  try {
    const fn = TARGETS[target];
    if (!fn) throw new Error(`no target ${target}`);
    const value = await fn(input as never);
    outcome = { ok: true, value, ms: performance.now() - t0 };
  } catch (err) {
    outcome = { ok: false, error: describe(err), ms: performance.now() - t0 };
  }
  parentPort!.postMessage({ id, outcome });
});
