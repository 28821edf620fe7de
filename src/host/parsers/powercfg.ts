// `powercfg /a` and `powercfg /requests` output. Headings, state names and reasons are localised,
// so /a is read by indentation (heading, state, reason) and /requests by section order and the
// trailing colon.
import { HostError } from '../../core/errors.js';

export interface PowercfgAvailable {
  available: string[];
  unavailable: { state: string; reasons: string[] }[];
  modernStandby: boolean;
  problems: string[];
}

export type RequestKind = 'PROCESS' | 'SERVICE' | 'DRIVER' | 'OTHER';

export interface PowercfgRequests {
  sections: { name: string; entries: { kind: RequestKind; target: string; reason: string }[] }[];
  problems: string[];
}

/** The /requests sections in the order Windows prints them. */
export const REQUEST_SECTIONS = ['DISPLAY', 'SYSTEM', 'AWAYMODE', 'EXECUTION', 'PERFBOOST', 'ACTIVELOCKSCREEN'] as const;

interface Line {
  n: number; // 1-based line number, for problems
  indent: number; // columns, TABs expanded to the next multiple of 8
  text: string; // trimmed
}

interface Section {
  heading: Line;
  body: Line[];
}

// ---------------------------------------------------------------------------------------------
// powercfg /a

/**
 * Two headed sections (available, then not available): headings at column 0, states indented,
 * reasons (second section only) indented further by spaces or a TAB.
 */
export function parsePowercfgAvailable(text: string): PowercfgAvailable {
  const problems: string[] = [];
  const sections = readSections(indentedLines(text), problems);
  const [first, second, ...extra] = sections;
  for (const s of extra) problems.push(`line ${s.heading.n}: unexpected third section ignored`);
  let availableSection = first;
  let unavailableSection = second;
  // A lone section is "not available" when its states carry reasons (deeper lines).
  if (first && !second && hasDeeperLines(first)) {
    availableSection = undefined;
    unavailableSection = first;
  }
  const available = availableSection ? readAvailable(availableSection, problems) : [];
  const unavailable = unavailableSection ? readUnavailable(unavailableSection, problems) : [];
  if (sections.length === 0) problems.push('no section headings found');
  // Modern Standby is the available "Standby (S0 Low Power Idle)"; the S0 token survives
  // translation where the words may not. Reasons elsewhere mention S0 too: only states count.
  const modernStandby = available.some((s) => /S0 Low Power Idle|\bS0\b/i.test(s));
  return { available, unavailable, modernStandby, problems };
}

/** Non-blank lines with their indentation. */
function indentedLines(text: string): Line[] {
  const out: Line[] = [];
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const text = raw.trim();
      if (text === '') return;
      out.push({ n: i + 1, indent: indentWidth(raw), text });
    });
  return out;
}

function indentWidth(line: string): number {
  let col = 0;
  for (const c of line) {
    if (c === ' ') col++;
    else if (c === '\t') col = col - (col % 8) + 8;
    else if (!/\s/.test(c)) break;
  }
  return col;
}

/** Lines at column 0 start sections; indented lines before any heading are problems. */
function readSections(lines: Line[], problems: string[]): Section[] {
  const sections: Section[] = [];
  for (const line of lines) {
    const current = sections[sections.length - 1];
    if (line.indent === 0) sections.push({ heading: line, body: [] });
    else if (current) current.body.push(line);
    else problems.push(`line ${line.n}: indented text before any heading ignored`);
  }
  return sections;
}

/** The states' indentation: the smallest in the section (a loop: no spread of huge arrays). */
function stateIndent(section: Section): number {
  return section.body.reduce((min, l) => Math.min(min, l.indent), Infinity);
}

function hasDeeperLines(section: Section): boolean {
  const base = stateIndent(section);
  return section.body.some((l) => l.indent > base);
}

function readAvailable(section: Section, problems: string[]): string[] {
  const base = stateIndent(section);
  const out: string[] = [];
  for (const line of section.body) {
    if (line.indent === base) out.push(line.text);
    else problems.push(`line ${line.n}: deeper line under an available state ignored`);
  }
  return out;
}

function readUnavailable(section: Section, problems: string[]): PowercfgAvailable['unavailable'] {
  const base = stateIndent(section);
  const out: PowercfgAvailable['unavailable'] = [];
  for (const line of section.body) {
    const last = out[out.length - 1];
    if (line.indent === base) out.push({ state: line.text, reasons: [] });
    else if (last) last.reasons.push(line.text);
    else problems.push(`line ${line.n}: reason before any state ignored`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// powercfg /requests

/**
 * Six sections in fixed order, each a `NAME:` line then `None.` or entries (`[KIND] target` and
 * usually one reason line). Section names are returned in English by position when the printed
 * name is not one of them (localised). A non-zero exit means it was refused: it needs elevation.
 */
export function parsePowercfgRequests(exitCode: number, text: string): PowercfgRequests {
  if (exitCode !== 0) {
    throw new HostError('powercfg /requests needs elevation (run as administrator or SYSTEM)', 'access-denied');
  }
  const sections: PowercfgRequests['sections'] = [];
  const problems: string[] = [];
  let blankBefore = true;
  let entry: PowercfgRequests['sections'][number]['entries'][number] | undefined;
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const line = raw.trim();
      const afterBlank = blankBefore;
      blankBefore = line === '';
      if (line === '') return;
      const section = sections[sections.length - 1];
      if (isSectionHeading(line, afterBlank)) {
        sections.push({ name: sectionName(line, sections.length), entries: [] });
        entry = undefined;
      } else if (!section) {
        problems.push(`line ${i + 1}: text before the first section ignored: ${JSON.stringify(line)}`);
      } else if (line.startsWith('[')) {
        entry = parseEntry(line);
        section.entries.push(entry);
      } else if (entry) {
        entry.reason = entry.reason === '' ? line : `${entry.reason} ${line}`;
      }
      // Otherwise: the (localised) "None." line of an empty section.
    });
  if (sections.length === 0) problems.push('no sections found');
  return { sections, problems };
}

/** `NAME:` starting a block (after a blank line), or one of the English names anywhere. */
function isSectionHeading(line: string, afterBlank: boolean): boolean {
  if (!line.endsWith(':') || line.startsWith('[')) return false;
  return afterBlank || (REQUEST_SECTIONS as readonly string[]).includes(line.slice(0, -1).toUpperCase());
}

function sectionName(line: string, position: number): string {
  const printed = line.slice(0, -1).trim();
  if ((REQUEST_SECTIONS as readonly string[]).includes(printed.toUpperCase())) return printed.toUpperCase();
  return REQUEST_SECTIONS[position] ?? printed;
}

/** `[PROCESS] \Device\...\x.exe`, `[SERVICE] name`, `[DRIVER] name (path)`. */
function parseEntry(line: string): { kind: RequestKind; target: string; reason: string } {
  const m = /^\[([^\]]*)\]\s*(.*)$/.exec(line);
  const word = (m?.[1] ?? '').trim().toUpperCase();
  const kind: RequestKind = word === 'PROCESS' || word === 'SERVICE' || word === 'DRIVER' ? word : 'OTHER';
  return { kind, target: m ? (m[2] ?? '').trim() : line, reason: '' };
}
