// The exercises shipped with labgrade (exercises/<id>.yaml inside the package): listed by
// `labgrade exercises` and addressed by id wherever a command takes an exercise, so a student
// types `labgrade check clase2-redes ...` without knowing where labgrade is installed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../version.js';

const ID = /^[a-z0-9][a-z0-9_-]*$/i;

/** Ids of the bundled exercises, sorted. */
export function bundledExerciseIds(): string[] {
  const dir = join(projectRoot(), 'exercises');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && ID.test(f.slice(0, -5)))
    .map((f) => f.slice(0, -5))
    .sort();
}

export function bundledExercisePath(id: string): string {
  return join(projectRoot(), 'exercises', `${id}.yaml`);
}

/** An existing path wins; else a bare id (no slash, no extension) names a bundled exercise. */
export function resolveExerciseArg(arg: string): { path: string; unknownId?: boolean } {
  if (existsSync(arg) || !ID.test(arg)) return { path: arg };
  const path = bundledExercisePath(arg);
  return existsSync(path) ? { path } : { path: arg, unknownId: true };
}
