#!/usr/bin/env node
// Tiny shim: the installed CLI is the single-file bundle (npm run build), the same file a
// technician can copy to a PC and run with plain `node`.
import('../dist/syncdoctor.mjs').catch((err) => {
  process.stderr.write(`syncdoctor: cannot start (${err && err.message}). Run "npm run build" first.\n`);
  process.exitCode = 70;
});
