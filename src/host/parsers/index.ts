// The parser registry: every kind of native output syncdoctor reads, what produces it, and one
// way to call its parser. `syncdoctor list` shows it; the robustness suite fuzzes every entry from
// the real samples the example snapshots hold (found through `source`). One parser per file; a
// file may hold two closely related ones (powercfg /a and /requests).
import { parseJournyxSessions } from './journyx-sessions.js';
import { parsePowercfgQuery } from './powercfg-query.js';
import { parsePowercfgAvailable, parsePowercfgRequests } from './powercfg.js';
import { parseQueryUserResult } from './query-user.js';
import { parseQwcLog } from './qwclog.js';
import { parseRegQuery } from './reg-query.js';
import { parseScQuery } from './sc-query.js';
import { parseSystemctlShow } from './systemctl-show.js';
import { parseTasklistCsv } from './tasklist.js';
import { parseWho } from './who.js';

/** What a command printed (or a file held, as `stdout`), with its exit code. */
export interface ParserInput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ParserDef {
  id: string;
  /** What it reads, for `list`. */
  reads: string;
  /** Where its input comes from: a command (an argv prefix) or a file (a name pattern). */
  source: { argv: readonly string[] } | { file: RegExp };
  /** It throws HostError when the command says it failed (an exit code or a failure line it documents). */
  throwsOnFailedCommand: boolean;
  /** Never throws on odd text: what it could not read is listed in `problems`. */
  parse(input: ParserInput): { problems: readonly string[] };
}

export const PARSERS: readonly ParserDef[] = [
  {
    id: 'journyx-sessions',
    reads: "a Journyx Accountlink sync history table, copied from its web page (tab, CSV, ';' or spaces)",
    source: { file: /total-syncs\.(txt|csv)$/i },
    throwsOnFailedCommand: false,
    parse: ({ stdout }) => parseJournyxSessions(stdout),
  },
  {
    id: 'powercfg-available',
    reads: '`powercfg /a`: the sleep states a Windows PC has',
    source: { argv: ['powercfg', '/a'] },
    throwsOnFailedCommand: false,
    parse: ({ stdout }) => parsePowercfgAvailable(stdout),
  },
  {
    id: 'powercfg-query',
    reads: '`powercfg /query SCHEME_CURRENT SUB_SLEEP ...`: one sleep timeout on AC and battery',
    source: { argv: ['powercfg', '/query'] },
    throwsOnFailedCommand: false,
    parse: ({ stdout }) => parsePowercfgQuery(stdout),
  },
  {
    id: 'powercfg-requests',
    reads: '`powercfg /requests`: what keeps a Windows PC awake (needs elevation)',
    source: { argv: ['powercfg', '/requests'] },
    throwsOnFailedCommand: true,
    parse: ({ exitCode, stdout }) => parsePowercfgRequests(exitCode, stdout),
  },
  {
    id: 'query-user',
    reads: '`query user` (quser): who is logged on to Windows, in which session, idle how long',
    source: { argv: ['query', 'user'] },
    throwsOnFailedCommand: true,
    parse: ({ exitCode, stdout, stderr }) => parseQueryUserResult(exitCode, stdout, stderr),
  },
  {
    id: 'qwclog',
    reads: "QWCLog.txt: the QuickBooks Web Connector's log (cycles, schedule, errors)",
    source: { file: /QWCLog\.txt$/i },
    throwsOnFailedCommand: false,
    parse: ({ stdout }) => parseQwcLog(stdout),
  },
  {
    id: 'reg-query',
    reads: '`reg query KEY /v NAME`: registry values',
    source: { argv: ['reg', 'query'] },
    throwsOnFailedCommand: true,
    parse: ({ exitCode, stdout, stderr }) => parseRegQuery(exitCode, stdout, stderr),
  },
  {
    id: 'sc-query',
    reads: "`sc query NAME`: a Windows service's state",
    source: { argv: ['sc', 'query'] },
    throwsOnFailedCommand: true,
    parse: ({ exitCode, stdout }) => parseScQuery(exitCode, stdout),
  },
  {
    id: 'systemctl-show',
    reads: "`systemctl show NAME`: a Linux service's state",
    source: { argv: ['systemctl', 'show'] },
    throwsOnFailedCommand: false,
    parse: ({ stdout }) => parseSystemctlShow(stdout),
  },
  {
    id: 'tasklist',
    reads: '`tasklist /v /fo csv`: Windows processes with owner, session, status and window title',
    source: { argv: ['tasklist'] },
    throwsOnFailedCommand: false,
    parse: ({ stdout }) => parseTasklistCsv(stdout),
  },
  {
    id: 'who',
    reads: '`who`: who is logged on to Linux or macOS',
    source: { argv: ['who'] },
    throwsOnFailedCommand: false,
    parse: ({ stdout }) => parseWho(stdout),
  },
];
