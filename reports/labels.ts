// Pieces shared by the student report's renderers. The report model (what is shown, in which
// words) is reports/model.ts; these only lay parts of it out.
import type { AccessAttempt, GradeResult, TaskResult } from '../grader/types.js';
import type { Labels, ReportKey } from './model.js';

export { fmtPercent, fmtPoints, groupByQuestion, labels, outcomeLabel, questionLabel, shownOutcome, type Labels, type ReportKey, type Shown } from './model.js';

/** "Ana García <ana@x.org> (id 123)" style identity pieces, in order. */
export function studentLine(r: GradeResult): string {
  const s = r.student;
  return [s.name, s.email ? `<${s.email}>` : '', s.id ? `(${s.id})` : ''].filter(Boolean).join(' ');
}

/** One line of the access trail: `ssh usuario@192.168.101.218:22 — failed (authentication refused): …`. */
export function accessLine(t: Labels, a: AccessAttempt): { head: string; detail: string } {
  const reason = a.reason ? ` (${t(`reason_${a.reason.replace(/-/g, '_')}` as ReportKey)})` : '';
  return { head: `${a.method} — ${t(`access_${a.outcome}` as ReportKey)}${reason}`, detail: a.detail };
}

/** A task's shared skip reason, as the report model decides it (present(...).tasks[i].skippedReason). */
export function skippedTaskReason(task: TaskResult): string | null {
  const all = [...task.hostChecks, ...task.questions];
  if (all.length === 0 || all.some((v) => v.outcome !== 'skip')) return null;
  const reasons = new Set(all.map((v) => v.message));
  return reasons.size === 1 ? all[0]!.message : null;
}
