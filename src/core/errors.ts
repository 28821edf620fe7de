// Errors that carry their exit code meaning. Deep code throws these; only src/cli maps them to
// an exit code (see src/cli/exit-codes.ts).

export interface SourcePos {
  file: string;
  line: number; // 1-based
  col: number; // 1-based
}

export function formatPos(pos: SourcePos | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : '';
}

/** One thing wrong with an input file: where, and what was expected. */
export interface InputProblem {
  pos?: SourcePos;
  file?: string;
  message: string;
  /** Where in the document, as keys (for filtering; not shown). */
  path?: (string | number)[];
}

/** A user mistake on the command line (exit 64). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Invalid input data: a playbook, config or snapshot that does not validate (exit 65). */
export class InputError extends Error {
  override name = 'InputError';
  readonly problems: InputProblem[];
  constructor(problems: InputProblem[] | string) {
    const list = typeof problems === 'string' ? [{ message: problems }] : problems;
    super(list.map(formatProblem).join('\n'));
    this.problems = list;
  }
}

export function formatProblem(p: InputProblem): string {
  const where = p.pos ? formatPos(p.pos) : p.file ?? '';
  return where ? `${where}: ${p.message}` : p.message;
}

/** A file the user asked syncdoctor to write cannot be written (exit 73, before anything runs). */
export class OutputError extends Error {
  override name = 'OutputError';
}

/** Thrown by host calls when a fact cannot be read; probes turn it into state `error`. */
export class HostError extends Error {
  override name = 'HostError';
  constructor(
    message: string,
    readonly kind: 'not-found' | 'access-denied' | 'timeout' | 'failed' | 'unparseable' | 'aborted' = 'failed',
  ) {
    super(message);
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
