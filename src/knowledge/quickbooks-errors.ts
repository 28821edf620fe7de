// QuickBooks SDK HRESULTs and Web Connector (QBWC10xx) codes, with their messages, meanings and
// fixes, from Intuit's SDK and QBWC Programmer's Guide and the wording integrations relay (each
// entry's `confidence` and `notes` say which). Data lives here as TypeScript so `explain` and
// `list` need no runtime parsing; the rules for trusting a code live in classifyQuickBooksError
// below: 0x8004xxxx numbers are shared by every COM library, so a code is a QuickBooks error only
// in a QuickBooks context.

import { normaliseCode } from '../core/error-codes.js';

export type QbErrorKind = 'hresult' | 'qbwc';
export type QbConfidence = 'intuit' | 'third-party' | 'comment' | 'unverified';

export interface QbErrorInfo {
  /** `0x` + 8 upper-case hex digits, `QBWCnnnn`, or the pseudo-code `QBXMLRP2` (text without a code). */
  code: string;
  kind: QbErrorKind;
  /** Text as QuickBooks/QBWC emits it; null when only a third-party comment is known. */
  message: string | null;
  /** Wording that survives version and integrator differences; matched case-insensitively. */
  stableSubstrings: string[];
  /** Plain words for a technician. */
  meaning: string;
  causes: string[];
  /** Ordered steps. */
  fix: string[];
  confidence: QbConfidence;
  escalateTo?: 'vendor' | 'intuit' | null;
  related?: string[];
  /** Remarks on sources and wording variants. */
  notes?: string[];
}

/** The pseudo-code of "Cannot create QBXMLRP2 COM component." (no HRESULT travels with it). */
export const QBXMLRP2_PSEUDO_CODE = 'QBXMLRP2';

/** ConnectBooster's Web Connector troubleshooting, step 3: how to reduce QuickBooks pop-ups that block background access. */
export const POPUP_FIX_STEPS: readonly string[] = [
  'Open QuickBooks as the dedicated QuickBooks user the sync uses.',
  'Go to Edit > Preferences.',
  'Choose General > My Preferences.',
  'Tick "Turn off pop-up messages for products and services".',
  'Click OK.',
  'Repeat for every QuickBooks user the sync uses.',
];

const REAUTHORISE_AUTO_LOGIN = [
  'Log in to QuickBooks as Admin in single-user mode with the company file open.',
  'Go to Edit > Preferences > Integrated Applications > Company Preferences, select the app and click Properties.',
  'Tick "Allow this application to login automatically" and pick the login user.',
  'If it is already ticked, remove the app\'s permission and grant it again.',
];

type Entry = QbErrorInfo;

export { normaliseCode };

