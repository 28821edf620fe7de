import { describe, expect, it } from 'vitest';
import {
  POPUP_FIX_STEPS,
  QBXMLRP2_PSEUDO_CODE,
  allCodes,
  classifyQuickBooksError,
  findByMessage,
  lookupCode,
  normaliseCode,
} from '../../src/knowledge/quickbooks-errors.js';

// The codes the knowledge base must hold, written out independently of it (ranges expanded), so
// that a code dropped from or added to the tables by mistake shows here.
const REFERENCE_HRESULTS = [
  '0x80040400', '0x80040401', '0x80040402', '0x80040403', '0x80040406', '0x80040408', '0x8004040A',
  '0x8004040D', '0x80040410', '0x80040414', '0x80040416', '0x80040417', '0x80040418', '0x8004041A',
  '0x8004041B', '0x8004041C', '0x8004041D', '0x8004041E', '0x8004041F', '0x80040420', '0x80040422',
  '0x80040423', '0x80040424', '0x80040427', '0x8004042A', '0x8004042C', '0x80040430', '0x80040154',
  '0x80040308',
];
const REFERENCE_QBWC = [
  1000, 1005, 1006, 1007, 1008, 1009, 1010, 1012, 1013, 1014, 1015, 1021, 1016, 1017, 1020, 1022, 1023,
  1024, 1025, 1026, 1027, 1030, 1031, 1032, 1033, 1034, 1035, 1036, 1037, 1046, 1038, 1039, 1040, 1041,
  1042, 1043, 1044, 1045, 1048, 1085,
].map((n) => `QBWC${n}`);

const MODAL =
  'A modal dialog box is showing in the QuickBooks user interface. Your application cannot access QuickBooks until the user dismisses the dialog box.';

describe('knowledge base contents', () => {
  it('holds every code listed here, exactly once, and nothing else but the QBXMLRP2 text', () => {
    const codes = allCodes().map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...REFERENCE_HRESULTS, ...REFERENCE_QBWC, QBXMLRP2_PSEUDO_CODE].sort());
  });

  it.each(REFERENCE_HRESULTS)('%s is an hresult entry with normalised code', (code) => {
    const e = lookupCode(code);
    expect(e?.code).toBe(code);
    expect(e?.kind).toBe('hresult');
    expect(code).toMatch(/^0x[0-9A-F]{8}$/);
  });

  it.each(REFERENCE_QBWC)('%s is a qbwc entry', (code) => {
    const e = lookupCode(code);
    expect(e?.code).toBe(code);
    expect(e?.kind).toBe('qbwc');
  });

  it('has the required fields on every entry', () => {
    for (const e of allCodes()) {
      expect(e.meaning.length, e.code).toBeGreaterThan(0);
      expect(e.fix.length, e.code).toBeGreaterThan(0);
      expect(Array.isArray(e.causes), e.code).toBe(true);
      expect(Array.isArray(e.stableSubstrings), e.code).toBe(true);
      expect(['intuit', 'third-party', 'comment', 'unverified']).toContain(e.confidence);
      // A quoted message must contain its own stable substrings.
      if (e.message) for (const s of e.stableSubstrings) expect(e.message.toLowerCase(), e.code).toContain(s.toLowerCase());
      for (const r of e.related ?? []) expect(lookupCode(r), `${e.code} -> ${r}`).toBeDefined();
    }
  });

  it('records confidence as listed here', () => {
    expect(lookupCode('0x80040400')?.confidence).toBe('intuit');
    expect(lookupCode('0x80040416')?.confidence).toBe('intuit');
    expect(lookupCode('0x80040408')?.confidence).toBe('third-party');
    expect(lookupCode('0x80040406')?.confidence).toBe('comment');
    expect(lookupCode('0x80040308')?.confidence).toBe('unverified');
    expect(lookupCode('QBWC1013')?.confidence).toBe('intuit');
    expect(lookupCode('QBWC1085')?.confidence).toBe('unverified');
  });

  it('keeps a null message where only a comment is known', () => {
    for (const c of ['0x80040406', '0x8004040D', '0x80040417', '0x80040308']) expect(lookupCode(c)?.message).toBeNull();
    expect(lookupCode('0x80040408')?.message).toBe('Could not start QuickBooks.');
  });

  it('gives the step-by-step pop-up fix for a modal dialog', () => {
    const fix = lookupCode('0x80040414')!.fix;
    expect(fix.slice(-POPUP_FIX_STEPS.length)).toEqual([...POPUP_FIX_STEPS]);
    const joined = fix.join('\n');
    expect(joined).toContain('Edit > Preferences');
    expect(joined).toContain('General > My Preferences');
    expect(joined).toContain('Turn off pop-up messages for products and services');
    expect(joined).toMatch(/Repeat for every QuickBooks user/);
    expect(joined.indexOf('Edit > Preferences')).toBeLessThan(joined.indexOf('My Preferences'));
  });

  it('marks escalations to the vendor', () => {
    expect(lookupCode('0x80040400')?.escalateTo).toBe('vendor');
    expect(lookupCode('QBWC1042')?.escalateTo).toBe('vendor');
    expect(lookupCode('QBWC1000')?.escalateTo).toBe('vendor');
  });

  it('links related codes', () => {
    expect(lookupCode('0x8004041D')?.related).toContain('0x80040430');
    expect(lookupCode('0x80040430')?.related).toContain('0x8004041D');
    expect(lookupCode('0x80040154')?.related).toContain('QBXMLRP2');
    expect(lookupCode('QBWC1013')?.related).not.toContain('QBWC1013');
  });

  it('cannot be mutated by a caller', () => {
    const e = allCodes()[0]!;
    expect(() => e.fix.push('x')).toThrow();
    expect(() => {
      (e as { meaning: string }).meaning = 'changed';
    }).toThrow();
    allCodes().pop();
    expect(allCodes().length).toBe(REFERENCE_HRESULTS.length + REFERENCE_QBWC.length + 1);
  });
});

