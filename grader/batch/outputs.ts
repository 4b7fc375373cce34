// Writes the class outputs of a batch (atomically): class.json, index.html, grades.csv.
import { join } from 'node:path';
import type { Lang } from '../types.js';
import { writeFileAtomic } from '../util/fs.js';
import { toolVersion } from '../version.js';
import type { Roster } from './roster.js';
import type { BatchOutcome } from './run.js';
import { buildSummary, renderClassJson, renderCsv, renderSummaryHtml, type ClassSummary } from './summary.js';

export async function writeClassOutputs(
  roster: Roster,
  outcome: BatchOutcome,
  opts: { outDir: string; exercise: ClassSummary['exercise']; lang: Lang },
): Promise<ClassSummary> {
  const summary = buildSummary(roster, outcome, { exercise: opts.exercise, lang: opts.lang, version: toolVersion() });
  await writeFileAtomic(join(opts.outDir, 'class.json'), renderClassJson(summary));
  await writeFileAtomic(join(opts.outDir, 'grades.csv'), renderCsv(summary));
  await writeFileAtomic(join(opts.outDir, 'index.html'), renderSummaryHtml(summary));
  return summary;
}
