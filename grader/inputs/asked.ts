// Which VMs of a task a question is asked of: the task's `ask` entry, else every VM of the task
// (a router question is asked of the router only, a gateway question of the machine behind it).
import type { SpecTask } from '../types.js';

export function rolesAsked(task: SpecTask, questionId: string): string[] {
  const ask = task.ask ?? {};
  const only = Object.hasOwn(ask, questionId) ? ask[questionId] : undefined;
  return only ?? task.vms;
}
