// Totals, percent and exit code: decided once, here, from the verdicts (renderers never recount).
// Skipped verdicts count neither points nor maxPoints; warnings never cost points nor fail the run,
// and are not counted in pass/fail/error/skip either (they stay visible in their task).
import type { GradeResult, TaskResult, Totals, Verdict } from '../types.js';
import { roundPoints } from '../verdict.js';

function counted(v: Verdict): boolean {
  return v.outcome !== 'skip' && v.severity === 'error';
}

export function taskPoints(verdicts: Verdict[]): { points: number; maxPoints: number } {
  const c = verdicts.filter(counted);
  return {
    points: roundPoints(c.reduce((s, v) => s + v.points, 0)),
    maxPoints: roundPoints(c.reduce((s, v) => s + v.maxPoints, 0)),
  };
}

export function computeTotals(tasks: TaskResult[]): Totals {
  const all = tasks.flatMap((t) => [...t.hostChecks, ...t.questions]).filter((v) => v.severity === 'error');
  const { points, maxPoints } = taskPoints(all);
  return {
    points,
    maxPoints,
    percent: maxPoints > 0 ? Math.round((points / maxPoints) * 1000) / 10 : 0,
    pass: all.filter((v) => v.outcome === 'pass').length,
    fail: all.filter((v) => v.outcome === 'fail').length,
    error: all.filter((v) => v.outcome === 'error').length,
    skip: all.filter((v) => v.outcome === 'skip').length,
  };
}

/** 0 when every counted verdict passed and nothing stopped the run; 1 otherwise. */
export function computeExitCode(tasks: TaskResult[], errors: string[]): 0 | 1 {
  const all = tasks.flatMap((t) => [...t.hostChecks, ...t.questions]);
  const graded = all.filter(counted);
  if (errors.length > 0 || graded.length === 0) return 1;
  return graded.every((v) => v.outcome === 'pass') ? 0 : 1;
}

/**
 * Combines runs of the same student that graded different tasks (e.g. the demo moves the guests
 * between networks and grades one task per run): per task, the run that graded it wins.
 */
export function mergeResults(results: GradeResult[]): GradeResult {
  const first = results[0];
  if (!first) throw new Error('mergeResults: nothing to merge');
  const graded = (t: TaskResult): boolean => [...t.hostChecks, ...t.questions].some((v) => v.outcome !== 'skip');
  const tasks = first.tasks.map((t) => {
    for (const r of results) {
      const cand = r.tasks.find((x) => x.id === t.id);
      if (cand && graded(cand)) return cand;
    }
    return t;
  });
  const errors = [...new Set(results.flatMap((r) => r.errors))];
  // Each run's access trail (a VM may be reached differently on each task's network); repeats once.
  const access = [...new Map(results.flatMap((r) => r.access ?? []).map((a) => [JSON.stringify(a), a])).values()];
  const sum = (k: keyof GradeResult['timings']): number => results.reduce((s, r) => s + r.timings[k], 0);
  return {
    ...first,
    startedAt: results.map((r) => r.startedAt).sort()[0]!,
    finishedAt: results.map((r) => r.finishedAt).sort().at(-1)!,
    timings: { inspectMs: sum('inspectMs'), connectMs: sum('connectMs'), probeMs: sum('probeMs'), gradeMs: sum('gradeMs') },
    tasks,
    totals: computeTotals(tasks),
    errors,
    access,
    exitCode: computeExitCode(tasks, errors),
  };
}
