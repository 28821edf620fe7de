import { Type } from '@sinclair/typebox';
import { defineProbe } from './probe.js';

export default defineProbe({
  id: 'file-exists',
  description: 'A file or folder exists (Windows %VARIABLES% expanded)',
  explain:
    'Checks that a path exists, e.g. a Start-menu folder or a log file. %ProgramData% and other ' +
    'environment variables are expanded from the host. With `expect: absent` it passes when the path is missing.',
  params: Type.Object(
    {
      path: Type.String({ minLength: 1, description: 'a file or folder path' }),
      kind: Type.Optional(Type.Union([Type.Literal('file'), Type.Literal('directory'), Type.Literal('any')])),
      expect: Type.Optional(Type.Union([Type.Literal('present'), Type.Literal('absent')])),
    },
    { additionalProperties: false },
  ),
  platforms: 'all',
  example: { path: 'C:\\Program Files\\Agent', kind: 'any' },
  async run(params, { facts }) {
    const path = facts.expandEnv(params.path);
    const st = await facts.stat(path);
    const kind = params.kind ?? 'any';
    const rightKind = st && (kind === 'any' || (kind === 'directory') === st.isDirectory);
    const what = kind === 'directory' ? 'Folder' : kind === 'file' ? 'File' : 'Path';
    const evidence = st
      ? [`${path}: ${st.isDirectory ? 'folder' : `${st.size} bytes`}, modified ${st.mtime.toISOString()}`]
      : [`${path}: not found`];
    const present = Boolean(rightKind);
    if ((params.expect ?? 'present') === 'absent') {
      return present ? { state: 'fail', summary: `${what} exists: ${path}`, evidence } : { state: 'pass', summary: `${what} is absent: ${path}`, evidence };
    }
    if (present) return { state: 'pass', summary: `${what} exists: ${path}`, evidence };
    if (st) return { state: 'fail', summary: `${path} exists but is not a ${kind === 'directory' ? 'folder' : 'file'}`, evidence };
    return { state: 'fail', summary: `${what} not found: ${path}`, evidence };
  },
});