describe('normaliseCode', () => {
  it.each([
    ['0x80040408', '0x80040408'],
    ['80040408', '0x80040408'],
    ['0X8004040a', '0x8004040A'],
    ['0x8004040a', '0x8004040A'],
    ['  0x80040414 ', '0x80040414'],
    ['-2147220472', '0x80040408'],
    ['-2147220468', '0x8004040C'],
    ['2147746824', '0x80040408'],
    ['QBWC1013', 'QBWC1013'],
    ['qbwc1013', 'QBWC1013'],
    ['QBWC 1013', 'QBWC1013'],
  ])('%s -> %s', (input, out) => {
    expect(normaliseCode(input)).toBe(out);
  });

  it.each(['1013', '', 'abc', '0x8004', '0x800404080', '12345678', '-0', 'QBWC10134', '-99999999999', '4294967296', 'Could not start'])(
    '%j -> null',
    (input) => {
      expect(normaliseCode(input)).toBeNull();
    },
  );

  it('round-trips signed decimal HRESULTs for every known code', () => {
    for (const e of allCodes().filter((x) => x.code.startsWith('0x'))) {
      const signed = String(Number.parseInt(e.code, 16) | 0);
      expect(normaliseCode(signed)).toBe(e.code);
    }
  });

  it('lookupCode accepts every form', () => {
    expect(lookupCode('-2147220472')?.code).toBe('0x80040408');
    expect(lookupCode('8004041d')?.code).toBe('0x8004041D');
    expect(lookupCode('qbwc1012')?.code).toBe('QBWC1012');
    expect(lookupCode('qbxmlrp2')?.code).toBe('QBXMLRP2');
    expect(lookupCode('1013')).toBeUndefined();
    expect(lookupCode('0x80040301')).toBeUndefined(); // MAPI_E_BAD_VALUE, not QuickBooks
  });
});

