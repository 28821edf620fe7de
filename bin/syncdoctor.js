#!/usr/bin/env node
// Tiny shim: everything lives in the compiled CLI (npm run build).
import('../dist/cli/main.js').then((m) => m.main(process.argv)).catch((err) => {
  process.stderr.write(`syncdoctor: cannot start (${err && err.message}). Run "npm run build" first.\n`);
  process.exitCode = 70;
});
