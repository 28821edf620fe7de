// What a probe is: metadata (id, description, parameter schema, platforms) and a function from
// parameters and host facts to an outcome. `list` and `explain` render from the metadata.
import type { Static, TSchema } from '@sinclair/typebox';
import type { CheckStateT } from '../core/report.js';
import type { HostFacts } from '../host/facts.js';

/** Asks a person something only they can see. Absent in unattended runs. */
export interface Asker {
  ask(question: string, help: readonly string[]): Promise<'yes' | 'no' | 'skip'>;
  /** Free text a person types or pastes (e.g. a table copied from a web page); undefined = skipped. */
  input?(question: string, help: readonly string[]): Promise<string | undefined>;
}

export interface ProbeContext {
  facts: HostFacts;
  /** Aborted when the check's timeout or the run's deadline passes. */
  signal: AbortSignal;
  asker?: Asker;
}

export interface ProbeOutcome {
  state: CheckStateT;
  summary: string;
  evidence?: string[];
  /** The cause, for state `error`. */
  error?: string;
  /** A guided question (asked, or left for a person in unattended runs). */
  question?: string;
  answer?: string;
  /** Steps for a person, for a guided check that could not be asked. */
  manual?: string[];
  /**
   * What this particular finding needs, when the probe knows better than the playbook's generic
   * ladder (e.g. the fix for the QuickBooks error it found). Shown first among the next steps.
   */
  /**
   * How long until this check can see a fix work, when the probe can tell from the PC (the Web
   * Connector's Auto-Run interval read from its log): the re-check after a repair waits this long.
   */
  nextEvidence?: { withinMs: number; what: string };
  /**
   * When what this check looks for last happened (the last sync it found), ISO 8601: a later run
   * tells a fix that worked (a sync after it) from one that did not, even if the sync stopped again.
   */
  lastSeenAt?: string;
  advice?: { title: string; steps: string[]; /** Deleting data or anything that cannot be undone: `irreversible` (default safe). */ risk?: 'safe' | 'irreversible' };
}

export interface ProbeDef<S extends TSchema = TSchema> {
  id: string;
  /** One line, for `list`. */
  description: string;
  /** A few sentences, for `explain`: what it looks at and how it decides. */
  explain: string;
  params: S;
  /** Platforms where it reads real facts; elsewhere it still runs (e.g. on a snapshot). */
  platforms: readonly NodeJS.Platform[] | 'all';
  /**
   * Parameters of a typical call, shown by `explain`. The fault-injection suite runs every probe
   * with its example on a healthy test PC (healthy() in test/robustness/faults.test.ts), so write it with that
   * PC's names (user frontdesk, Agent.exe, service AgentSvc, its paths) where it reads those facts.
   */
  example: Static<S>;
  run(params: Static<S>, ctx: ProbeContext): Promise<ProbeOutcome>;
}

export function defineProbe<S extends TSchema>(def: ProbeDef<S>): ProbeDef<S> {
  return def;
}
