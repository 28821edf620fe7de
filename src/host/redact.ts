// Redaction of a snapshot before it leaves the client: user names, host and domain names, company
// names, URLs and e-mail addresses become pseudonyms, the same everywhere (command output, file
// contents, paths, environment, settings), so the replay's verdict does not change.
//
// How it keeps the verdict:
// - a pseudonym has the original's length, so column-aligned output (`query user`) still lines
//   up and a file keeps its size (for ASCII names; see redactBlob);
// - a name maps to one pseudonym whatever its case, written in the case of each occurrence, so
//   the case-insensitive comparisons of user and host names still agree;
// - anything that appears in the playbooks in use (vendor host names, documentation links,
//   process names) is public and stays, so argv and targets built from playbook defaults match.
// Names are found where the facts say what they are (logons, process owners, /etc/passwd, the
// host name, environment, settings named like users, QuickBooks window titles and company
// files), not guessed from free text; URLs and e-mail addresses are found by their shape.
import { parseQueryUser } from './parsers/query-user.js';
import { parseTasklistCsv } from './parsers/tasklist.js';
import { parseWho } from './parsers/who.js';
import type { Snapshot } from './snapshot-schema.js';

export type TermKind = 'user' | 'host' | 'domain' | 'company' | 'id';

export interface RedactionResult {
  snapshot: Snapshot;
  /** How many distinct names of each kind were replaced (id: the machine's id), and URLs, e-mail and IP addresses. */
  counts: Record<TermKind | 'url' | 'email' | 'ip', number>;
  /** Names found but still present after redaction (e.g. in bytes of an unknown code page). */
  leftovers: string[];
}

/** Accounts and words that name no one: kept, so output stays readable. */
const NOT_PERSONAL = new Set(
  [
    'system', 'local service', 'network service', 'localservice', 'networkservice', 'nt authority', 'builtin', 'nt service',
    'administrator', 'administrators', 'admin', 'guest', 'user', 'users', 'default', 'defaultuser0', 'public', 'all users',
    'default user', 'root', 'nobody', 'daemon', 'bin', 'sys', 'sync', 'n/a', 'window manager', 'font driver host',
    'iis apppool', 'localhost', 'localdomain', 'workgroup', 'console', 'services', 'unknown', 'none', 'null',
  ].map((s) => s.toLowerCase()),
);
const SERVICE_ACCOUNT = /^(dwm|umfd)-\d+$/i;
/** Words in window titles that are products, not companies. */
const PRODUCT_WORDS =
  /quickbooks|intuit|web ?connector|qbwc|crik-?it|cism|journyx|quikstor|connectbooster|microsoft|windows|notepad|explorer|chrome|edge|firefox|outlook|excel|word|task manager|settings|program manager|default ime|msctfime|^n\/a$/i;
const CORPORATE_SUFFIX = /\b(?:LLC|L\.L\.C\.|Inc\.?|Ltd\.?|Limited|GmbH|AG|Corp\.?|Corporation|Co\.|Company|PLC|LLP|Pty|B\.?V\.?|S\.?A\.?R\.?L\.?|S\.?r\.?l\.?)$/i;