// SDK / Request Processor HRESULTs, in numeric order of their families.
const HRESULTS: Entry[] = [
  {
    code: '0x80040400',
    kind: 'hresult',
    message: 'QuickBooks found an error when parsing the provided XML text stream.',
    stableSubstrings: ['error when parsing the provided XML'],
    meaning: 'The integrator sent a request QuickBooks could not read (malformed or unsupported qbXML). This is not a problem with the PC.',
    causes: ['The integrator sent malformed or unsupported qbXML.'],
    fix: ['Escalate to the integrator/vendor with the log excerpt; there is nothing to fix on the PC.'],
    confidence: 'intuit',
    escalateTo: 'vendor',
  },
  {
    code: '0x80040401',
    kind: 'hresult',
    message: 'Could not access QuickBooks.',
    stableSubstrings: ['Could not access QuickBooks'],
    meaning: 'The sync could not reach QuickBooks.',
    causes: ['QuickBooks is unreachable.', 'The QuickBooks installation is damaged.'],
    fix: ['Confirm QuickBooks opens by hand as the sync user.', 'If it does not, repair QuickBooks.'],
    confidence: 'intuit',
  },
  {
    code: '0x80040402',
    kind: 'hresult',
    message: 'Unexpected error. Check the qbsdklog.txt file for possible additional information.',
    stableSubstrings: ['Check the qbsdklog.txt'],
    meaning: 'An internal error inside the QuickBooks SDK.',
    causes: ['Internal SDK error.'],
    fix: ['Read %ProgramData%\\Intuit\\QuickBooks\\qbsdklog.txt around the time of the error.', 'Retry the sync.'],
    confidence: 'intuit',
  },
  {
    code: '0x80040403',
    kind: 'hresult',
    message: 'Could not open specified QuickBooks company data file.',
    stableSubstrings: ['Could not open specified QuickBooks company'],
    meaning: 'QuickBooks could not open the company file the sync asked for.',
    causes: ['Wrong company file path.', 'The file was moved or renamed.', 'The share or drive holding the file is unavailable.'],
    fix: ['Check that the configured company file path exists.', 'Check that the share is reachable from this Windows user.'],
    confidence: 'third-party',
  },
  {
    code: '0x80040406',
    kind: 'hresult',
    message: null,
    stableSubstrings: [],
    meaning: 'Invalid company file name or invalid file (known only from a third-party comment).',
    causes: ['Wrong .QBW path.'],
    fix: ['Correct the company file path in the agent.'],
    confidence: 'comment',
    notes: ['Third-party comment: "invalid file name or invalid file".'],
  },
  {
    code: '0x80040408',
    kind: 'hresult',
    message: 'Could not start QuickBooks.',
    stableSubstrings: ['Could not start QuickBooks'],
    meaning: 'The SDK could not launch QuickBooks or attach to it.',
    causes: [
      'No Windows user is logged on, or the PC is asleep.',
      'A pop-up appeared when QuickBooks started in the background.',
      'Someone has the company file open in single-user mode.',
      "The sync's QuickBooks user is logged in elsewhere.",
      'The company file was renamed or moved.',
      'The integrated application\'s login user was changed.',
    ],
    fix: [
      "Make sure the agent's Windows user is logged on and the PC is awake.",
      'Open QuickBooks by hand as that user and clear any dialog.',
      'Check that nobody holds the company file in single-user mode.',
      'Re-check the app in Integrated Applications.',
    ],
    confidence: 'third-party',
    related: ['0x80040414', '0x80040410'],
  },
  {
    code: '0x8004040A',
    kind: 'hresult',
    message: 'QuickBooks company data file is already open and it is different from the one requested.',
    stableSubstrings: ['already open and it is different'],
    meaning: 'QuickBooks already has a different company file open; one QuickBooks instance holds one file.',
    causes: ['Another company file is open on this PC.'],
    fix: ['Close the other company file, or point the agent at the file that is open.'],
    confidence: 'third-party',
    notes: ['Some apps mislabel this code ("not authorized", "QuickBooks is busy"); trust the QuickBooks text.'],
  },
  {
    code: '0x8004040D',
    kind: 'hresult',
    message: null,
    stableSubstrings: [],
    meaning: 'The SDK session ticket is invalid (known only from a third-party comment).',
    causes: ['Stale SDK ticket.'],
    fix: ['Retry the sync.', 'Restart the agent if it repeats.'],
    confidence: 'comment',
    notes: ['Third-party comment: "the ticket parameter is invalid".'],
  },
  {
    code: '0x80040410',
    kind: 'hresult',
    message: 'The QuickBooks company data file is currently open in a mode other than the one specified by your application.',
    stableSubstrings: ['open in a mode other than'],
    meaning: 'The company file is open in single-user mode while the agent wants multi-user (or the reverse).',
    causes: ['A person has the file in single-user mode while the agent asks for multi-user (or the reverse).'],
    fix: ['Ask who has the company file open.', 'Have them switch to multi-user mode or close the file.'],
    confidence: 'third-party',
    notes: ['NI System Configuration uses the same number for "The object copier could not be created."'],
  },
  {
    code: '0x80040414',
    kind: 'hresult',
    message:
      'A modal dialog box is showing in the QuickBooks user interface. Your application cannot access QuickBooks until the user dismisses the dialog box.',
    stableSubstrings: ['modal dialog box is showing'],
    meaning: 'A QuickBooks pop-up is open and blocks background access until someone dismisses it.',
    causes: ['A QuickBooks pop-up (update offer, backup reminder, login prompt) is open.'],
    fix: ["Dismiss the dialog in the QuickBooks window on the sync user's desktop.", ...POPUP_FIX_STEPS],
    confidence: 'third-party',
    related: ['0x80040408'],
  },
  {
    code: '0x80040416',
    kind: 'hresult',
    message: 'If QuickBooks is not running, the company data file name must be supplied to BeginSession.',
    stableSubstrings: ['company data file name must be supplied'],
    meaning: 'QuickBooks is closed and the agent did not say which company file to open.',
    causes: ['QuickBooks is closed and the agent passed no file path (QBWC authRet[1] empty means "use the open file").'],
    fix: ['Open QuickBooks on the company file, or configure the company file path in the agent.'],
    confidence: 'intuit',
    related: ['0x80040417'],
  },
  {
    code: '0x80040417',
    kind: 'hresult',
    message: null,
    stableSubstrings: [],
    meaning: 'QuickBooks is open with no company file, and no path was supplied (known only from a third-party comment).',
    causes: ['QuickBooks sits at "No Company Open".'],
    fix: ['Open the company file, or supply the path in the agent.'],
    confidence: 'comment',
    related: ['0x80040416'],
  },
  {
    code: '0x80040418',
    kind: 'hresult',
    message:
      'This application has not accessed this QuickBooks company data file before. Only the QuickBooks administrator can grant an application permission to access a QuickBooks company data file for the first time.',
    stableSubstrings: ['has not accessed this QuickBooks company data file before'],
    meaning: 'The app was never authorised for this company file.',
    causes: ['First-time authorisation was never done (or was done on another file).'],
    fix: [
      'Log in to QuickBooks as Admin in single-user mode with that company file open.',
      'Run the agent.',
      'Accept the certificate prompt.',
    ],
    confidence: 'third-party',
  },
  {
    code: '0x8004041A',
    kind: 'hresult',
    message:
      'This application does not have permission to access this QuickBooks company data file. The QuickBooks administrator can grant access permission through the Integrated Application preferences.',
    stableSubstrings: ['does not have permission to access this QuickBooks company'],
    meaning: 'The app is listed in Integrated Applications but its access is unticked or removed.',
    causes: ['App listed in Integrated Applications but access unticked/removed.'],
    fix: ['Log in to QuickBooks as Admin.', 'Go to Edit > Preferences > Integrated Applications > Company Preferences.', 'Allow the app.'],
    confidence: 'third-party',
  },
  {
    code: '0x8004041B',
    kind: 'hresult',
    message: 'Unable to lock the necessary information to allow this application to access this company data file. Try again later.',
    stableSubstrings: ['Unable to lock the necessary information'],
    meaning: 'Another process holds the lock QuickBooks needs for this app.',
    causes: ['Another process holds the lock.'],
    fix: ['Wait and retry.', 'Find the other integration that runs at the same time.'],
    confidence: 'third-party',
  },
  {
    code: '0x8004041C',
    kind: 'hresult',
    message: 'An internal QuickBooks error occurred while trying to access the QuickBooks company data file.',
    stableSubstrings: ['internal QuickBooks error occurred'],
    meaning: 'A fault inside QuickBooks while opening the company file.',
    causes: ['QuickBooks-side fault.'],
    fix: ['Retry the sync.', 'Check qbsdklog.txt.', 'Consider running QuickBooks file verification.'],
    confidence: 'third-party',
  },
  {
    code: '0x8004041D',
    kind: 'hresult',
    message:
      'This application is not allowed to log into this QuickBooks company data file automatically. The QuickBooks administrator can grant permission for automatic login through the Integrated Application preferences.',
    stableSubstrings: ['not allowed to log into this QuickBooks company data file automatically'],
    meaning: 'The app may not log in to QuickBooks on its own (without QuickBooks open).',
    causes: [
      'The app is allowed only while QuickBooks is open.',
      'The auto-login grant was invalidated (QuickBooks update, file moved/renamed, login user changed).',
    ],
    fix: REAUTHORISE_AUTO_LOGIN,
    confidence: 'third-party',
    related: ['0x80040430'],
    notes: ['Wording variant: "...grant permission for an automatic login..."'],
  },
  {
    code: '0x8004041E',
    kind: 'hresult',
    message:
      'This applications certificate is expired. If you want to allow the application to log into QuickBooks automatically, log into QuickBooks and try again. Then click Allow Always when you are notified that the certificate has expired.',
    stableSubstrings: ['certificate is expired'],
    meaning: "The application's certificate has expired.",
    causes: ['Expired application certificate.'],
    fix: ['Log in to QuickBooks as Admin.', 'Re-approve the app with "Allow Always".'],
    confidence: 'third-party',
  },
  {
    code: '0x8004041F',
    kind: 'hresult',
    message:
      'QuickBooks Basic cannot accept XML requests. Another product in the QuickBooks line, such as QuickBooks Pro or Premier, 2002 or later, is required.',
    stableSubstrings: ['cannot accept XML requests'],
    meaning: 'This QuickBooks edition does not support integrations.',
    causes: ['Unsupported QuickBooks edition.'],
    fix: ['An edition upgrade is needed; there is nothing to repair on the PC.'],
    confidence: 'third-party',
  },
  {
    code: '0x80040420',
    kind: 'hresult',
    message: 'The QuickBooks user has denied access.',
    stableSubstrings: ['has denied access'],
    meaning: 'Someone answered "No" to the app\'s access prompt, or access was revoked.',
    causes: ['The certificate prompt was answered "No".', 'Access was revoked.'],
    fix: ['Re-authorise the app in Integrated Applications (as Admin).'],
    confidence: 'third-party',
  },
  {
    code: '0x80040422',
    kind: 'hresult',
    message:
      'This application requires Single User file access mode and there is already another application sharing data with this QuickBooks company data file.',
    stableSubstrings: ['requires Single User file access mode'],
    meaning: 'Two integrations both need exclusive access to the company file at the same time.',
    causes: ['Two integrations both need exclusive access.'],
    fix: ['Stagger the schedules so that they do not overlap.'],
    confidence: 'third-party',
  },
  {
    code: '0x80040423',
    kind: 'hresult',
    message: 'The version of qbXML that was requested is not supported or is unknown.',
    stableSubstrings: ['version of qbXML that was requested'],
    meaning: 'The integrator asks for a qbXML version this QuickBooks does not support.',
    causes: ['The integrator requests a qbXML version newer than this QuickBooks supports.'],
    fix: ['Update QuickBooks, or have the vendor lower the qbXML version.'],
    confidence: 'third-party',
  },
  {
    code: '0x80040424',
    kind: 'hresult',
    message: 'QuickBooks did not finish its initialization. Please try again later.',
    stableSubstrings: ['did not finish its initialization'],
    meaning: 'QuickBooks was still starting.',
    causes: ['QuickBooks still starting.'],
    fix: ['Retry after a delay; this is transient unless it repeats every cycle.'],
    confidence: 'third-party',
  },
  {
    code: '0x80040427',
    kind: 'hresult',
    message: 'Unregistered QuickBooks.',
    stableSubstrings: ['Unregistered QuickBooks'],
    meaning: 'QuickBooks is not registered or activated.',
    causes: ['QuickBooks not registered/activated.'],
    fix: ['Register QuickBooks.'],
    confidence: 'third-party',
  },
  {
    code: '0x8004042A',
    kind: 'hresult',
    message: 'Remote access is not allowed.',
    stableSubstrings: ['Remote access is not allowed'],
    meaning: 'Remote access was refused; the cause is undocumented.',
    causes: ['Undocumented.'],
    fix: ['Escalate to the vendor with the log excerpt.'],
    confidence: 'third-party',
    escalateTo: 'vendor',
  },
  {
    code: '0x8004042C',
    kind: 'hresult',
    message: 'Certificate has been revoked. Something is wrong with the SSL certificate issued to your domain name.',
    stableSubstrings: ['Certificate has been revoked'],
    meaning: "The vendor's certificate was revoked.",
    causes: ['Vendor certificate problem.'],
    fix: ['Escalate to the vendor.'],
    confidence: 'third-party',
    escalateTo: 'vendor',
  },
  {
    code: '0x80040430',
    kind: 'hresult',
    message:
      'This application is unable to log into this QuickBooks company data file automatically; the QuickBooks Administrator can grant permission through the Integrated Applications preferences.',
    stableSubstrings: ['unable to log into this QuickBooks company data file automatically'],
    meaning: 'The app may not log in to QuickBooks on its own; same family as 0x8004041D.',
    causes: ['Same family as 0x8004041D: auto-login not allowed or the grant was invalidated.'],
    fix: REAUTHORISE_AUTO_LOGIN,
    confidence: 'third-party',
    related: ['0x8004041D'],
    notes: ['Source: SmartVault KB.'],
  },
  {
    code: '0x80040154',
    kind: 'hresult',
    message: null,
    stableSubstrings: ['Class not registered'],
    meaning: 'Standard COM error REGDB_E_CLASSNOTREG: the QuickBooks SDK component is not registered for this program.',
    causes: ['QBXMLRP2/QBFC not registered.', '32/64-bit mismatch between the agent and the SDK.'],
    fix: ['Repair QuickBooks, or reinstall the SDK runtime the vendor requires.'],
    confidence: 'comment',
    related: [QBXMLRP2_PSEUDO_CODE],
    notes: ['A standard COM code shared by every COM component; trust it only in a QuickBooks context.'],
  },
  {
    code: '0x80040308',
    kind: 'hresult',
    message: null,
    stableSubstrings: [],
    meaning: 'Could not communicate with the QuickBooks SDK (known only from a third-party comment; origin unverified).',
    causes: ['Old QBFC DLL.', 'Broken QuickBooks install.'],
    fix: ['Reinstall QBFC, or repair QuickBooks.'],
    confidence: 'unverified',
    notes: ['Third-party comment: "Could not communicate with the QuickBooks SDK."'],
  },
  {
    // No HRESULT travels with this application-level text; it is treated like 0x80040154 (class not registered).
    code: QBXMLRP2_PSEUDO_CODE,
    kind: 'hresult',
    message: 'Cannot create QBXMLRP2 COM component.',
    stableSubstrings: ['Cannot create QBXMLRP2 COM component'],
    meaning: 'The QuickBooks request-processor COM object could not be created.',
    causes: ['The QuickBooks SDK is missing.', 'Bitness (32/64-bit) mismatch between the agent and the SDK.'],
    fix: ['Repair QuickBooks, or reinstall the SDK runtime the vendor requires.'],
    confidence: 'third-party',
    related: ['0x80040154'],
    notes: ['Application-level text with no HRESULT; treated like 0x80040154.'],
  },
];

