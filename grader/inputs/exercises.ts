// The exercises shipped with labgrade (exercises/<id>.yaml inside the package): listed by
// `labgrade exercises` and addressed by id wherever a command takes an exercise, so a student
// types `labgrade check clase2-redes ...` without knowing where labgrade is installed.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../version.js';
import { InputError, type Lang } from '../types.js';
import { visible } from '../util/visible.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/spec.js';
import en from '../i18n/en/spec.js';

const t = translator(es, en);

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

/**
 * The exercise an answers file names (`exercise: clase7-router-nat`), for commands given no
 * exercise of their own (`validate`): a shipped exercise's id only, never a path (the file may be a
 * student's). An id labgrade does not ship is an error that says to name the exercise's file.
 */
export function exerciseNamedBy(id: string, file: string, lang: Lang): string {
  if (ID.test(id)) {
    const path = bundledExercisePath(id);
    if (existsSync(path)) return path;
  }
  throw new InputError(t(lang, 'invalidFile', { file, count: 1 }), [
    { file, path: 'exercise', message: t(lang, 'ansExerciseUnknown', { got: visible(id, 64), known: bundledExerciseIds().join(', ') }) },
  ]);
}
