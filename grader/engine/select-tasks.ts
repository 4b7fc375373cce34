// `--task ID|all|auto`: which tasks to grade. `auto` picks the tasks whose network has at least
// one of the task's VMs attached right now (a VM sits on one network at a time, so usually one
// task); `all` grades every task (a task whose VMs are elsewhere has its questions skipped, with
// the reason). An unknown id is an input error that lists the valid ones.
import { InputError, type ExerciseSpec, type HostSnapshot, type LabFile, type SpecTask } from '../types.js';
import { vmsAttached } from './lookup.js';

export type TaskSelection = 'auto' | 'all' | string;

export interface SelectedTasks {
  /** Tasks to grade, in spec order. */
  selected: SpecTask[];
  /** Tasks left out, with the reason code: `not-selected` or `not-detected`. */
  skipped: { task: SpecTask; reason: 'not-selected' | 'not-detected' }[];
}

/** Validates the selection against the spec before anything is inspected (one message naming it and the valid ids). */
export function checkSelection(spec: ExerciseSpec, sel: TaskSelection, message: (task: string, valid: string) => string): void {
  if (sel === 'auto' || sel === 'all') return;
  if (!spec.tasks.some((t) => t.id === sel)) {
    const valid = ['auto', 'all', ...spec.tasks.map((t) => t.id)].join(', ');
    throw new InputError(message(sel, valid));
  }
}

export function selectTasks(spec: ExerciseSpec, lab: LabFile, snapshot: HostSnapshot, sel: TaskSelection): SelectedTasks {
  if (sel === 'all') return { selected: [...spec.tasks], skipped: [] };
  if (sel !== 'auto') {
    return {
      selected: spec.tasks.filter((t) => t.id === sel),
      skipped: spec.tasks.filter((t) => t.id !== sel).map((task) => ({ task, reason: 'not-selected' as const })),
    };
  }
  const selected: SpecTask[] = [];
  const skipped: SelectedTasks['skipped'] = [];
  for (const task of spec.tasks) {
    if (vmsAttached(spec, lab, snapshot, task).length > 0) selected.push(task);
    else skipped.push({ task, reason: 'not-detected' });
  }
  return { selected, skipped };
}
