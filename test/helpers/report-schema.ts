// The published report schema (`syncdoctor schema report`, read through the real binary) compiled
// by an independent validator (ajv), for the end-to-end tests of example reports.
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { syncdoctor } from './cli.js';

export interface ReportValidator {
  validate(data: unknown): boolean;
  errors(): unknown;
}

export async function publishedReportValidator(): Promise<ReportValidator> {
  const r = await syncdoctor(['schema', 'report']);
  if (r.exitCode !== 0) throw new Error(`syncdoctor schema report exited ${r.exitCode}: ${r.stderr}`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  const compiled = ajv.compile(JSON.parse(r.stdout));
  return { validate: (d) => compiled(d) as boolean, errors: () => compiled.errors };
}
