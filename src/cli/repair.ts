// `syncdoctor repair`: the guided repair for a technician at the PC. Shows the diagnosis, then
// walks each failing check's ladder one confirmed step at a time. Ctrl-C at any prompt stops
// before that step (nothing of it is done) and still prints the summary.
import { UsageError } from '../core/errors.js';
import { HostFacts } from '../host/facts.js';
import { renderText } from '../reporters/text.js';
import type { Consent, StepView } from '../engine/ladder.js';
import { formatArgv } from '../reporters/text.js';
import { DEFAULT_REPAIR_TIMEOUT_S, diagnose, isInteractive, makeAsker, openRepairSession } from './check.js';
import { makePaint, wantsColour } from './colour.js';
import { printableLines } from '../core/printable.js';
import { anyNeedsRepair, refuseRepairs } from '../engine/status.js';

export async function repairCommand(agents: string[], opts: Record<string, unknown>): Promise<number> {
  if (!isInteractive()) {
    throw new UsageError('repair asks a person before each step and needs a terminal; for unattended runs use `check --fix --allow safe|disruptive|reboot` (or --dry-run)');
  }
  const out = (s: string) => process.stdout.write(`${printableLines(s)}\n`);
  const paint = wantsColour(opts.color !== false) ? await makePaint() : undefined;
  const d = await diagnose(agents, opts, await makeAsker(), DEFAULT_REPAIR_TIMEOUT_S);
  try {
    process.stdout.write(renderText(d.report, { verbose: opts.verbose === true, ...(paint ? { paint } : {}) }));
    if (!anyNeedsRepair(d.report)) {
      out('Nothing to repair: no check failed.');
      return d.report.exitCode;
    }
    const session = await openRepairSession(opts, 'repair', d.auditBytesSeen);
    if ('refused' in session) {
      out(`Not repairing: ${session.refused}.`);
      refuseRepairs(d.report, session.refused);
      return d.report.exitCode;
    }
    let stopAfterStep = false;
    const onSigint = () => {
      stopAfterStep = true;
      out('\nCtrl-C: stopping after the current step.');
    };
    process.on('SIGINT', onSigint);
    try {
      const { runLadders } = await import('../engine/ladder.js');
      await runLadders({
        report: d.report,
        playbooks: d.playbooks,
        host: d.host,
        newFacts: () => new HostFacts(d.host, { signal: d.deadline.signal }),
        consent: await interactiveConsent(),
        audit: session.audit,
        judged: d.judged,
        ...(d.restartPending ? { restartPending: d.restartPending } : {}),
        runEndsAt: d.runEndsAt,
        dryRun: false,
        say: out,
        signal: d.deadline.signal,
        stop: () => stopAfterStep,
        asker: await makeAsker(),
      });
    } finally {
      process.off('SIGINT', onSigint);
      await session.lock.release();
    }
    out('\n=== Summary after repair ===\n');
    process.stdout.write(renderText(d.report, { ...(paint ? { paint } : {}) }));
    return d.report.exitCode;
  } finally {
    d.dispose();
  }
}

/** Prompts for each step; Ctrl-C at a prompt (inquirer's ExitPromptError) means "stop here". */
async function interactiveConsent(): Promise<Consent> {
  const { select } = await import('@inquirer/prompts');
  const out = (s: string) => process.stdout.write(`${printableLines(s)}\n`);
  const ask = async <T extends string>(message: string, choices: { name: string; value: T }[], quit: T): Promise<T> => {
    try {
      return await select({ message, choices, default: choices[0]!.value });
    } catch (err) {
      if ((err as Error).name === 'ExitPromptError' || (err as Error).name === 'AbortPromptError') return quit;
      throw err;
    }
  };
  const describe = (v: StepView) => {
    out(`\nStep ${v.index} of ${v.of} for "${v.check.title}": ${v.step.title} [${v.step.risk}]`);
    if (v.why) out(`  Why: ${v.why}`);
    for (const s of v.plan?.steps ?? []) out(`  Will: ${s}`);
    for (const c of v.plan?.commands ?? []) out(`  Runs: ${formatArgv(c)}`);
  };
  return {
    allow: 'safe',
    interactive: true,
    async confirm(v) {
      describe(v);
      // The safe answer comes first and is the default: Enter alone never changes the PC.
      return ask('Do this now?', [
        { name: 'No, skip this step', value: 'skip' },
        { name: 'Yes, do it', value: 'apply' },
        { name: 'Stop repairing', value: 'quit' },
      ], 'quit');
    },
    async reboot(v) {
      describe(v);
      const choice = await ask('Restart this PC?', [
        { name: 'Not now', value: 'no' },
        { name: 'Restart in 15 minutes (logged-on users are warned)', value: 'later' },
        { name: 'Restart now', value: 'now' },
        { name: 'Stop repairing', value: 'quit' },
      ], 'quit');
      return choice === 'later' ? { choice, minutes: 15 } : { choice };
    },
    async manual(v) {
      const irreversible = v.step.risk === 'irreversible';
      out(`\nStep ${v.index} of ${v.of} for "${v.check.title}": ${v.step.title} (by hand${irreversible ? ', CANNOT BE UNDONE' : ''})`);
      if (v.why) out(`  Why: ${v.why}`);
      if (irreversible) out('  This deletes data or resyncs everything and cannot be undone; syncdoctor never does it for you. Do it only if every condition below holds.');
      v.step.manual.forEach((m, i) => out(`  ${i + 1}. ${m}`));
      const done = { name: 'Done: check again', value: 'done' as const };
      const skip = { name: 'Skip this step', value: 'skip' as const };
      // For a step that cannot be undone, Enter alone skips it.
      return ask('When you have done it:', [
        ...(irreversible ? [skip, done] : [done, skip]),
        { name: "I can't do this", value: 'cannot' },
        { name: 'Stop repairing', value: 'quit' },
      ], 'quit');
    },
  };
}
