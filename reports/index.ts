// The registry of output formats, by name. Adding a format = one module + one line here; the
// registry test (test/unit/reports/registry.test.ts) checks every entry is registered once and
// exercised by golden files.
import type { ReportFormat, Renderer } from './types.js';
import { text } from './text.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { html } from './html.js';

export type { ReportFormat, Renderer, RenderOptions } from './types.js';

export const renderers: Record<ReportFormat, Renderer> = { text, json, junit, html };

export const reportFormats = Object.keys(renderers) as ReportFormat[];

export function isReportFormat(s: unknown): s is ReportFormat {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(renderers, s);
}

/** Colour for the text format: the CLI's one rule (grader/util/colour.ts: a TTY, no NO_COLOR, --color/--no-color). */
export { wantColour as wantColor } from '../grader/util/colour.js';