const URL_RE = /\b(?:https?|ftp|wss?):\/\/[^\s"'<>()[\]{}|\\^`]+/gi;
// Bounded parts (RFC 5321's limits): unbounded, a long run of "9.9.9." took quadratic time.
const EMAIL_RE = /\b[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/g;
// Any case (c:\users\jsmith in a log) and either slash (C:/Users/jsmith in a URL or a script).
const PROFILE_PATH = /\b[A-Za-z]:[\\/](?:Users|Documents and Settings)[\\/]([^\\/:*?"<>|\r\n]+)|\/(?:home|Users)\/([^/\s:"']+)/gi;
/** A QuickBooks company file (or its backup or portable copy) at the end of a path: its name is the company's. */
const COMPANY_FILE = /[\\/]([^\\/:*?"<>|\r\n]+)\.(?:qbw|qbb|qbm|qbx)\b/gi;
// An IPv6 address has at least two colons: a name of hex letters only (DC01, cafe) is a host name.
const IP_ADDRESS = /^(?:\d{1,3}\.){3}\d{1,3}$|^\[?(?=[0-9a-f]*:[0-9a-f]*:)[0-9a-f:]+\]?$/i;
/** An IPv4 address in free text (a host:port target, a log line); linear: no nested quantifiers. */
const IPV4_IN_TEXT = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
/** Addresses that name no one: loopback, unspecified, broadcast. */
const NOT_PERSONAL_IP = /^(?:127\.|0\.0\.0\.0$|255\.255\.255\.255$)/;
/** A UNC path's server: \\server\share. */
const UNC_SERVER = /\\\\([A-Za-z0-9][A-Za-z0-9._-]*)\\/g;
const MACHINE_GUID = /MachineGuid\s+REG_SZ\s+([0-9A-Fa-f-]{8,})/;
/** A run of hex digits and colons as long as an IPv6 address can be, standing alone (bounded: linear on any text). */
const HEXCOLON_RUN = /(?<![0-9A-Fa-f:])[0-9A-Fa-f:]{2,39}(?![0-9A-Fa-f:])/g;
/** A whole IPv6 address: eight groups, or fewer around one "::". Tested on one bounded run only. */
const IPV6 = /^(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){7}|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)$/i;

const WORD = '[\\p{L}\\p{N}_]';

export function redactSnapshot(input: Snapshot, options: { publicText?: string } = {}): RedactionResult {
  const publicLower = (options.publicText ?? '').toLowerCase();
  const settingsLower = JSON.stringify(input.settings ?? {}).toLowerCase();
  // `redacted` goes near the top, where a reader sees it.
  const { syncdoctorSnapshot, capturedAt, platform, hostname, uptimeSeconds, ...rest } = structuredClone(input);
  const snap: Snapshot = { syncdoctorSnapshot, capturedAt, platform, hostname, uptimeSeconds, redacted: true, ...rest };
  const found = new Map<string, { kind: TermKind; text: string }>();
  const add = (kind: TermKind, raw: string | null | undefined, always = false) => {
    const text = (raw ?? '').trim();
    const lower = text.toLowerCase();
    if (text.length < 2 || /^\d+$/.test(text) || NOT_PERSONAL.has(lower) || SERVICE_ACCOUNT.test(text) || found.has(lower)) return;
    // Vendor hosts and names the playbooks spell out (a detect path "...\Crik-IT LLC") must stay
    // for the replay to match; a user name is redacted even when a playbook happens to use the word.
    if (!always && kind !== 'user' && isPublic(lower, publicLower)) return;
    found.set(lower, { kind, text });
  };
  const addAccount = (account: string | null | undefined) => {
    if (!account) return;
    const i = account.lastIndexOf('\\');
    if (i >= 0) {
      add('domain', account.slice(0, i));
      add('user', account.slice(i + 1));
    } else if (account.includes('@')) {
      const [u, d] = account.split('@');
      add('user', u);
      add('domain', d);
    } else add('user', account);
  };

  // Where the facts say what a name is.
  // This PC's own name goes, even when a playbook happens to contain the word; so do its site tag
  // and its machine id (both tell the client and the PC apart).
  add('host', snap.hostname, true);
  add('company', snap.site, true);
  for (const c of snap.commands ?? []) {
    if (c.argv.some((a) => /^MachineGuid$/i.test(a))) add('id', MACHINE_GUID.exec(blobText(c.stdout, c.stdoutBase64))?.[1], true);
  }
  for (const f of snap.files ?? []) if (f.path === '/etc/machine-id') add('id', blobText(f.content, f.contentBase64).trim(), true);
  if (snap.hostname.includes('.')) add('host', snap.hostname.split('.')[0], true);
  const env = snap.env ?? {};
  for (const [k, v] of Object.entries(env)) {
    const key = k.toUpperCase();
    if (key === 'USERNAME' || key === 'USER' || key === 'LOGNAME') add('user', v);
    if (key === 'COMPUTERNAME' || key === 'HOSTNAME' || key === 'CLIENTNAME') add('host', v);
    if (key === 'LOGONSERVER') add('host', v.replace(/^\\+/, ''));
    if (key === 'USERDOMAIN' || key === 'USERDNSDOMAIN' || key === 'USERDOMAIN_ROAMINGPROFILE') add('domain', v);
  }
  for (const c of snap.commands ?? []) {
    const prog = (c.argv[0] ?? '').toLowerCase().replace(/\.exe$/, '');
    const text = blobText(c.stdout, c.stdoutBase64);
    if ((prog === 'query' && c.argv[1]?.toLowerCase() === 'user') || prog === 'quser') for (const r of parseQueryUser(text).rows) addAccount(r.user);
    if (prog === 'who') for (const r of parseWho(text).rows) add('user', r.user);
    if (prog === 'tasklist') {
      for (const r of parseTasklistCsv(text).rows) {
        addAccount(r.user);
        for (const name of companiesInTitle(r.windowTitle)) add('company', name);
      }
    }
  }
  for (const f of snap.files ?? []) {
    if (f.path === '/etc/passwd') {
      for (const line of blobText(f.content, f.contentBase64).split('\n')) {
        const [name, , uid, , gecos] = line.split(':');
        // Accounts of people (uid 1000 and up); system accounts name no one.
        if (name && uid && Number(uid) >= 1000 && Number(uid) < 60000) {
          add('user', name);
          add('user', gecos?.split(',')[0]);
        }
      }
    }
  }
  for (const [agent, vars] of Object.entries(snap.settings ?? {})) {
    void agent;
    for (const [name, value] of Object.entries(vars)) {
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) {
        if (/user|account|login/i.test(name)) addAccount(v);
        else if (/company|client|customer|organi[sz]ation/i.test(name)) add('company', v);
        else if (/host|server|computer|machine/i.test(name) && !/:\/\//.test(v) && !IP_ADDRESS.test(hostOf(v))) add('host', hostOf(v));
      }
    }
  }
  for (const n of snap.network ?? []) {
    const host = hostOf(n.target);
    if (!IP_ADDRESS.test(host)) add('host', host);
  }
  // Names by their shape, in every string: profile folders, company files, URL hosts, e-mail domains.
  forEachText(snap, (text) => {
    for (const m of text.matchAll(PROFILE_PATH)) add('user', m[1] ?? m[2]);
    for (const m of text.matchAll(COMPANY_FILE)) add('company', m[1]);
    for (const m of text.matchAll(URL_RE)) {
      const u = splitUrl(trimUrl(m[0]));
      if (u && !IP_ADDRESS.test(u.host) && !isPublic(u.host.toLowerCase(), publicLower)) add('host', u.host);
    }
    for (const m of text.matchAll(EMAIL_RE)) add('domain', m[0].split('@')[1]);
    for (const m of text.matchAll(UNC_SERVER)) if (!isPublic(m[1]!.toLowerCase(), publicLower)) add('host', m[1]);
  });

  const names = new Pseudonyms([...found.keys()]);
  const counts: RedactionResult['counts'] = { user: 0, host: 0, domain: 0, company: 0, id: 0, url: 0, email: 0, ip: 0 };
  const ips = new Map<string, string>();
  for (const { kind } of found.values()) counts[kind]++;
  const terms = [...found.values()].sort((a, b) => b.text.length - a.text.length);
  const termRe = terms.length ? new RegExp(`(?<!${WORD})(?:${terms.map((t) => escapeRegExp(t.text)).join('|')})(?!${WORD})`, 'giu') : undefined;
  const kindOf = new Map([...found].map(([lower, t]) => [lower, t.kind]));
  const urls = new Set<string>();
  const emails = new Set<string>();

  const redactText = (text: string): string => {
    let out = text.replace(URL_RE, (whole) => {
      const url = trimUrl(whole);
      const tail = whole.slice(url.length);
      if (publicLower.includes(url.toLowerCase())) return whole;
      const u = splitUrl(url);
      if (!u) return whole;
      urls.add(url.toLowerCase());
      const hostPublic = IP_ADDRESS.test(u.host) || isPublic(u.host.toLowerCase(), publicLower);
      const host = hostPublic ? u.host : names.get('host', u.host);
      const user = u.user ? `${names.get('user', u.user)}@` : '';
      const rest = u.rest.length > 1 ? u.rest[0] + names.get('path', u.rest.slice(1)) : u.rest;
      return `${u.scheme}://${user}${host}${u.port}${rest}${tail}`;
    });
    out = out.replace(EMAIL_RE, (email) => {
      emails.add(email.toLowerCase());
      const [local = '', domain = ''] = email.split('@');
      return `${matchCase(local, names.get('user', local))}@${matchCase(domain, names.get('domain', domain))}`;
    });
    if (termRe) out = out.replace(termRe, (m) => matchCase(m, names.get(kindOf.get(m.toLowerCase()) ?? 'user', m)));
    // IPv4 addresses (a server's, a host:port target's) become others of the same length, the
    // same everywhere; loopback and addresses the playbooks spell out stay.
    out = out.replace(IPV4_IN_TEXT, (ip) => {
      if (NOT_PERSONAL_IP.test(ip) || isPublic(ip, publicLower)) return ip;
      let p = ips.get(ip);
      if (!p) ips.set(ip, (p = pseudonymIp(ip, ips.size + 1)));
      return p;
    });
    // IPv6 the same way (a time such as 10:15:00 is neither eight groups nor has a "::").
    out = out.replace(HEXCOLON_RUN, (run) => {
      if (!IPV6.test(run) || run === '::' || run === '::1' || isPublic(run.toLowerCase(), publicLower)) return run;
      const key = run.toLowerCase();
      let p = ips.get(key);
      if (!p) ips.set(key, (p = pseudonymIpv6(run, ips.size + 1)));
      return p;
    });
    return out;
  };

  // Everything the replay reads, in the same way.
  snap.hostname = redactText(snap.hostname);
  if (snap.site !== undefined) snap.site = redactText(snap.site);
  if (snap.note !== undefined) snap.note = redactText(snap.note);
  // Command lines can carry anything (tokens, passwords): kept only for the processes the
  // playbooks or the settings name, the only ones a probe looks at.
  const named = (name: string) => {
    const lower = name.toLowerCase().replace(/\.exe$/, '');
    return isPublic(lower, publicLower) || isPublic(lower, settingsLower);
  };
  for (const p of snap.processes ?? []) {
    if (p.cmd !== undefined) {
      if (named(p.name)) p.cmd = redactText(p.cmd);
      else delete p.cmd;
    }
    p.name = redactText(p.name);
  }
  for (const c of snap.commands ?? []) {
    c.argv = c.argv.map(redactText);
    Object.assign(c, redactBlob('stdout', c.stdout, c.stdoutBase64, redactText).fields);
    Object.assign(c, redactBlob('stderr', c.stderr, c.stderrBase64, redactText).fields);
  }
  for (const f of snap.files ?? []) {
    f.path = redactText(f.path);
    if (f.content === undefined && f.contentBase64 === undefined) continue;
    const { fields, delta } = redactBlob('content', f.content, f.contentBase64, redactText);
    Object.assign(f, fields);
    // A name whose pseudonym is shorter in bytes (non-ASCII letters) shifts the end of the file.
    if (delta && f.size !== undefined) f.size += delta;
  }
  for (const n of snap.network ?? []) n.target = redactText(n.target);
  snap.redacted = true;
  if (snap.env) snap.env = Object.fromEntries(Object.entries(snap.env).map(([k, v]) => [k, redactText(v)]));
  if (snap.settings) {
    for (const vars of Object.values(snap.settings)) {
      for (const [k, v] of Object.entries(vars)) vars[k] = Array.isArray(v) ? v.map(redactText) : redactText(v);
    }
  }
  counts.url = urls.size;
  counts.email = emails.size;
  counts.ip = ips.size;

  const leftovers: string[] = [];
  const looked = [...terms.map((t) => t.text), ...ips.keys()];
  if (looked.length) {
    const checks = looked.map((text) => ({ text, re: new RegExp(`(?<![\\p{L}\\p{N}_.])${escapeRegExp(text)}(?![\\p{L}\\p{N}_])`, 'iu') }));
    forEachText(snap, (text) => {
      for (const c of checks) if (!leftovers.includes(c.text) && c.re.test(text)) leftovers.push(c.text);
    });
  }
  return { snapshot: snap, counts, leftovers };
}

/** A same-length stand-in for an IPv4 address, no part with a leading zero: the n-th of its shape. */
function pseudonymIp(ip: string, n: number): string {
  let rest = n;
  return ip
    .split('.')
    .map((part, i) => {
      const len = part.length;
      if (i === 0) return len === 1 ? '9' : len === 2 ? '10' : '100';
      const span = len === 1 ? 10 : len === 2 ? 90 : 100;
      const v = (len === 1 ? 0 : len === 2 ? 10 : 100) + (rest % span);
      rest = Math.floor(rest / span);
      return String(v);
    })
    .join('.');
}

/** A same-shape stand-in for an IPv6 address: its colons kept, its digits zero but for n at the end. */
function pseudonymIpv6(ip: string, n: number): string {
  const chars = [...ip.replace(/[0-9a-f]/gi, '0')];
  let rest = n;
  for (let i = chars.length - 1; i >= 0 && rest > 0; i--) {
    if (chars[i] === ':') continue;
    chars[i] = (rest % 16).toString(16);
    rest = Math.floor(rest / 16);
  }
  return chars.join('');
}

/** Company names in a window title: the non-product parts of a QuickBooks title, or a part with a corporate suffix. */
export function companiesInTitle(title: string | null | undefined): string[] {
  if (!title) return [];
  // Bracketed parts are QuickBooks' own (the open window, e.g. "[Home]").
  const parts = title.split(/\s+[-\u2013\u2014|:]\s+/).map((p) => p.trim()).filter((p) => p.length >= 2 && !/^\[.*\]$/.test(p));
  const quickbooks = /quickbooks/i.test(title);
  return parts.filter((p) => !PRODUCT_WORDS.test(p) && (quickbooks || CORPORATE_SUFFIX.test(p.replace(/,$/, ''))));
}

/** Stable, same-length pseudonyms: "user00001", "host0001", "company000001"; distinct from every original. */
class Pseudonyms {
  private readonly byOriginal = new Map<string, string>();
  private readonly taken: Set<string>;
  private readonly next: Record<string, number> = {};

  constructor(originals: string[]) {
    this.taken = new Set(originals);
  }

  get(kind: TermKind | 'path', original: string): string {
    const key = `${kind === 'path' ? 'path' : 'name'}\0${original.toLowerCase()}`;
    let p = this.byOriginal.get(key);
    if (!p) {
      p = this.fresh(kind, [...original].length);
      this.byOriginal.set(key, p);
      this.taken.add(p);
    }
    return p;
  }

  /** A machine id's stand-in: zeros and a counter, as long as the original (its dashes are not kept: shape is not a fact). */
  private freshId(length: number): string {
    const n = (this.next.id = (this.next.id ?? 0) + 1);
    return String(n).padStart(length, '0');
  }

  private fresh(kind: TermKind | 'path', length: number): string {
    if (kind === 'id') return this.freshId(length);
    const prefixes = { user: ['user', 'usr', 'u'], host: ['host', 'pc', 'h'], domain: ['domain', 'dom', 'd'], company: ['company', 'co', 'c'], path: ['path', 'p'] }[kind];
    for (;;) {
      const n = (this.next[kind] = (this.next[kind] ?? 0) + 1);
      let candidate: string | undefined;
      for (const prefix of prefixes) {
        const digits = length - prefix.length;
        if (digits >= String(n).length) {
          candidate = prefix + String(n).padStart(digits, '0');
          break;
        }
      }
      // Too short for a prefix and a number: letters and digits in base 36.
      candidate ??= n.toString(36).padStart(length, prefixes[0]![0]!).slice(-length);
      if (!this.taken.has(candidate)) return candidate;
      if (n > 36 ** Math.min(length, 6) + 1000) return candidate; // cannot happen in practice; never loop forever
    }
  }
}

/** The pseudonym in the case of the occurrence: upper for upper, else lower. */
function matchCase(occurrence: string, pseudonym: string): string {
  return occurrence === occurrence.toUpperCase() && occurrence !== occurrence.toLowerCase() ? pseudonym.toUpperCase() : pseudonym;
}

function isPublic(lower: string, publicLower: string): boolean {
  if (!publicLower) return false;
  return new RegExp(`(?<!${WORD})${escapeRegExp(lower)}(?!${WORD})`, 'u').test(publicLower);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function hostOf(target: string): string {
  const t = target.trim().replace(/^[a-z]+:\/\//i, '');
  const bracket = /^\[([^\]]+)\]/.exec(t);
  if (bracket) return bracket[1]!;
  return t.split(/[:/]/)[0] ?? t;
}

function trimUrl(url: string): string {
  return url.replace(/[.,;:!?]+$/, '');
}

function splitUrl(url: string): { scheme: string; user: string; host: string; port: string; rest: string } | undefined {
  const m = /^([a-z]+):\/\/(?:([^@/?#]*)@)?(\[[^\]]+\]|[^:/?#]+)(:\d+)?(.*)$/i.exec(url);
  if (!m) return undefined;
  return { scheme: m[1]!, user: m[2] ?? '', host: m[3]!, port: m[4] ?? '', rest: m[5] ?? '' };
}

/** The text of a recorded value: UTF-8 as it is; other bytes as UTF-16 (with its BOM) or one character per byte. */
function blobText(text: string | undefined, base64: string | undefined): string {
  if (base64 === undefined) return text ?? '';
  const bytes = Buffer.from(base64, 'base64');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  return bytes.toString('latin1');
}

/**
 * Redacts recorded bytes in their own encoding: UTF-8 text as text; UTF-16 (BOM) decoded and
 * encoded again; any other bytes (an OEM or ANSI code page) one character per byte, which keeps
 * every byte that is not part of a name and, as pseudonyms are ASCII, the length.
 */
function redactBlob<K extends string>(name: K, text: string | undefined, base64: string | undefined, redact: (s: string) => string): { fields: Record<string, string | undefined>; delta: number } {
  if (base64 === undefined) {
    if (text === undefined) return { fields: {}, delta: 0 };
    const out = redact(text);
    return { fields: { [name]: out }, delta: Buffer.byteLength(out, 'utf8') - Buffer.byteLength(text, 'utf8') };
  }
  const bytes = Buffer.from(base64, 'base64');
  let out: Buffer;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) out = Buffer.concat([bytes.subarray(0, 2), Buffer.from(redact(bytes.subarray(2).toString('utf16le')), 'utf16le')]);
  else out = Buffer.from(redact(bytes.toString('latin1')), 'latin1');
  return { fields: { [`${name}Base64`]: out.toString('base64') }, delta: out.length - bytes.length };
}

/** Calls `fn` with every string a replay reads (blobs decoded as blobText does). */
function forEachText(snap: Snapshot, fn: (text: string) => void): void {
  fn(snap.hostname);
  if (snap.note) fn(snap.note);
  for (const p of snap.processes ?? []) {
    fn(p.name);
    if (p.cmd) fn(p.cmd);
  }
  for (const c of snap.commands ?? []) {
    c.argv.forEach(fn);
    fn(blobText(c.stdout, c.stdoutBase64));
    fn(blobText(c.stderr, c.stderrBase64));
  }
  for (const f of snap.files ?? []) {
    fn(f.path);
    fn(blobText(f.content, f.contentBase64));
  }
  for (const n of snap.network ?? []) fn(n.target);
  for (const v of Object.values(snap.env ?? {})) fn(v);
  for (const vars of Object.values(snap.settings ?? {})) for (const v of Object.values(vars)) (Array.isArray(v) ? v : [v]).forEach(fn);
}