/** Shared fields of a QBWC code; the code list fills in `code`. */
type QbwcTemplate = Omit<Entry, 'code' | 'kind'>;

function qbwc(codes: number[], t: Partial<QbwcTemplate> & Pick<QbwcTemplate, 'meaning' | 'fix'>): Entry[] {
  return codes.map((n) => ({
    code: `QBWC${n}`,
    kind: 'qbwc' as const,
    message: t.message ?? null,
    stableSubstrings: t.stableSubstrings ?? [],
    meaning: t.meaning,
    causes: t.causes ?? [],
    fix: t.fix,
    confidence: t.confidence ?? 'intuit',
    ...(t.escalateTo !== undefined ? { escalateTo: t.escalateTo } : {}),
    ...(t.related ? { related: t.related.filter((r) => r !== `QBWC${n}`) } : {}),
    ...(t.notes ? { notes: t.notes } : {}),
  }));
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let n = from; n <= to; n++) out.push(n);
  return out;
}

const CONNECT_RELATED = ['QBWC1007', 'QBWC1008', 'QBWC1009', 'QBWC1013', 'QBWC1014'];

// QBWC's own codes (Intuit QBWC Programmer's Guide 2022, Appendix A, unless marked).
const QBWC_CODES: Entry[] = [
  ...qbwc([1000], {
    meaning: "The app's service and support URLs are on different domains.",
    causes: ['The .qwc file names a support URL on another domain than the service URL.'],
    fix: ['The vendor must fix the .qwc file.'],
    escalateTo: 'vendor',
  }),
  ...qbwc([1005], {
    meaning: 'QBWC failed to run because the log directory is missing or not writable; a trace is written to QWCLog.',
    causes: ['The log directory is missing or not writable.'],
    fix: ['Check that the log folder exists and is writable for this Windows user.', 'Reinstall QBWC if it persists.'],
    related: ['QBWC1006', 'QBWC1033'],
  }),
  ...qbwc([1006], {
    meaning: 'QBWC failed to run because of an exception; a trace is written to QWCLog.',
    causes: ['An exception other than a missing or unwritable log directory.'],
    fix: ['Check that the log folder exists and is writable for this Windows user.', 'Reinstall QBWC if it persists.'],
    related: ['QBWC1005'],
  }),
  ...qbwc([1007, 1008, 1009], {
    meaning: "QBWC could not connect to QuickBooks; QuickBooks' own message is included.",
    causes: ['QuickBooks is not running.', 'No company file is open.', 'A modal dialog box is open in QuickBooks.'],
    fix: [
      'Open QuickBooks on the right company file.',
      'Clear any dialogs.',
      'Click Retry in QBWC.',
      'Read the embedded QuickBooks (SDK) message and follow its fix.',
    ],
    related: CONNECT_RELATED,
  }),
  ...qbwc([1010], {
    meaning: 'The app cannot be loaded: only HTTPS apps are allowed (HTTP only for localhost).',
    causes: ['The .qwc file points at an http:// URL that is not localhost.'],
    fix: ['The vendor must provide an HTTPS .qwc file.'],
    escalateTo: 'vendor',
  }),
  ...qbwc([1012], {
    message: 'Authentication failed due to following error message.',
    stableSubstrings: ['Authentication failed due to following error message'],
    meaning: 'Logging in to the web service failed; the exception text follows the code.',
    causes: [
      'Network or TLS failure reaching the app (e.g. "The request was aborted: The connection was closed unexpectedly.").',
      'Wrong password stored in QBWC.',
      'Server-side fault (e.g. "Object reference not set to an instance of an object.").',
    ],
    fix: [
      'Network/TLS: test that the AppURL is reachable from this PC.',
      'Wrong password: re-enter it in QBWC.',
      'Server fault: escalate to the vendor with the log excerpt.',
    ],
    related: ['QBWC1040', 'QBWC1048'],
  }),
  ...qbwc([1013], {
    message: 'Error connecting to QuickBooks. Returning error message to application.',
    stableSubstrings: ['Error connecting to QuickBooks. Returning error message to application'],
    meaning: "QBWC could not connect to QuickBooks; QuickBooks' message is appended and passed to the app's connectionError().",
    causes: ["See the appended QuickBooks HRESULT and message (QuickBooks not started, a pop-up, single-user mode, ...)."],
    fix: ['Read the HRESULT/message appended to this entry and follow the fix for that code.'],
    related: CONNECT_RELATED,
  }),
  ...qbwc([1014], {
    meaning: 'QBWC could not get the Host/Company/Preferences response from QuickBooks; the job ends.',
    causes: ['Same as QBWC1013: QuickBooks could not be reached or the company file could not be opened.'],
    fix: [
      'Read the HRESULT/message near this entry and follow the fix for that code.',
      'Check that QuickBooks opens and that the company file is reachable.',
    ],
    related: CONNECT_RELATED,
  }),
  ...qbwc([1015], {
    meaning: 'QuickBooks returned an error while QBWC was ending the connection.',
    fix: ['Retry the sync.', 'Repair QuickBooks if it repeats.'],
    related: ['QBWC1021'],
  }),
  ...qbwc([1016], {
    meaning: 'No application was selected for update (informational).',
    causes: ['"Update Selected" was clicked with no app ticked.'],
    fix: ['User action in QBWC: tick the app, then update; nothing to repair.'],
  }),
  ...qbwc([1017], {
    meaning: 'The listed applications could not be updated.',
    fix: ["Look at each named app's entries in QWCLog."],
  }),
  ...qbwc([1020], {
    meaning: 'There are scheduled jobs; exiting QBWC stops them.',
    fix: ['Leave QBWC running in the tray.'],
  }),
  ...qbwc([1021], {
    meaning: 'QuickBooks returned an error while QBWC was determining the QBXMLRP version.',
    causes: ['A problem with the QuickBooks request processor (QBXMLRP2) installation.'],
    fix: ['Retry the sync.', 'Repair QuickBooks if it repeats (this code points at the request processor install).'],
    related: ['QBWC1015', QBXMLRP2_PSEUDO_CODE],
  }),
  ...qbwc(range(1022, 1027), {
    meaning: 'QBWC could not find or register the FileID while adding an app.',
    fix: ['Re-add the .qwc file with QuickBooks open as Admin.'],
    related: range(1022, 1027).map((n) => `QBWC${n}`),
  }),
  ...qbwc([1030], {
    meaning: 'No password is set for the application.',
    fix: ['Enter the password in QBWC for that app.'],
    related: ['QBWC1040'],
  }),
  ...qbwc([1031], {
    meaning: 'A scheduled update finished with some error; the details are in the local log.',
    fix: ["Read the cycle's entries in QWCLog."],
  }),
  ...qbwc([1032], {
    meaning: 'A scheduled app was not found in the registry.',
    fix: ['Untick Auto-Run for the app.', 'Exit and restart QBWC.', 'Enable Auto-Run again.'],
  }),
  ...qbwc([1033], {
    meaning: 'QWCLog.txt could not be initialised; QBWC will not run.',
    causes: ['The log file or folder is not writable for this Windows user.'],
    fix: ['Make the log file and folder writable for this Windows user.'],
    related: ['QBWC1005'],
  }),
  ...qbwc([1034], {
    meaning: 'QBWC could not set AuthFlags ("possible problem in QBXMLRP2 installation").',
    stableSubstrings: ['possible problem in QBXMLRP2 installation'],
    causes: ['A damaged QBXMLRP2 (request processor) installation.'],
    fix: ['Repair QuickBooks, or reinstall the SDK runtime.'],
    related: [QBXMLRP2_PSEUDO_CODE],
  }),
  ...qbwc([1035], {
    meaning: 'DNS resolution of localhost failed.',
    fix: ['Check the hosts file and the network stack.'],
  }),
  ...qbwc([1036, 1037, 1046], {
    meaning: 'A clientVersion problem, or a warning/error string the app returned.',
    fix: ['Update QBWC or the vendor app, as the message says.'],
    related: ['QBWC1036', 'QBWC1037', 'QBWC1046'],
  }),
  ...qbwc([1038], {
    meaning: 'The user cancelled the master-key prompt (informational).',
    fix: ['Nothing to repair.'],
  }),
  ...qbwc([1039], {
    meaning: 'QBWC had a problem adding the application to the registry; the .qwc file may lack elements.',
    causes: [
      'The .qwc file lacks required elements.',
      'A duplicate OwnerID/FileID pair (field reports; ConnectBooster\'s "Unique FileID/OwnerID" error).',
    ],
    fix: ['Remove the old app entry.', "Re-add the vendor's current .qwc file."],
    notes: ['The OwnerID/FileID link comes from field reports, not from Intuit.'],
  }),
  ...qbwc([1040], {
    meaning: 'QBWC did not provide a valid user name and/or password.',
    fix: ['Re-enter the password for the app in QBWC.'],
    related: ['QBWC1030', 'QBWC1012'],
  }),
  ...qbwc(range(1041, 1045), {
    meaning:
      'A web-service callback failed (sendRequestXML, receiveResponseXML, getLastError, closeConnection or connectionError); a server-side fault.',
    causes: ['Server-side fault in the vendor\'s web service.'],
    fix: ['Escalate to the vendor with the log excerpt.'],
    escalateTo: 'vendor',
    related: range(1041, 1045).map((n) => `QBWC${n}`),
    notes: ['QBWC1042 is often "Response is not well-formed XML."'],
  }),
  ...qbwc([1048], {
    meaning: "QBWC could not verify the web application server's certificate.",
    causes: ['TLS interception.', 'Wrong system clock.', 'Missing root certificates.', "A broken certificate chain on the server."],
    fix: [
      'Check for TLS interception (proxy or antivirus).',
      'Check the PC clock.',
      'Check the root certificates.',
      "Escalate to the vendor if the server's certificate chain is broken.",
    ],
  }),
  ...qbwc([1085], {
    meaning: 'Unverified: one public repository describes it as a log-file problem.',
    causes: ['A problem with QWCLog.txt (unverified).'],
    fix: ['Guided step only: delete QWCLog.txt and restart QBWC.'],
    confidence: 'unverified',
    related: ['QBWC1033'],
  }),
];

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const ALL: readonly QbErrorInfo[] = deepFreeze([...HRESULTS, ...QBWC_CODES]);
const BY_CODE = new Map(ALL.map((e) => [e.code, e]));

