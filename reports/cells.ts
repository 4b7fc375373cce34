// One matrix cell, for the class summary (reports/summary.ts, drawn on the server) and the live page
// (reports/live.ts, drawn in the browser from these same tables): its CSS class, its symbol, its
// label, and the colours of each outcome.
import type { Lang } from '../grader/types.js';
import { translator } from '../grader/i18n/translate.js';
import esBatch from '../grader/i18n/es/batch.js';
import enBatch from '../grader/i18n/en/batch.js';
import esReport from '../grader/i18n/es/report.js';
import enReport from '../grader/i18n/en/report.js';

const tb = translator(esBatch, enBatch);
const tr = translator(esReport, enReport);

/** A cell's outcomes, in the legend's order. */
export const CELL_OUTCOMES = ['pass', 'partial', 'fail', 'error', 'skip', 'warning'] as const;
export type CellOutcome = (typeof CELL_OUTCOMES)[number];

export const CELL_SYMBOL: Readonly<Record<CellOutcome, string>> = { pass: '✔', fail: '✘', partial: '½', error: '?', skip: '–', warning: '!' };

function known(o: string | undefined): o is CellOutcome {
  return o !== undefined && (CELL_OUTCOMES as readonly string[]).includes(o);
}

/** The cell's CSS class: its outcome, or `none` (no verdict). */
export function cellClass(o: string | undefined): string {
  return known(o) ? o : 'none';
}

/** What the cell shows: the outcome's symbol, `·` with no verdict. */
export function cellSymbol(o: string | undefined): string {
  return known(o) ? CELL_SYMBOL[o] : o ? '' : '·';
}

/** The outcome's name in `lang` (a partial score is batch's word, the others the report's). */
export function cellLabel(lang: Lang, o: string | undefined): string {
  if (!known(o)) return o ?? '';
  return o === 'partial' ? tb(lang, 'partial') : tr(lang, `outcome_${o}`);
}

/** Every outcome's name, for the browser side. */
export function cellLabels(lang: Lang): Record<CellOutcome, string> {
  return Object.fromEntries(CELL_OUTCOMES.map((o) => [o, cellLabel(lang, o)])) as Record<CellOutcome, string>;
}

/** The outcome colours of `td.cell` (both pages). */
export const CELL_CSS = `
td.cell.pass { background: var(--pass-bg); color: var(--pass); }
td.cell.fail { background: var(--fail-bg); color: var(--fail); }
td.cell.error { background: var(--error-bg); color: var(--error); }
td.cell.skip { background: var(--skip-bg); color: var(--skip); }
td.cell.warning { background: var(--warning-bg); color: var(--warning); }
td.cell.partial { background: #fff1d6; color: #9a5b00; }
td.cell.none { color: var(--line); }
.sw.pass { background: var(--pass-bg); border: 1px solid var(--pass); }
.sw.fail { background: var(--fail-bg); border: 1px solid var(--fail); }
.sw.error { background: var(--error-bg); border: 1px solid var(--error); }
.sw.skip { background: var(--skip-bg); border: 1px solid var(--skip); }
.sw.warning { background: var(--warning-bg); border: 1px solid var(--warning); }
.sw.partial { background: #fff1d6; border: 1px solid #9a5b00; }
`;
