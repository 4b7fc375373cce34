// The real grading of one roster student: load their lab and answers, then the engine's
// gradeStudent (grader/engine/run.ts). Injected into runBatch by the CLI; unit tests inject fakes.
import type { ExerciseSpec, GradeResult, LabFile, Lang } from '../types.js';
import { InputError, type InputIssue } from '../types.js';
import { gradeStudent } from '../engine/run.js';
import { defaultDeps } from '../engine/default-deps.js';
import { loadAnswers } from '../spec/load-answers.js';
import { redact } from '../spec/secrets.js';
import { checkSelection } from '../engine/select-tasks.js';
import type { GradeFn } from './types.js';
import type { Roster, RosterStudent } from './roster.js';
import { resolveLab } from './lab-source.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';

const t = translator(es, en);

/**
 * Checks what the roster itself says before anyone is graded: every inline lab loads (positioned
 * errors on the roster) and every task selection exists in the spec. Lab files and answers files
 * are the students' and are checked per student (a bad one is that student's error report).
 * Returns the loaded inline labs by student id.
 */
export async function preflight(roster: Roster, spec: ExerciseSpec, lang: Lang, taskOverride?: string): Promise<Map<string, LabFile>> {
  const labs = new Map<string, LabFile>();
  const issues: InputIssue[] = [];
  for (const s of roster.students) {
    const sel = taskOverride ?? s.task;
    try {
      checkSelection(spec, sel, (valid) => t(lang, 'unknownTask', { task: sel, valid }));
    } catch (err) {
      if (err instanceof InputError) {
        const issue: InputIssue = { file: roster.display, path: `students[${s.index}].task`, message: err.issues[0]?.message ?? err.message };
        if (s.line !== undefined) issue.line = s.line;
        issues.push(issue);
      } else throw err;
    }
    if (s.lab.kind !== 'inline') continue;
    try {
      labs.set(s.id, await resolveLab(s, spec, lang));
    } catch (err) {
      if (err instanceof InputError) issues.push(...err.issues);
      else throw err;
    }
  }
  if (issues.length) throw new InputError(t(lang, 'rosterInvalid', { file: roster.display, count: issues.length }), issues);
  return labs;
}

export function realGrader(spec: ExerciseSpec, inlineLabs: Map<string, LabFile>): GradeFn {
  return async (student: RosterStudent, ctx: { signal: AbortSignal; lang: Lang }): Promise<GradeResult> => {
    const lang = ctx.lang;
    const lab = inlineLabs.get(student.id) ?? (await resolveLab(student, spec, lang));
    const answers = await loadAnswers(student.answers, spec, { lang });
    ctx.signal.throwIfAborted();
    const result = await gradeStudent({ spec, lab, answers, task: student.task, lang, deps: defaultDeps(lang) });
    // The roster is the teacher's authoritative identity for the class outputs.
    result.student = { name: student.name, ...(student.idNumber ? { id: student.idNumber } : {}), ...(student.email ? { email: student.email } : {}) };
    return result;
  };
}

export { redact };
