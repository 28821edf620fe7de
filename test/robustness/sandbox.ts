// Runs robustness targets (targets.ts) in a worker thread with a time limit per call: a parser
// that hangs (catastrophic backtracking, an endless loop) is terminated and reported as a hang
// instead of freezing the test run. The worker runs the sources bundled by esbuild (a dev
// dependency), so it needs neither the build nor a TypeScript loader.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Outcome } from './worker.js';

export type CallResult = Outcome | { hang: true; ms: number };

export class Sandbox {
  private worker: Worker | undefined;
  private seq = 0;
  private readonly pending = new Map<number, (r: CallResult) => void>();

  private constructor(private readonly script: string, private readonly dir: string) {}

  static async create(): Promise<Sandbox> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'syncdoctor-robustness-'));
    const script = path.join(dir, 'worker.mjs');
    await build({
      entryPoints: [path.join(import.meta.dirname, 'worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: script,
      logLevel: 'error',
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    });
    return new Sandbox(script, dir);
  }

  /** Runs `target` on `input`; a call still running after `timeoutMs` is a hang (the worker is replaced). */
  call(target: string, input: unknown, timeoutMs = 5000): Promise<CallResult> {
    const worker = this.ensure();
    const id = ++this.seq;
    const t0 = performance.now();
    return new Promise<CallResult>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        void worker.terminate();
        if (this.worker === worker) this.worker = undefined;
        resolve({ hang: true, ms: performance.now() - t0 });
      }, timeoutMs);
      this.pending.set(id, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
      worker.postMessage({ id, target, input });
    });
  }

  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    worker.on('message', ({ id, outcome }: { id: number; outcome: Outcome }) => {
      this.pending.get(id)?.(outcome);
      this.pending.delete(id);
    });
    worker.on('error', (err) => {
      // A crash of the worker itself (out of memory, a fatal error): every pending call fails.
      for (const [id, done] of this.pending) done({ ok: false, error: { kind: 'WorkerCrash', message: String(err) }, ms: 0 });
      this.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** A readable verdict for assertions: '' when the call ended as allowed. */
export function verdict(r: CallResult, allowed: readonly string[] = []): string {
  if ('hang' in r) return `hang (no answer after ${Math.round(r.ms)} ms)`;
  if (!r.ok) return allowed.includes(r.error.kind) ? '' : `uncaught ${r.error.kind}: ${r.error.message}\n${r.error.stack ?? ''}`;
  return r.value.length ? `bad output: ${r.value.join('; ')}` : '';
}
