// `syncdoctor summarize reports/*.json`: the JSON reports an RMM collected from many PCs → one
// fleet view. Unreadable files are listed and left out; only when none can be read is it invalid
// input (exit 65). Patterns are expanded here too, because Windows shells pass `*.json` as it is.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { REPORT_SCHEMA_VERSION } from '../core/report.js';
import { EXIT_CODE } from '../engine/status.js';
import { checkOutputs, writeFileAtomic } from '../host/output-file.js';

const READ_CONCURRENCY = 8;
/** A report of hundreds of checks is well under a megabyte; a larger file is not one of ours. */
const MAX_REPORT_BYTES = 32 * 1024 * 1024;

export async function summarizeCommand(args: string[], opts: Record<string, unknown>): Promise<number> {
  if (typeof opts.output === 'string') await checkOutputs([opts.output], '--output');
  const unreadable: { file: string; reason: string }[] = [];
  const files = await expandArgs(args, unreadable);
  const { FleetBuilder, renderFleetCsv, renderFleetJson, renderFleetMarkdown, renderFleetText } = await import('../reporters/fleet.js');
  const fleet = new FleetBuilder();
  for (const u of unreadable) fleet.unreadableFile(u.file, u.reason);
  // A few files at a time, each dropped once its digest is taken: memory follows the PCs.
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, files.length) }, async () => {
      while (next < files.length) {
        const file = files[next++]!;
        const r = await readReport(file);
        if (typeof r === 'string') fleet.unreadableFile(file, r);
        else fleet.add(file, r);
      }
    }),
  );
  if (fleet.readable === 0) {
    const bad = fleet.unreadableFiles;
    throw new InputError(bad.length ? bad.map((u) => ({ file: u.file, message: u.reason })) : [{ message: 'no report files given' }]);
  }
  const summary = fleet.finish();
  const format = String(opts.format ?? 'text');
  const text = format === 'csv' ? renderFleetCsv(summary) : format === 'json' ? renderFleetJson(summary) : format === 'markdown' ? renderFleetMarkdown(summary) : renderFleetText(summary);
  // CSV has no place for them: the unreadable files go to stderr.
  if (format === 'csv') for (const u of summary.unreadable) process.stderr.write(`${u.file}: ${u.reason} (left out)\n`);
  if (typeof opts.output === 'string') await writeFileAtomic(opts.output, text, '--output');
  else process.stdout.write(text);
  // The fleet's worst status, as a check's exit code: a monitor can run summarize too.
  return EXIT_CODE[summary.status];
}

/** Files, folders (their *.json) and patterns with * and ? in the file name → files, in order, once each. */
export async function expandArgs(args: string[], unreadable: { file: string; reason: string }[]): Promise<string[]> {
  const out: string[] = [];
  const seen = new Set<string>();
  const push = (f: string) => {
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  };
  for (const arg of args) {
    const st = await stat(arg).catch(() => undefined);
    if (st?.isDirectory()) {
      const names = (await readdir(arg)).filter((n) => /\.json$/i.test(n)).sort();
      for (const n of names) push(path.join(arg, n));
      continue;
    }
    if (st) {
      push(arg);
      continue;
    }
    const base = path.basename(arg);
    const dir = path.dirname(arg);
    if (!/[*?]/.test(base)) {
      unreadable.push({ file: arg, reason: 'no such file' });
      continue;
    }
    if (/[*?]/.test(dir)) {
      unreadable.push({ file: arg, reason: 'patterns are supported in the file name only (e.g. reports/*.json)' });
      continue;
    }
    const re = new RegExp(`^${base.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, process.platform === 'win32' ? 'i' : '');
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => re.test(n)).sort();
    if (!names.length) unreadable.push({ file: arg, reason: 'no file matches' });
    for (const n of names) push(path.join(dir, n));
  }
  return out;
}

/** A report, or why the file is not one. Only what the fleet view needs is checked, so newer reports with more keys still read. */
async function readReport(file: string): Promise<Report | string> {
  let text: string;
  try {
    const st = await stat(file);
    if (!st.isFile()) return 'not a regular file';
    if (st.size > MAX_REPORT_BYTES) return `too large for a report (${st.size} bytes; at most ${MAX_REPORT_BYTES})`;
    text = await readFile(file, 'utf8');
  } catch (err) {
    return `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  return reportProblem(value) ?? upgrade(value as Report);
}

/** A version 1 report in version 2's words: its "could not determine" state was called error. */
function upgrade(r: Report): Report {
  if ((r.schemaVersion as number) !== 1) return r;
  for (const a of r.agents) for (const c of a.checks) if ((c.state as string) === 'error') c.state = 'unknown';
  return r;
}

function reportProblem(v: unknown): string | undefined {
  const o = v as Record<string, unknown> | null;
  if (!o || typeof o !== 'object' || Array.isArray(o)) return 'not a syncdoctor report (not a JSON object)';
  if (o.schemaVersion === undefined) return 'not a syncdoctor report (no schemaVersion)';
  if (o.schemaVersion !== REPORT_SCHEMA_VERSION && o.schemaVersion !== 1) return `report schemaVersion ${JSON.stringify(o.schemaVersion)} is not supported (expected 1 or ${REPORT_SCHEMA_VERSION})`;
  const host = o.host as Record<string, unknown> | undefined;
  if (typeof host?.hostname !== 'string') return 'not a syncdoctor report (no host.hostname)';
  if (!['ok', 'warning', 'critical', 'unknown'].includes(o.status as string)) return 'not a syncdoctor report (status is not ok, warning, critical or unknown)';
  if (typeof o.startedAt !== 'string' || typeof o.exitCode !== 'number') return 'not a syncdoctor report (no startedAt or exitCode)';
  if (!Array.isArray(o.agents)) return 'not a syncdoctor report (no agents list)';
  for (const a of o.agents as Record<string, unknown>[]) {
    if (typeof a?.id !== 'string' || !Array.isArray(a.checks)) return 'not a syncdoctor report (an agent without id or checks)';
    for (const c of a.checks as Record<string, unknown>[]) {
      if (typeof c?.id !== 'string' || typeof c.title !== 'string' || typeof c.state !== 'string') return `not a syncdoctor report (a check of ${a.id} without id, title or state)`;
    }
  }
  return undefined;
}
