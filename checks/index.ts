// Every check labgrade knows: the host checks (checks/host/, grading the libvirt host for a task)
// and the question checks (checks/questions/, deriving observed answers). The registry test
// (test/unit/engine/registry.test.ts) proves every check the shipped spec names is registered
// exactly once, so a check left out of the registry can never silently yield "0 tests".
import type { HostCheck, QuestionCheck } from './types.js';
import { hostChecks } from './host/index.js';
import { questionCheckList, questionChecks } from './questions/index.js';

export { hostChecks, questionChecks, questionCheckList };

export interface CheckRegistry {
  host: readonly HostCheck[];
  questions: Readonly<Record<string, QuestionCheck>>;
}

export const checks: CheckRegistry = { host: hostChecks, questions: questionChecks };

/** Names registered more than once (host and question checks share one namespace). */
export function duplicateCheckNames(list: readonly { name: string }[] = [...hostChecks, ...questionCheckList]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const c of list) (seen.has(c.name) ? dup : seen).add(c.name);
  return [...dup];
}