/** Every known entry: SDK HRESULTs first, then QBWC codes. */
export function allCodes(): QbErrorInfo[] {
  return [...ALL];
}

/** Looks an entry up by any accepted code form (or the pseudo-code QBXMLRP2). */
export function lookupCode(code: string): QbErrorInfo | undefined {
  if (typeof code !== 'string') return undefined;
  const norm = normaliseCode(code);
  if (norm) return BY_CODE.get(norm);
  if (code.trim().toUpperCase() === QBXMLRP2_PSEUDO_CODE) return BY_CODE.get(QBXMLRP2_PSEUDO_CODE);
  return undefined;
}

function fold(s: string): string {
  return s.replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, ' ').toLowerCase();
}

const FOLDED = ALL.map((e) => ({ e, subs: e.stableSubstrings.map(fold) }));

/** Entries whose stable substring occurs in the text, most specific (longest substring) first. */
function textMatches(text: string): QbErrorInfo[] {
  const t = fold(text);
  const hits: { e: QbErrorInfo; len: number }[] = [];
  for (const { e, subs } of FOLDED) {
    const len = Math.max(0, ...subs.filter((s) => t.includes(s)).map((s) => s.length));
    if (len > 0) hits.push({ e, len });
  }
  // An SDK text names the actual QuickBooks cause; a QBWC wrapper text only says "connecting failed".
  hits.sort((a, b) => kindRank(a.e) - kindRank(b.e) || b.len - a.len);
  return hits.map((h) => h.e);
}

