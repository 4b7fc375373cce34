// Writes the class outputs of a batch (atomically): class.json, index.html, grades.csv.
import { join } from 'node:path';
import type { Lang } from '../types.js';
import { PRIVATE_MODES, writeFileAtomic, type OutputModes } from '../util/fs.js';
import { toolVersion } from '../version.js';
import type { Roster } from './roster.js';
import type { BatchOutcome } from './run.js';
import { buildSummary, type ClassSummary } from './summary.js';
import { registry } from '../../reports/index.js';

export async function writeClassOutputs(
  roster: Roster,
  outcome: BatchOutcome,
  opts: { outDir: string; exercise: ClassSummary['exercise']; lang: Lang; modes?: OutputModes },
): Promise<ClassSummary> {
  const summary = buildSummary(roster, outcome, { exercise: opts.exercise, lang: opts.lang, version: toolVersion() });
  const m = opts.modes ?? PRIVATE_MODES;
  await writeFileAtomic(join(opts.outDir, 'class.json'), registry.summary.json(summary), m.file, m.dir);
  await writeFileAtomic(join(opts.outDir, 'grades.csv'), registry.summary.csv(summary), m.file, m.dir);
  await writeFileAtomic(join(opts.outDir, 'index.html'), registry.summary.html(summary), m.file, m.dir);
  return summary;
}
