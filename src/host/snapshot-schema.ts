// The host snapshot format (a contract: technicians share these files). The README's "Snapshots" section says how they are used.
import { Type, type Static } from '@sinclair/typebox';

const Bytes = {
  stdout: Type.Optional(Type.String()),
  stdoutBase64: Type.Optional(Type.String({ contentEncoding: 'base64' })),
  stderr: Type.Optional(Type.String()),
  stderrBase64: Type.Optional(Type.String({ contentEncoding: 'base64' })),
};

export const SnapshotSchema = Type.Object(
  {
    syncdoctorSnapshot: Type.Literal(1, { description: 'the snapshot format version, 1' }),
    capturedAt: Type.String({ format: 'date-time', description: 'an ISO 8601 time such as "2026-11-20T14:03:00Z"' }),
    platform: Type.String({ minLength: 1, description: 'a process.platform value such as "win32" or "linux"' }),
    hostname: Type.String({ minLength: 1, description: 'a non-empty host name' }),
    // At most a century: a boot time further back is not a date (it used to crash the report, exit 70).
    uptimeSeconds: Type.Number({ minimum: 0, maximum: 3_155_760_000, description: 'a number of seconds from 0 to 3155760000 (a century)' }),
    utcOffsetMinutes: Type.Optional(Type.Integer({ minimum: -840, maximum: 840, description: 'the PC clock offset from UTC in minutes (east positive); default 0' })),
    note: Type.Optional(Type.String({ description: 'free text: what this snapshot shows' })),
    redacted: Type.Optional(Type.Boolean()),
    processes: Type.Optional(
      Type.Array(
        Type.Object(
          {
            pid: Type.Integer({ minimum: 0 }),
            ppid: Type.Optional(Type.Integer({ minimum: 0 })),
            name: Type.String(),
            uid: Type.Optional(Type.Integer({ minimum: 0 })),
            cmd: Type.Optional(Type.String()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    commands: Type.Optional(
      Type.Array(
        Type.Object(
          {
            argv: Type.Array(Type.String(), { minItems: 1, description: 'the exact argv, e.g. ["query", "user"]' }),
            exitCode: Type.Union([Type.Integer(), Type.Null()], { description: 'the exit code, or null' }),
            ...Bytes,
            notFound: Type.Optional(Type.Boolean({ description: 'true when the program does not exist' })),
            timedOut: Type.Optional(Type.Boolean()),
            failure: Type.Optional(Type.String({ description: 'why it could not run or finish, e.g. "permission denied", "cancelled"' })),
            hang: Type.Optional(Type.Boolean({ description: 'replay as a command that never returns (fault injection)' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    files: Type.Optional(
      Type.Array(
        Type.Object(
          {
            path: Type.String({ minLength: 1 }),
            mtime: Type.Optional(Type.String({ format: 'date-time', description: 'an ISO 8601 time such as "2026-11-20T13:58:00Z"' })),
            directory: Type.Optional(Type.Boolean()),
            content: Type.Optional(Type.String()),
            contentBase64: Type.Optional(Type.String({ contentEncoding: 'base64' })),
            size: Type.Optional(
              Type.Integer({ minimum: 0, description: 'the file size in bytes, when content holds only part of the file (e.g. the tail a check read) or none of it; default: the length of content' }),
            ),
            contentOffset: Type.Optional(Type.Integer({ minimum: 0, description: 'where content starts in the file, in bytes; default 0' })),
            statError: Type.Optional(Type.String({ pattern: '^E[A-Z0-9]+$', description: 'the error looking the path up gave, e.g. "EACCES"' })),
            readError: Type.Optional(Type.String({ pattern: '^E[A-Z0-9]+$', description: 'the error reading the file gave, e.g. "EBUSY"' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    network: Type.Optional(
      Type.Array(
        Type.Object(
          {
            target: Type.String({ description: 'host:port' }),
            result: Type.Union([Type.Literal('ok'), Type.Literal('refused'), Type.Literal('timeout'), Type.Literal('dns-error')]),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    env: Type.Optional(Type.Record(Type.String(), Type.String())),
    settings: Type.Optional(
      Type.Record(Type.String(), Type.Record(Type.String(), Type.Union([Type.String(), Type.Array(Type.String())])), {
        description: 'site settings in force at capture, per agent id (as in --config), so replay gives the same verdict',
      }),
    ),
    site: Type.Optional(Type.String({ maxLength: 200, description: 'the site tag in force at capture (site config or --site)' })),
    expect: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z][a-z0-9-]*$' }), { description: 'the agents this PC had to have at capture (--expect, site config)' })),
  },
  {
    additionalProperties: false,
    $id: 'https://syncdoctor.invalid/schemas/snapshot.schema.json',
    title: 'syncdoctor host snapshot',
  },
);

export type Snapshot = Static<typeof SnapshotSchema>;