describe('classifyQuickBooksError: context rules', () => {
  it('trusts a code in a QuickBooks context', () => {
    const r = classifyQuickBooksError({ code: '0x80040408', context: 'quickbooks' });
    expect(r.trusted).toBe(true);
    expect(r.info?.code).toBe('0x80040408');
    expect(r.matchedBy).toBe('code');
    expect(r.label).toContain('Could not start QuickBooks');
  });

  it('does not trust a shared COM number outside a QuickBooks context', () => {
    const r = classifyQuickBooksError({ code: '0x80040410', message: 'The object copier could not be created.', context: 'unknown' });
    expect(r.trusted).toBe(false);
    expect(r.info).toBeNull();
    expect(r.label).toBe('unknown COM error 0x80040410');
  });

  it('normalises the code in the unknown label', () => {
    expect(classifyQuickBooksError({ code: '-2147220458', context: 'unknown' }).label).toBe('unknown COM error 0x80040416');
    expect(classifyQuickBooksError({ code: '80040416', context: 'unknown' }).label).toBe('unknown COM error 0x80040416');
  });

  it('treats a message that names QuickBooks as a QuickBooks context', () => {
    const r = classifyQuickBooksError({ code: '0x80040408', message: 'Could not start QuickBooks.', context: 'unknown' });
    expect(r.trusted).toBe(true);
    expect(r.contextFrom).toBe('message');
    const q = classifyQuickBooksError({ code: '0x80040154', message: 'QBXMLRP2 failed: Class not registered', context: 'unknown' });
    expect(q.trusted).toBe(true);
    expect(q.info?.code).toBe('0x80040154');
  });

  it('does not accept a bare substring outside a QuickBooks context', () => {
    const r = classifyQuickBooksError({ message: 'Class not registered', context: 'unknown' });
    expect(r.trusted).toBe(false);
    expect(r.info).toBeNull();
  });

  it('accepts a stable substring alone in a QuickBooks context', () => {
    const r = classifyQuickBooksError({ message: MODAL, context: 'quickbooks' });
    expect(r.trusted).toBe(true);
    expect(r.info?.code).toBe('0x80040414');
    expect(r.matchedBy).toBe('text');
  });

  it('recognises the QBXMLRP2 text that carries no code', () => {
    const r = classifyQuickBooksError({ message: 'Sync failed: Cannot create QBXMLRP2 COM component.', context: 'unknown' });
    expect(r.trusted).toBe(true);
    expect(r.info?.code).toBe('QBXMLRP2');
    expect(r.info?.related).toContain('0x80040154');
  });

  it('trusts a QBWC code anywhere: it names the Web Connector', () => {
    const r = classifyQuickBooksError({ code: 'qbwc1033', context: 'unknown' });
    expect(r.trusted).toBe(true);
    expect(r.info?.code).toBe('QBWC1033');
    expect(r.contextFrom).toBe('code');
  });

  it('labels unknown codes without a QuickBooks fix', () => {
    const mapi = classifyQuickBooksError({ code: '0x80040301', context: 'quickbooks' });
    expect(mapi.info).toBeNull();
    expect(mapi.trusted).toBe(false);
    expect(mapi.label).toBe('unknown COM error 0x80040301');
    expect(classifyQuickBooksError({ code: 'QBWC1099', context: 'quickbooks' }).label).toBe('unknown Web Connector code QBWC1099');
    expect(classifyQuickBooksError({ code: 'not-a-code', context: 'quickbooks' }).info).toBeNull();
    expect(classifyQuickBooksError({ context: 'quickbooks' }).label).toBe('unknown error');
    expect(classifyQuickBooksError({ message: 'something odd', context: 'quickbooks' }).label).toBe('something odd');
  });

  it('finds a code inside the message when none is given', () => {
    const r = classifyQuickBooksError({ message: 'Exception from HRESULT: 0x8004040a', context: 'quickbooks' });
    expect(r.code).toBe('0x8004040A');
    expect(r.info?.code).toBe('0x8004040A');
  });
});

