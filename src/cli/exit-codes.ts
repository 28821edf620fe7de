// Exit codes: a contract that RMM monitors depend on (the README's "Exit codes" table). The run's status maps to 0-3 in
// src/engine/status.ts; these are the others.
export const EXIT_USAGE = 64;
export const EXIT_INPUT = 65;
export const EXIT_INTERNAL = 70;
/** An --output file cannot be written (checked before anything runs). */
export const EXIT_CANTCREAT = 73;
