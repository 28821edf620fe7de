// `syncdoctor snapshot`: runs the same detection and checks as `check` against this PC through a
// recording host, then writes exactly the facts they read (plus the site settings in force) as a
// snapshot that `check --snapshot` replays to the same verdict. With --redact, names become
// pseudonyms first. Before writing, the snapshot is replayed here and the verdicts compared.
// Never prompts; progress goes to stderr (stdout carries the snapshot when there is no --output).
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Report } from '../core/report.js';
import { VERSION } from '../core/version.js';
import type { ResolvedPlaybook, Settings } from '../playbook/resolve.js';
import type { Snapshot } from '../host/snapshot-schema.js';
import { diagnose } from './check.js';
import { checkOutputs, writeFileAtomic } from '../host/output-file.js';
import { PRIVATE_FILE } from '../host/safe-write.js';

/** 0: written and verified; 1: written, with a warning (replay differs, or names left after --redact). */
export async function snapshotCommand(agents: string[], opts: Record<string, unknown>): Promise<number> {
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const [{ LiveHost }, { RecordingHost }] = await Promise.all([import('../host/live.js'), import('../host/recording.js')]);
  const recorder = new RecordingHost(new LiveHost());
  if (typeof opts.output === 'string') await checkOutputs([opts.output], '--output');
  // No asker: a snapshot run never prompts, so guided checks end as they would in a replay.
  const d = await diagnose(agents, opts, undefined, undefined, recorder);
  let snap: Snapshot;
  try {
    const note = typeof opts.note === 'string' && opts.note ? opts.note : d.report.summary;
    snap = await recorder.toSnapshot({ settings: settingsInForce(d.playbooks), note, site: d.report.host.site, expect: d.expected });
  } finally {
    d.dispose();
  }
  say(`Captured ${d.report.host.hostname}: ${describe(snap)}.`);
  say(`Verdict: ${d.report.status.toUpperCase()} (exit ${d.report.exitCode}) — ${d.report.summary}`);

  let warnings = 0;
  if (opts.redact === true) {
    const { redactSnapshot } = await import('../host/redact.js');
    const r = redactSnapshot(snap, { publicText: JSON.stringify(d.playbooks.map((p) => p.spec)) });
    snap = r.snapshot;
    const c = r.counts;
    say(
      `Redacted: ${plural(c.user, 'user name')}, ${plural(c.host, 'host name')}, ${plural(c.domain, 'domain name')}, ` +
        `${plural(c.company, 'company name')}, ${plural(c.url, 'URL')}, ${plural(c.email, 'e-mail address', 'e-mail addresses')}, ` +
        `${plural(c.ip, 'IP address', 'IP addresses')}, ${plural(c.id, 'machine id')}.`,
    );
    if (r.leftovers.length) {
      warnings++;
      say(`Warning: still present after redaction (bytes in an unusual encoding?): ${r.leftovers.join(', ')}. Check the file before sharing it.`);
    }
  }

  const differences = await replayDifferences(snap, agents, opts, d.report);
  if (differences.length) {
    warnings++;
    say(`Warning: replaying this snapshot does not give the same verdict (${differences.join('; ')}).`);
    snap.note = `${snap.note ?? ''} [replay differs from the live run: ${differences.join('; ')}]`.trim();
  } else say('Replaying it gives the same verdict.');

  const { stringifySnapshot } = await import('../host/snapshot-write.js');
  const output = typeof opts.output === 'string' ? opts.output : undefined;
  const replayArgs = [...agents, ...(opts.playbooks ? ['--playbooks', '<the same folder>'] : [])].join(' ');
  const header = [
    `syncdoctor ${VERSION} host snapshot of ${snap.hostname}, captured ${snap.capturedAt}${snap.redacted ? ' (redacted)' : ''}.`,
    // The file name only: the folder may name a user (C:\Users\...).
    `Replay: syncdoctor check --snapshot ${output ? path.basename(output) : 'FILE'}${replayArgs ? ` ${replayArgs}` : ''}`,
  ].join('\n');
  const text = stringifySnapshot(snap, { json: output !== undefined && /\.json$/i.test(output), header });
  if (output) {
    await writeFileAtomic(output, text, '--output', PRIVATE_FILE); // a snapshot holds names and process lists: its owner's only
    say(`Wrote ${output} (${Math.max(1, Math.round(Buffer.byteLength(text) / 1024))} KiB).`);
  } else process.stdout.write(text);
  return warnings ? 1 : 0;
}

/** The variables whose values differ from the playbooks' defaults: what --config and --set put in force. */
export function settingsInForce(playbooks: ResolvedPlaybook[]): Settings {
  const settings: Settings = {};
  for (const pb of playbooks) {
    for (const [name, value] of Object.entries(pb.vars)) {
      if (!isDeepStrictEqual(value, pb.spec.vars?.[name]?.default)) (settings[pb.spec.id] ??= {})[name] = value;
    }
  }
  return settings;
}

/** Replays the snapshot in this process (the same playbooks, its recorded settings) and lists what differs. */
async function replayDifferences(snap: Snapshot, agents: string[], opts: Record<string, unknown>, live: Report): Promise<string[]> {
  const { SnapshotHost } = await import('../host/snapshot.js');
  const host = new SnapshotHost(JSON.parse(JSON.stringify(snap)) as Snapshot, 'snapshot');
  const replayOpts: Record<string, unknown> = { playbooks: opts.playbooks, allowOverride: opts.allowOverride, timeout: opts.timeout, set: [] };
  const d = await diagnose(agents, replayOpts, undefined, undefined, host);
  try {
    return verdictDifferences(live, d.report);
  } finally {
    d.dispose();
  }
}

/** What differs between two reports' verdicts: detection, status and each check's state. */
export function verdictDifferences(a: Report, b: Report): string[] {
  const out: string[] = [];
  if (a.status !== b.status) out.push(`status ${a.status} → ${b.status}`);
  const agents = new Set([...a.agents.map((x) => x.id), ...b.agents.map((x) => x.id)]);
  for (const id of agents) {
    const x = a.agents.find((g) => g.id === id);
    const y = b.agents.find((g) => g.id === id);
    if (!x || !y) {
      out.push(`${id} ${x ? 'not shown' : 'shown'} on replay`);
      continue;
    }
    for (const c of x.checks) {
      const r = y.checks.find((k) => k.id === c.id);
      if (r?.state !== c.state) out.push(`${id}.${c.id} ${c.state} → ${r?.state ?? 'missing'}`);
    }
  }
  return out;
}

function describe(s: Snapshot): string {
  return [
    plural(s.processes?.length ?? 0, 'process', 'processes'),
    plural(s.commands?.length ?? 0, 'command'),
    plural(s.files?.length ?? 0, 'file'),
    plural(s.network?.length ?? 0, 'network answer'),
    plural(Object.keys(s.env ?? {}).length, 'environment variable'),
  ].join(', ');
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