describe('classifyQuickBooksError: wording', () => {
  const autoLogin = (phrase: string) =>
    `This application is not allowed to log into this QuickBooks company data file automatically. The QuickBooks administrator can grant permission ${phrase} through the Integrated Application preferences.`;

  it.each(['for automatic login', 'for an automatic login'])('matches 0x8004041D worded "%s"', (phrase) => {
    const r = classifyQuickBooksError({ code: '0x8004041D', message: autoLogin(phrase), context: 'quickbooks' });
    expect(r.info?.code).toBe('0x8004041D');
    expect(r.matchedBy).toBe('code+text');
    expect(r.mismatch).toBe(false);
    expect(classifyQuickBooksError({ message: autoLogin(phrase), context: 'quickbooks' }).info?.code).toBe('0x8004041D');
  });

  it('matches when a product prepends its own text', () => {
    const msg = 'Error while connecting to QuickBooks. Could not start QuickBooks.';
    const r = classifyQuickBooksError({ code: '-2147220472', message: msg, context: 'quickbooks' });
    expect(r.info?.code).toBe('0x80040408');
    expect(r.matchedBy).toBe('code+text');
    expect(classifyQuickBooksError({ message: msg, context: 'quickbooks' }).info?.code).toBe('0x80040408');
  });

  it('ignores case and whitespace differences', () => {
    const r = classifyQuickBooksError({ message: 'a MODAL  dialog\r\nbox is showing', context: 'quickbooks' });
    expect(r.info?.code).toBe('0x80040414');
  });

  it("prefers QuickBooks' meaning over an app's own label", () => {
    for (const label of ['not authorized', 'QuickBooks is busy']) {
      const r = classifyQuickBooksError({ code: '0x8004040A', message: label, context: 'quickbooks' });
      expect(r.info?.code).toBe('0x8004040A');
      expect(r.label).toContain('already open and it is different');
      expect(r.label).not.toContain(label);
      expect(r.mismatch).toBe(false);
    }
  });

  it('flags a code whose text contradicts the message', () => {
    const r = classifyQuickBooksError({ code: '0x80040408', message: MODAL, context: 'quickbooks' });
    expect(r.mismatch).toBe(true);
    expect(r.info?.code).toBe('0x80040414');
    expect(r.reportedInfo?.code).toBe('0x80040408');
    expect(r.label).toContain('reported as 0x80040408');
  });

  it('does not flag texts that are treated alike', () => {
    const r = classifyQuickBooksError({ code: '0x80040154', message: 'Cannot create QBXMLRP2 COM component.', context: 'quickbooks' });
    expect(r.mismatch).toBe(false);
    expect(r.info?.code).toBe('0x80040154');
  });

  it('reads the SDK error wrapped in QBWC1013', () => {
    const msg =
      'QBWC1013: Error connecting to QuickBooks. Returning error message to application. HRESULT = 0x80040414 Message: ' + MODAL;
    const r = classifyQuickBooksError({ message: msg, context: 'quickbooks' });
    expect(r.info?.code).toBe('QBWC1013');
    expect(r.matchedBy).toBe('code+text');
    expect(r.embedded?.code).toBe('0x80040414');
    expect(r.mismatch).toBe(false);
    const textOnly = classifyQuickBooksError({ code: 'QBWC1013', message: 'Could not start QuickBooks.', context: 'quickbooks' });
    expect(textOnly.embedded?.code).toBe('0x80040408');
  });

  it('finds entries by message text', () => {
    expect(findByMessage('The QuickBooks user has denied access.')?.code).toBe('0x80040420');
    expect(findByMessage('nothing known')).toBeUndefined();
  });
});
