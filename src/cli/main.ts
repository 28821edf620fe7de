// The command line. Only commander loads up front; each command imports what it needs when it
// runs, so `--version` and `list` stay close to bare node start-up.
import { Argument, Command, CommanderError, Option } from 'commander';
import { InputError, OutputError, UsageError } from '../core/errors.js';
import { TOOL_NAME, VERSION } from '../core/version.js';
import { EXIT_CANTCREAT, EXIT_INPUT, EXIT_INTERNAL, EXIT_USAGE } from './exit-codes.js';

/** Commands whose product is what they print (not a verdict): a failed write of it is a failed command. */
const PRINTS_ITS_PRODUCT = new Set(['schema', 'explain', 'list', 'snapshot']);

export async function main(argv: string[]): Promise<void> {
  // A reader that closed early (`| head`, a monitor that read one line) must not turn the verdict
  // into a crash: what could not be written is dropped, and the verdict's exit code stands.
  let stdoutError: NodeJS.ErrnoException | undefined;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => (stdoutError ??= err));
  process.stderr.on('error', () => {});
  let code = await run(argv);
  const command = argv.slice(2).find((a) => !a.startsWith('-'));
  const toStdout = command !== 'snapshot' || !argv.some((a) => a === '--output' || a.startsWith('--output='));
  if (code === 0 && command && PRINTS_ITS_PRODUCT.has(command) && toStdout) {
    // `schema report > f.json` on a full disk must not say success over an empty file.
    await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
    if (stdoutError && stdoutError.code !== 'EPIPE') {
      process.stderr.write(`${TOOL_NAME}: cannot write to standard output (${stdoutError.code ?? stdoutError.message})\n`);
      code = EXIT_CANTCREAT;
    }
  }
  process.exitCode = code;
}