function kindRank(e: QbErrorInfo): number {
  return e.kind === 'hresult' ? 0 : 1;
}

/** Finds the entry whose stable substring occurs in a message (no context rules applied). */
export function findByMessage(message: string): QbErrorInfo | undefined {
  return textMatches(message)[0];
}

function ownTextMatches(info: QbErrorInfo, text: string): boolean {
  const t = fold(text);
  return info.stableSubstrings.some((s) => t.includes(fold(s)));
}

/** A line that names QuickBooks, QBXMLRP2, QBFC, qbXML or the Web Connector is a QuickBooks context. */
const NAMES_QUICKBOOKS = /quickbooks|qbxmlrp|\bqbfc|qbxml|\bqbwc|web connector/i;

/** Codes that wrap QuickBooks' own SDK message (QBWC1007–1009, 1013, 1014). */
const WRAPPER_CODES = new Set(CONNECT_RELATED);

const CODE_IN_TEXT = /\b(QBWC\d{4})\b|\b(0x[0-9A-Fa-f]{8})\b/gi;

function codesInText(text: string): { qbwc: string | null; hresult: string | null } {
  let qbwcCode: string | null = null;
  let hresult: string | null = null;
  for (const m of text.slice(0, 4096).matchAll(CODE_IN_TEXT)) {
    if (m[1] && !qbwcCode) qbwcCode = normaliseCode(m[1]);
    if (m[2] && !hresult) hresult = normaliseCode(m[2]);
  }
  return { qbwc: qbwcCode, hresult };
}

