// Kept equal to package.json by test/core/version.test.ts (reading package.json at start-up would
// cost a file read on every run, and the single-file bundle has no package.json beside it).
export const TOOL_NAME = 'syncdoctor';
export const VERSION = '0.1.0';