/** Runs the CLI and returns the exit code; never throws. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    return handleError(err);
  }
}

function handleError(err: unknown): number {
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
    // commander already printed its message to stderr.
    return EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    process.stderr.write(`${TOOL_NAME}: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (err instanceof OutputError) {
    process.stderr.write(`${TOOL_NAME}: ${err.message}\n`);
    return EXIT_CANTCREAT;
  }
  if (err instanceof InputError) {
    process.stderr.write(`${err.message}\n`);
    return EXIT_INPUT;
  }
  const detail = err instanceof Error ? err.stack ?? err.message : String(err);
  process.stderr.write(
    `${TOOL_NAME} ${VERSION}: internal error — this is a bug; please report it with this message.\n${detail}\n`,
  );
  return EXIT_INTERNAL;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

const formatOption = () =>
  new Option('--format <format>', 'report format').choices(['text', 'json', 'markdown', 'nagios']).default('text');

function buildProgram(): Command {
  const program = new Command();
  program
    .name(TOOL_NAME)
    .description('A doctor for the desktop sync agents small businesses depend on.')
    .version(VERSION, '-V, --version', 'print the version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  program
    .command('check')
    .description('detect installed agents (or take the named ones), run their checks, print a report')
    .argument('[agents...]', 'agent ids (see `syncdoctor list`); default: every detected agent')
    .addOption(formatOption())
    .option('--json', 'short for --format json')
    .option('--max-length <n>', 'with --format nagios: cut the line to N characters, leaving out whole problems ("(+N more)")')
    .option('--output <file>', 'also write the report to FILE, written whole: Markdown for .md, text for .txt, else JSON (repeatable)', collect, [])
    .option('--snapshot <file>', 'replay a host snapshot instead of reading this PC')
    .option('--playbooks <dir>', 'a folder of extra playbooks')
    .option('--allow-override', 'let a --playbooks playbook replace a shipped one with the same id')
    .option('--config <file>', 'site settings (per-agent variables)')
    .option('--set <agent.var=value>', 'set a playbook variable (repeatable)', collect, [])
    .option('--expect <agent>', 'an agent that must be on this PC: not detected is CRITICAL (repeatable)', collect, [])
    .option('--site <name>', 'the customer or site this PC belongs to, carried in the report for the fleet view')
    .option('--timeout <seconds>', 'whole-run deadline in seconds (default 120; 1200 with --fix)')
    .option('--no-prompt', 'never ask the technician guided questions')
    .option('--fix', 'apply remediations without prompting, up to the --allow risk (never prompts)')
    .addOption(new Option('--allow <risk>', 'the highest risk --fix may apply (default safe)').choices(['safe', 'disruptive', 'reboot']))
    .option('--dry-run', 'print the repair plan (processes, services, commands) and change nothing')
    .option('--audit-log <file>', 'the repair audit log (JSON lines); default: see README')
    .option('--no-color', 'no colour in text output')
    .option('--verbose', 'show every piece of evidence and the host facts read')
    .exitOverride()
    .action(async (agents: string[], opts: Record<string, unknown>) => {
      const { checkCommand } = await import('./check.js');
      process.exitCode = await checkCommand(agents, opts);
    });

  program
    .command('repair')
    .description('interactive guided repair: each failing check\'s remediation ladder, one confirmed step at a time')
    .argument('[agent]', 'an agent id; default: every detected agent')
    .option('--playbooks <dir>', 'a folder of extra playbooks')
    .option('--allow-override', 'let a --playbooks playbook replace a shipped one with the same id')
    .option('--config <file>', 'site settings (per-agent variables)')
    .option('--set <agent.var=value>', 'set a playbook variable (repeatable)', collect, [])
    .option('--timeout <seconds>', 'whole-run deadline in seconds (default 1200)')
    .option('--audit-log <file>', 'the repair audit log (JSON lines); default: see README')
    .option('--no-color', 'no colour in text output')
    .option('--verbose', 'show every piece of evidence')
    .exitOverride()
    .action(async (agent: string | undefined, opts: Record<string, unknown>) => {
      const { repairCommand } = await import('./repair.js');
      process.exitCode = await repairCommand(agent ? [agent] : [], opts);
    });

  program
    .command('list')
    .description('the playbooks (agents), probes and actions, one line each')
    .option('--playbooks <dir>', 'a folder of extra playbooks')
    .option('--allow-override', 'let a --playbooks playbook replace a shipped one with the same id')
    .option('--json', 'as JSON')
    .exitOverride()
    .action(async (opts: Record<string, unknown>) => {
      const { listCommand } = await import('./list.js');
      process.exitCode = await listCommand(opts);
    });

  program
    .command('validate')
    .description('lint playbooks: schema, references, regexes, durations; errors as file:line:col')
    .argument('[files...]', 'playbook files; default: the shipped playbooks')
    .exitOverride()
    .action(async (files: string[]) => {
      const { validateCommand } = await import('./validate.js');
      process.exitCode = await validateCommand(files);
    });

  program
    .command('schema')
    .description('print the JSON Schema of a file format')
    .addArgument(new Argument('<format>', 'playbook, report, snapshot or config').choices(['playbook', 'report', 'snapshot', 'config']))
    .exitOverride()
    .action(async (format: string) => {
      const { schemaCommand } = await import('./schema.js');
      process.exitCode = await schemaCommand(format);
    });

  program
    .command('explain')
    .description('what a playbook, check, probe or action means and how to fix it')
    .argument('<id>', 'a playbook id, agent.check id, probe id or action id')
    .option('--playbooks <dir>', 'a folder of extra playbooks')
    .option('--allow-override', 'let a --playbooks playbook replace a shipped one with the same id')
    .exitOverride()
    .action(async (id: string, opts: Record<string, unknown>) => {
      const { explainCommand } = await import('./explain.js');
      process.exitCode = await explainCommand(id, opts);
    });

  program
    .command('snapshot')
    .description('record the facts the checks read on this PC into a snapshot file (replay it with check --snapshot)')
    .argument('[agents...]', 'agent ids (see `syncdoctor list`); default: every detected agent')
    .option('--output <file>', 'the snapshot file, written whole: JSON for .json, else YAML; default: stdout')
    .option('--redact', 'replace user, host and company names, URLs and e-mail addresses with stable pseudonyms')
    .option('--note <text>', 'free text kept in the snapshot (what it shows)')
    .option('--playbooks <dir>', 'a folder of extra playbooks')
    .option('--allow-override', 'let a --playbooks playbook replace a shipped one with the same id')
    .option('--config <file>', 'site settings (per-agent variables)')
    .option('--set <agent.var=value>', 'set a playbook variable (repeatable)', collect, [])
    .option('--timeout <seconds>', 'whole-run deadline in seconds (default 120)')
    .exitOverride()
    .action(async (agents: string[], opts: Record<string, unknown>) => {
      const { snapshotCommand } = await import('./snapshot.js');
      process.exitCode = await snapshotCommand(agents, opts);
    });

  program
    .command('summarize')
    .description('a fleet view of JSON reports collected from many PCs: which PCs fail which checks, worst first')
    .argument('<reports...>', 'JSON report files, folders of them, or patterns such as reports/*.json')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'markdown', 'csv', 'json']).default('text'))
    .option('--output <file>', 'write the summary to FILE (written whole) instead of stdout')
    .exitOverride()
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { summarizeCommand } = await import('./summarize.js');
      process.exitCode = await summarizeCommand(files, opts);
    });

  return program;
}
