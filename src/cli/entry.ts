// The single-file bundle's entry (scripts/build.mjs): runs the CLI with this process's argv,
// whether started as `node syncdoctor.mjs` or imported by bin/syncdoctor.js.
import { main } from './main.js';

void main(process.argv);
