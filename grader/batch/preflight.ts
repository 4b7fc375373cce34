// Checks what the roster itself says before anyone is graded (exit 2 on problems, positioned on
// the roster): every inline lab loads with the lab-file rules, every task selection exists in the
// spec. Lab files and answers files are the students' and are checked per student (a bad one is
// that student's error report, not the class's).
import { InputError, type ExerciseSpec, type InputIssue, type LabFile, type Lang } from '../types.js';
import { checkSelection } from '../engine/select-tasks.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';
import { resolveLab } from './lab-source.js';
import { runSecrets } from '../inputs/secrets.js';
import type { Roster } from './roster.js';

const t = translator(es, en);

/** Returns the loaded inline labs by student id. */
export async function preflight(roster: Roster, spec: ExerciseSpec, lang: Lang, taskOverride?: string): Promise<Map<string, LabFile>> {
  const labs = new Map<string, LabFile>();
  const issues: InputIssue[] = [];
  // --task is said once, as the command line's mistake; a roster's `task:` is positioned on the roster.
  if (taskOverride !== undefined) checkSelection(spec, taskOverride, (task, valid) => t(lang, 'unknownTaskOption', { task, valid }));
  for (const s of roster.students) {
    const sel = taskOverride ?? s.task;
    try {
      checkSelection(spec, sel, (task, valid) => t(lang, 'unknownTask', { task, valid }));
    } catch (err) {
      if (err instanceof InputError) {
        const issue: InputIssue = { file: roster.display, path: `students[${s.index}].task`, message: err.message };
        if (s.line !== undefined) issue.line = s.line;
        issues.push(issue);
      } else throw err;
    }
    if (s.lab.kind !== 'inline') continue;
    const secrets = runSecrets();
    try {
      labs.set(s.id, await resolveLab(s, spec, lang, secrets));
    } catch (err) {
      // An inline lab's secrets are its student's: hidden from its own problems, nobody else's.
      if (err instanceof InputError) issues.push(...err.issues.map((i) => ({ ...i, message: secrets.redact(i.message) })));
      else throw err;
    }
  }
  if (issues.length) throw new InputError(t(lang, 'rosterInvalid', { file: roster.display, count: issues.length }), issues);
  return labs;
}

