// `syncdoctor schema playbook|report|snapshot|config`: the published JSON Schemas.
import type { TSchema } from '@sinclair/typebox';

export async function schemaFor(format: string): Promise<TSchema> {
  switch (format) {
    case 'playbook': {
      const [{ publishedPlaybookSchema }, { PROBES }, { ACTIONS }] = await Promise.all([
        import('../playbook/schema.js'),
        import('../probes/index.js'),
        import('../actions/index.js'),
      ]);
      return publishedPlaybookSchema([...PROBES], [...ACTIONS]);
    }
    case 'report':
      return (await import('../core/report.js')).ReportSchema;
    case 'snapshot':
      return (await import('../host/snapshot-schema.js')).SnapshotSchema;
    default:
      return (await import('../playbook/config.js')).ConfigSchema;
  }
}

export async function schemaCommand(format: string): Promise<number> {
  const schema = await schemaFor(format);
  process.stdout.write(`${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', ...schema }, null, 2)}\n`);
  return 0;
}
