// The real grading of one roster student: load their lab and answers, then the engine's
// gradeStudent (grader/engine/run.ts). Injected into runBatch by the CLI; unit tests inject fakes.
import type { ExerciseSpec, GradeResult, LabFile, Lang } from '../types.js';
import { gradeStudent } from '../engine/run.js';
import { defaultDeps } from '../engine/default-deps.js';
import { loadAnswers } from '../inputs/load-answers.js';
import { inlineSecrets, redact, runSecrets, type Secrets } from '../inputs/secrets.js';
import type { GradeFn } from './types.js';
import type { EngineDeps } from '../engine/deps.js';
import type { RosterStudent } from './roster.js';
import { resolveLab } from './lab-source.js';

/**
 * `makeDeps` defaults to the real modules; lab tests wrap them (e.g. to stop a guest mid-run).
 * `ctx.secrets` is this student's redaction registry (the teacher's secrets plus the student's own):
 * the lab's inline passwords go there, and the engine's dependencies redact with it.
 */
export function realGrader(
  spec: ExerciseSpec,
  inlineLabs: Map<string, LabFile>,
  makeDeps: (lang: Lang, student: RosterStudent, secrets: Secrets) => EngineDeps = (lang, _student, secrets) => defaultDeps(lang, { secrets }),
): GradeFn {
  return async (student: RosterStudent, ctx: { signal: AbortSignal; lang: Lang; secrets?: Secrets }): Promise<GradeResult> => {
    const lang = ctx.lang;
    const secrets = ctx.secrets ?? runSecrets();
    const inline = inlineLabs.get(student.id);
    if (inline) for (const v of inlineSecrets(inline)) secrets.add(v);
    const lab = inline ?? (await resolveLab(student, spec, lang, secrets));
    // Answers are the student's: inside the folder the roster names for them, no symbolic link
    // anywhere along the path; the bytes batch already read (once, under the deadline) when given.
    const answers = await loadAnswers(student.answers, spec, {
      lang,
      noFollow: true,
      ...(student.answersWithin !== undefined ? { within: student.answersWithin } : {}),
      ...(student.preread?.answers ? { bytes: student.preread.answers } : {}),
      signal: ctx.signal,
    });
    ctx.signal.throwIfAborted();
    const result = await gradeStudent({ spec, lab, answers, task: student.task, lang, deps: makeDeps(lang, student, secrets) });
    // The roster is the teacher's authoritative identity for the class outputs.
    result.student = { name: student.name, ...(student.idNumber ? { id: student.idNumber } : {}), ...(student.email ? { email: student.email } : {}) };
    return result;
  };
}

export { redact };
