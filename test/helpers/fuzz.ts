// Shared by the parser tests: a seeded PRNG (repeatable without a dependency), random and mutated
// text, and inputs built to make a careless regex or loop take quadratic time.

export const N = 200_000;
export const PATHOLOGICAL = [
  'x' + ' '.repeat(N) + '1',
  '    a' + ' '.repeat(N) + 'b',
  'a ' + '1 '.repeat(N / 2),
  '"'.repeat(N),
  '"' + ',"'.repeat(N / 2),
  '[SC] ' + ' 1'.repeat(N / 2),
  'ab  12 Active x\t'.repeat(N / 16),
  'x 1 y\n'.repeat(N / 6),
  '\n'.repeat(N),
  ' \r\n'.repeat(N / 3),
  'a:1\n'.repeat(N / 4),
  '\t'.repeat(N) + 'x',
  'A:\n' + '    x\n'.repeat(N / 3),
  ' '.repeat(N) + ':',
  '    a    ' + 'REG_SZ'.repeat(N / 6),
];

// Seeded PRNG (mulberry32) so random tests are repeatable without a dependency.
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` pieces (or random characters); without `n`, a random count up to 60. */
export function randomText(rand: () => number, pieces: string[], n = Math.floor(rand() * 60)): string {
  let out = '';
  for (let i = 0; i < n; i++) {
    out += rand() < 0.7 ? (pieces[Math.floor(rand() * pieces.length)] ?? '') : String.fromCharCode(Math.floor(rand() * 0x250));
  }
  return out;
}

/** Deletes, duplicates or inserts a few random slices. */
export function mutate(rand: () => number, text: string): string {
  let t = text;
  for (let k = 0; k < 3; k++) {
    const a = Math.floor(rand() * t.length);
    const b = a + Math.floor(rand() * 20);
    const op = rand();
    t = op < 0.33 ? t.slice(0, a) + t.slice(b) : op < 0.66 ? t.slice(0, b) + t.slice(a, b) + t.slice(b) : t.slice(0, a) + String.fromCharCode(Math.floor(rand() * 0x3000)) + t.slice(a);
  }
  return t;
}
