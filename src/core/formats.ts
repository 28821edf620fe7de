// String formats used by the schemas, registered once with TypeBox so compiled checks know them.
import { FormatRegistry } from '@sinclair/typebox';
import { parseDuration } from './duration.js';
import { timestampParser } from './timestamp.js';

export function registerFormats(): void {
  if (FormatRegistry.Has('duration')) return;
  FormatRegistry.Set('duration', (v) => parseDuration(v) !== undefined);
  FormatRegistry.Set('regex', (v) => regexError(v) === undefined);
  FormatRegistry.Set('date-time', (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v) && !Number.isNaN(Date.parse(v)));
  FormatRegistry.Set('timestamp-format', (v) => timestampParser(v) !== undefined);
  FormatRegistry.Set('uri', (v) => /^https?:\/\/\S+$/.test(v));
}

/** Why a pattern is not a valid regular expression, or undefined when it is. */
export function regexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

registerFormats();
