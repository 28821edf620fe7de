// The SHA-256 of the code cache the build made for the bundled CLI (src/cli/launcher.ts):
// scripts/build.mjs replaces this module. Empty in the source tree, where nothing runs the launcher.
export const CODE_CACHE_SHA256: string = '';
