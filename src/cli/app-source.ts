// The CLI as text, for the bundle's launcher (src/cli/launcher.ts): scripts/build.mjs replaces this
// module with the bundled CLI. Empty in the source tree, where nothing runs the launcher.
export const APP_SOURCE: string = '';