export interface QbClassification {
  /** What the evidence means; null when it cannot be trusted or is unknown. */
  info: QbErrorInfo | null;
  /** True when the identification may be shown with its QuickBooks fix. */
  trusted: boolean;
  label: string;
  /** The normalised code considered (given, or found in the message); null if none. */
  code: string | null;
  matchedBy: 'code+text' | 'code' | 'text' | null;
  /** The code's stable text contradicts the message (which names another QuickBooks error). */
  mismatch: boolean;
  /** On a mismatch: the entry of the reported code (info follows QuickBooks' message instead). */
  reportedInfo: QbErrorInfo | null;
  /** For QBWC codes that wrap an SDK error (QBWC1013 ...): the SDK error found in the message. */
  embedded: QbErrorInfo | null;
  /** Where the QuickBooks context came from. */
  contextFrom: 'caller' | 'message' | 'code' | null;
}

export interface QbClassifyInput {
  code?: string | null;
  message?: string | null;
  context: 'quickbooks' | 'unknown';
}

/**
 * Applies the matching rules: trust a code only in a QuickBooks
 * context (the caller's, or a message that names QuickBooks; a QBWCnnnn code names the Web
 * Connector itself), match on code plus stable substring, accept a substring alone in a
 * QuickBooks context, prefer QuickBooks' text over an app's label and flag contradictions.
 */
