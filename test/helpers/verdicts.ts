// Looking verdicts up in a GradeResult, shared by the engine, exercise and lab tests.
import type { GradeResult, Verdict } from '../../grader/types.js';

/** Every verdict of the result (host checks and questions), in task order. */
export function allVerdicts(r: GradeResult): Verdict[] {
  return r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions]);
}

/** The verdict with this id; throws naming the ids there are when it is missing. */
export function verdict(r: GradeResult, id: string): Verdict {
  const found = allVerdicts(r).find((x) => x.id === id);
  if (!found) throw new Error(`no verdict ${id}; have ${allVerdicts(r).map((x) => x.id).join(' ')}`);
  return found;
}

/** Failing or unmeasured error-severity verdicts, one line each (for assertion messages). */
export function notPassing(r: GradeResult): string[] {
  return allVerdicts(r)
    .filter((q) => q.outcome !== 'pass' && q.outcome !== 'skip' && q.severity === 'error')
    .map((q) => `${q.id} [${q.outcome}] ${q.message}`);
}
