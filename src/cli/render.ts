// Picks a reporter for a format, and writes report files whole: the one place that maps
// `--format` and `--output FILE` to the pure renderers in src/reporters.
import type { Report } from '../core/report.js';
import { writeFileAtomic } from '../host/output-file.js';
import { renderJson } from '../reporters/json.js';
import { makePaint, wantsColour } from './colour.js';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'nagios'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  verbose?: boolean;
  /** The nagios line's longest length (--max-length). */
  maxLength?: number;
  /** false for --no-color; colour also needs a TTY and no NO_COLOR (text only). */
  color?: boolean;
}

export async function renderReport(report: Report, format: string, options: RenderOptions = {}): Promise<string> {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown': {
      const { renderMarkdown } = await import('../reporters/markdown.js');
      return renderMarkdown(report, { verbose: options.verbose === true });
    }
    case 'nagios': {
      const { renderNagios } = await import('../reporters/nagios.js');
      return renderNagios(report, options.maxLength !== undefined ? { maxLength: options.maxLength } : {});
    }
    default: {
      const { renderText } = await import('../reporters/text.js');
      const paint = options.color !== undefined && wantsColour(options.color) ? await makePaint() : undefined;
      return renderText(report, { verbose: options.verbose === true, ...(paint ? { paint } : {}) });
    }
  }
}

/** The format a report file keeps, by its extension: .json, .md, .txt; anything else JSON. */
export function formatForFile(file: string): ReportFormat {
  if (/\.(md|markdown)$/i.test(file)) return 'markdown';
  if (/\.txt$/i.test(file)) return 'text';
  return 'json';
}

/** Writes `--output FILE` in the format its extension says (files get every piece of evidence). */
export async function writeReportFile(file: string, report: Report): Promise<void> {
  await writeFileAtomic(file, await renderReport(report, formatForFile(file), { verbose: true }), '--output');
}