export function classifyQuickBooksError(input: QbClassifyInput): QbClassification {
  const message = typeof input.message === 'string' ? input.message.slice(0, 4096) : '';
  const found = codesInText(message);
  const given = input.code != null && String(input.code).trim() !== '' ? String(input.code) : null;
  const code = given ? normaliseCode(given) ?? pseudo(given) : found.qbwc ?? found.hresult;
  const isQbwc = code?.startsWith('QBWC') ?? false;
  // QBWCnnnn and QBXMLRP2 name QuickBooks themselves; 0x8004xxxx numbers are shared by every COM library.
  const selfNamed = isQbwc || code === QBXMLRP2_PSEUDO_CODE;

  const contextFrom: QbClassification['contextFrom'] =
    input.context === 'quickbooks' ? 'caller' : NAMES_QUICKBOOKS.test(message) ? 'message' : selfNamed ? 'code' : null;
  const base = { code, mismatch: false, reportedInfo: null, embedded: null, contextFrom };

  if (!contextFrom) {
    const label = code ? `unknown COM error ${code}` : given ? `unknown error code ${given.trim()}` : messageLabel(message);
    return { ...base, info: null, trusted: false, label, matchedBy: null };
  }

  const byText = message ? textMatches(message) : [];
  if (!code) {
    const info = byText[0] ?? null;
    if (!info) return { ...base, info: null, trusted: false, label: given ? `unknown error code ${given.trim()}` : messageLabel(message), matchedBy: null };
    return { ...base, info, trusted: true, label: infoLabel(info), matchedBy: 'text' };
  }

  const known = BY_CODE.get(code) ?? null;
  if (known && isQbwc) {
    const embedded = WRAPPER_CODES.has(code) ? embeddedSdkError(found.hresult, byText) : null;
    const own = message !== '' && ownTextMatches(known, message);
    return { ...base, info: known, embedded, trusted: true, label: infoLabel(known), matchedBy: own ? 'code+text' : 'code' };
  }
  if (known) {
    if (message === '' || ownTextMatches(known, message)) {
      return { ...base, info: known, trusted: true, label: infoLabel(known), matchedBy: message ? 'code+text' : 'code' };
    }
    const other = byText.find((e) => e.kind === 'hresult' && e.code !== known.code && !equivalent(known.code, e.code));
    if (other) {
      // QuickBooks' own words beat the code an app attached to them.
      return {
        ...base,
        info: other,
        reportedInfo: known,
        mismatch: true,
        trusted: true,
        label: `${infoLabel(other)} (reported as ${code})`,
        matchedBy: 'text',
      };
    }
    // The message is an app's own label (or unrelated): QuickBooks' meaning of the code wins.
    return { ...base, info: known, trusted: true, label: infoLabel(known), matchedBy: 'code' };
  }

  // A code we do not know, even in a QuickBooks context.
  const other = byText[0];
  if (other) {
    return { ...base, info: other, mismatch: true, trusted: true, label: `${infoLabel(other)} (reported as ${code})`, matchedBy: 'text' };
  }
  const label = isQbwc ? `unknown Web Connector code ${code}` : `unknown COM error ${code}`;
  return { ...base, info: null, trusted: false, label, matchedBy: null };
}

// Pairs that are treated alike: their texts do not contradict each other.
const EQUIVALENT = new Set(['0x80040154|QBXMLRP2', 'QBXMLRP2|0x80040154']);

function equivalent(a: string, b: string): boolean {
  return EQUIVALENT.has(`${a}|${b}`);
}

function pseudo(given: string): string | null {
  return given.trim().toUpperCase() === QBXMLRP2_PSEUDO_CODE ? QBXMLRP2_PSEUDO_CODE : null;
}

function embeddedSdkError(hresult: string | null, byText: QbErrorInfo[]): QbErrorInfo | null {
  if (hresult) {
    const e = BY_CODE.get(hresult);
    if (e) return e;
  }
  return byText.find((e) => e.kind === 'hresult') ?? null;
}

function infoLabel(info: QbErrorInfo): string {
  return `${info.code}: ${info.message ?? info.meaning}`;
}

function messageLabel(message: string): string {
  const t = message.replace(/\s+/g, ' ').trim();
  if (!t) return 'unknown error';
  return t.length > 200 ? `${t.slice(0, 197)}...` : t;
}
