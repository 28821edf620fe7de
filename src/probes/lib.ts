// Small helpers for probes' wording. Facts that actions read too (image and user matching,
// process and session descriptions) live in the host layer: src/host/processes.ts.

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
