// The registry of every renderer labgrade has, by report kind and format. Every output a user reads
// is rendered here, under reports/, from its report's data: a student's result (through the report
// model, reports/model.ts), the class summary of a batch, `doctor` and `inspect`. `--format` is
// checked against reports/formats.ts (grader/cli/format-option.ts); the contract test
// (test/unit/contracts/renderers.test.ts) holds that both lists agree and that no renderer lives
// elsewhere. Adding a format = one module + one line here + its name in formats.ts.
import type { ReportFormat, Renderer } from './types.js';
import { text } from './text.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { html } from './html.js';
import { summaryCsv, summaryHtml, summaryJson } from './summary.js';
import { doctorJson, doctorText } from './doctor.js';
import { inspectJson, inspectText } from './inspect.js';
import { FORMATS } from './formats.js';

export type { ReportFormat, Renderer, RenderOptions, RendererOf } from './types.js';
export { FORMATS, type ReportKind } from './formats.js';

/** A student's result (GradeResult): `check`, `batch`, `demo`. */
export const renderers: Record<ReportFormat, Renderer> = { text, json, junit, html };

/** Every renderer, by report kind then format. */
export const registry = {
  result: renderers,
  /** The class summary of a batch (grader/batch/summary.ts builds it): class.json, grades.csv, index.html. */
  summary: { json: summaryJson, csv: summaryCsv, html: summaryHtml },
  doctor: { text: doctorText, json: doctorJson },
  inspect: { text: inspectText, json: inspectJson },
} as const;

export const reportFormats = [...FORMATS.result] as ReportFormat[];

export function isReportFormat(s: unknown): s is ReportFormat {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(renderers, s);
}

/** Colour for the text format: the CLI's one rule (grader/util/colour.ts: a TTY, no NO_COLOR, --color/--no-color). */
export { wantColour as wantColor } from '../grader/util/colour.js';
