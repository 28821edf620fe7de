// The shipped playbooks' text. From the source tree this is undefined and they are read from
// playbooks/; scripts/build.mjs replaces this module in the single-file bundle with one holding
// every playbooks/*.yaml, so a copied syncdoctor.mjs needs no folder beside it.
export interface EmbeddedPlaybook {
  /** The file name, e.g. "cism.yaml". */
  name: string;
  text: string;
  /** The text parsed at build time (YAML parsing is the larger part of start-up otherwise). */
  value?: unknown;
}

export const EMBEDDED_PLAYBOOKS: readonly EmbeddedPlaybook[] | undefined = undefined;
