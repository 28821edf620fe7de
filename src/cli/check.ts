// `syncdoctor check`: host → playbooks → settings → diagnosis → report → exit code.
import { writeFile, rename } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { HostFacts } from '../host/facts.js';
import type { Host } from '../host/host.js';
import { resolvePlaybook, parseSetOption, type Settings, type SettingsLayer } from '../playbook/resolve.js';
import { runDiagnosis } from '../engine/run.js';
import { renderJson } from '../reporters/json.js';
import { renderText } from '../reporters/text.js';
import type { Asker } from '../probes/probe.js';
import { loadAllPlaybooks } from './load-playbooks.js';
import { makePaint, wantsColour } from './colour.js';

export async function checkCommand(agents: string[], opts: Record<string, unknown>): Promise<number> {
  const format = opts.json ? 'json' : String(opts.format ?? 'text');
  const timeoutSeconds = Number(opts.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${String(opts.timeout)}: expected a number of seconds > 0`);
  const sets = (opts.set as string[]).map(parseSetOption);

  const host = await openHost(opts.snapshot);
  const loaded = await loadAllPlaybooks(opts.playbooks);
  const known = loaded.map((p) => p.spec.id);
  for (const a of agents) if (!known.includes(a)) throw new UsageError(`unknown agent "${a}"; expected one of: ${known.join(', ')}`);
  for (const s of sets) if (!known.includes(s.agent)) throw new UsageError(`--set ${s.agent}.${s.name}: unknown agent "${s.agent}"; expected one of: ${known.join(', ')}`);

  const layers: SettingsLayer[] = [];
  if (host.source === 'snapshot') {
    const recorded = (host as import('../host/snapshot.js').SnapshotHost).snapshot.settings;
    if (recorded) layers.push({ settings: recorded, origin: `snapshot ${String(opts.snapshot)}`, kind: 'input' });
  }
  if (typeof opts.config === 'string') {
    const { loadConfig } = await import('../playbook/config.js');
    layers.push({ settings: await loadConfig(opts.config), origin: opts.config, kind: 'input' });
  }
  if (sets.length) {
    const settings: Settings = {};
    for (const s of sets) (settings[s.agent] ??= {})[s.name] = s.value;
    layers.push({ settings, origin: '--set', kind: 'usage' });
  }
  const selected = agents.length ? loaded.filter((p) => agents.includes(p.spec.id)) : loaded;
  const playbooks = selected.map((pb) => resolvePlaybook(pb, layers));

  const deadline = new AbortController();
  const deadlineMs = timeoutSeconds * 1000;
  const timer = setTimeout(() => deadline.abort(), deadlineMs);
  const facts = new HostFacts(host, { signal: deadline.signal });
  let report: Report;
  try {
    const asker = opts.prompt !== false && format === 'text' && host.source === 'live' && isInteractive() ? await makeAsker() : undefined;
    report = await runDiagnosis({ facts, playbooks, named: agents, deadline: deadline.signal, deadlineMs, ...(asker ? { asker } : {}) });
  } finally {
    clearTimeout(timer);
    // Whatever is still running (a hung command a timed-out check left behind) is stopped now.
    deadline.abort();
  }

  if (typeof opts.output === 'string') await writeReportFile(opts.output, report);
  if (format === 'json') process.stdout.write(renderJson(report));
  else {
    const colour = wantsColour(opts.color !== false);
    process.stdout.write(renderText(report, { verbose: opts.verbose === true, ...(colour ? { paint: await makePaint() } : {}) }));
  }
  return report.exitCode;
}

async function openHost(snapshot: unknown): Promise<Host> {
  if (typeof snapshot === 'string') {
    const { loadSnapshot } = await import('../host/snapshot.js');
    return loadSnapshot(snapshot);
  }
  const { LiveHost } = await import('../host/live.js');
  return new LiveHost();
}

function isInteractive(): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !process.env.CI;
}

async function makeAsker(): Promise<Asker> {
  const { select } = await import('@inquirer/prompts');
  return {
    async ask(question, help) {
      for (const h of help) process.stdout.write(`  ${h}\n`);
      return select({
        message: question,
        choices: [
          { name: 'Yes', value: 'yes' as const },
          { name: 'No', value: 'no' as const },
          { name: "Skip (can't tell)", value: 'skip' as const },
        ],
      });
    },
  };
}

/** Written whole or not at all: a temporary file renamed into place. */
async function writeReportFile(file: string, report: Report): Promise<void> {
  const text = /\.json$/i.test(file) ? renderJson(report) : renderText(report, { verbose: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    throw new UsageError(`--output ${file}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}
