// The published JSON Schemas in schemas/ are what the code says (regenerate: npm run schemas), and
// every shipped playbook and example validates against them with an independent validator.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { timestampParser } from '../../src/core/timestamp.js';
import { ROOT, syncdoctor } from '../helpers/cli.js';

const read = (f: string) => readFileSync(path.join(ROOT, f), 'utf8');

describe('published schemas', () => {
  it.each(['playbook', 'report', 'snapshot', 'config'])('schemas/%s.schema.json matches `syncdoctor schema`', async (format) => {
    const r = await syncdoctor(['schema', format]);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(read(`schemas/${format}.schema.json`))).toEqual(JSON.parse(r.stdout));
  });

  it('every shipped playbook and every example snapshot validates', () => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    // Ours (a log's timestamp layout): its meaning is the code's; ajv would otherwise ignore it, noisily.
    ajv.addFormat('timestamp-format', (v: string) => timestampParser(v) !== undefined);
    const playbook = ajv.compile(JSON.parse(read('schemas/playbook.schema.json')));
    const snapshot = ajv.compile(JSON.parse(read('schemas/snapshot.schema.json')));
    for (const f of readdirSync(path.join(ROOT, 'playbooks'))) {
      expect(playbook(parse(read(`playbooks/${f}`))), `${f}: ${JSON.stringify(playbook.errors)}`).toBe(true);
    }
    for (const f of readdirSync(path.join(ROOT, 'examples'))) {
      expect(snapshot(parse(read(`examples/${f}`))), `${f}: ${JSON.stringify(snapshot.errors)}`).toBe(true);
    }
  });
});
