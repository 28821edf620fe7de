// The UTF-8 check on input files: one pass, and the same answer as Node's own validator.
import { isUtf8 } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8 } from '../../src/host/input-file.js';

describe('firstInvalidUtf8', () => {
  it.each([
    ['ASCII', [0x61, 0x62], -1],
    ['é, €, 😀', [...Buffer.from('é€😀')], -1],
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['Windows-1252 é', [0x4a, 0xe9, 0x0a], 1],
    ['an overlong "/" (C0 AF)', [0xc0, 0xaf], 0],
    ['a surrogate (ED A0 80)', [0xed, 0xa0, 0x80], 0],
    ['beyond U+10FFFF (F4 90 80 80)', [0xf4, 0x90, 0x80, 0x80], 0],
    ['cut off at the end', [0x61, 0xe2, 0x82], 1],
  ])('%s', (_name, bytes, at) => expect(firstInvalidUtf8(Uint8Array.from(bytes))).toBe(at));

  it("agrees with Node's isUtf8 on random and mostly-valid inputs", () => {
    for (let i = 0; i < 2000; i++) {
      const valid = Buffer.from(String.fromCodePoint(...Array.from({ length: 8 }, () => Math.floor(Math.random() * 0xd7ff))));
      const mixed = Buffer.concat([valid, randomBytes(i % 4)]);
      for (const b of [randomBytes(16), valid, mixed]) expect(firstInvalidUtf8(b) === -1).toBe(isUtf8(b));
    }
  });
});
