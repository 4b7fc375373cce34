// `labgrade validate`: tells each file's kind (spec, lab, answers, roster) and loads it with its loader.
import { InputError, type ExerciseSpec, type InputIssue, type Lang } from '../types.js';
import { loadAnswers } from './load-answers.js';
import { loadLab } from './load-lab.js';
import { loadSpec } from './load-spec.js';
import { shippedSpecPath, type FileKind } from './paths.js';
import { exerciseNamedBy } from './exercises.js';
import { isRecord, own, readYaml, t, type YamlSource } from './yaml-source.js';

export interface FileValidation {
  file: string;
  kind: FileKind | null;
  ok: boolean;
  warnings: InputIssue[];
  error?: InputError;
}

/** The kind of an input file from its top-level keys. */
export function kindFromKeys(data: unknown): FileKind | null {
  if (!isRecord(data)) return null;
  const has = (k: string): boolean => Object.hasOwn(data, k);
  if (has('tasks') || has('questions')) return 'spec';
  if (has('students')) return 'roster';
  if (has('answers') || has('student')) return 'answers';
  if (has('vms') || has('uri') || has('networks') || has('host_ssh')) return 'lab';
  return null;
}

export async function detectKind(path: string, lang: Lang): Promise<FileKind | null> {
  return kindFromKeys((await readYaml(path, lang)).data);
}

export interface ValidateOptions {
  /** Check lab files with the rules for files handed in by students (as `batch` does). */
  student?: boolean;
  lang: Lang;
  kind?: FileKind;
  /**
   * Exercise for answers and lab files. Without it, the one rule every command follows: an answers
   * file is checked against the exercise it names (`exercise:`); a lab file against the exercise it
   * names (`labgrade init` writes it), else the one the answers files of the same run name; else the
   * shipped one.
   */
  specPath?: string;
}

/** Validates each file; never throws for bad input (each result says what was wrong). */
export async function validateFiles(files: string[], opts: ValidateOptions): Promise<FileValidation[]> {
  const { lang } = opts;
  const specs = new Map<string, ExerciseSpec | InputError>();
  const getSpec = async (path: string): Promise<ExerciseSpec | InputError> => {
    const cached = specs.get(path);
    if (cached) return cached;
    let spec: ExerciseSpec | InputError;
    try {
      spec = await loadSpec(path, { lang });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      spec = err;
    }
    specs.set(path, spec);
    return spec;
  };
  // Each file read once for its kind (and, for answers, the exercise it names).
  const sources = new Map<string, YamlSource | InputError>();
  const source = async (file: string): Promise<YamlSource | InputError> => {
    if (!sources.has(file)) {
      try {
        sources.set(file, await readYaml(file, lang));
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        sources.set(file, err);
      }
    }
    return sources.get(file)!;
  };
  const kinds = new Map<string, FileKind | null>();
  for (const file of files) {
    if (opts.kind) kinds.set(file, opts.kind);
    else {
      const src = await source(file);
      kinds.set(file, src instanceof InputError ? null : kindFromKeys(src.data));
    }
  }
  // The exercise of a lab file: the one the run's answers files name, when they name exactly one.
  const named = new Set<string>();
  if (!opts.specPath) {
    for (const file of files) {
      if (kinds.get(file) !== 'answers') continue;
      const src = await source(file);
      const ex = src instanceof InputError ? undefined : own(src.data, 'exercise');
      if (typeof ex === 'string') named.add(ex);
    }
  }
  const labExercise = named.size === 1 ? [...named][0]! : undefined;

  const results: FileValidation[] = [];
  for (const file of files) {
    const warnings: InputIssue[] = [];
    let kind: FileKind | null = kinds.get(file) ?? null;
    try {
      if (!kind) {
        const src = await source(file);
        if (src instanceof InputError) throw src;
        results.push({ file, kind, ok: false, warnings, error: new InputError(t(lang, 'invalidFile', { file, count: 1 }), [{ file, message: t(lang, 'validateUnknownKind') }]) });
        continue;
      }
      if (kind === 'spec') {
        const { questionChecks } = await import('../../checks/questions/index.js');
        await loadSpec(file, { lang, warnings, checks: questionChecks });
      } else if (kind === 'roster') {
        const { loadRoster } = await import('../batch/roster.js');
        await loadRoster(file, lang);
      } else {
        let specPath = opts.specPath;
        if (!specPath) {
          const src = await source(file);
          const itsOwn = src instanceof InputError ? undefined : own(src.data, 'exercise');
          // answers and lab files name their exercise; a lab file that does not follows the run's answers files
          const ex = kind === 'answers' ? itsOwn : (itsOwn ?? labExercise);
          specPath = typeof ex === 'string' ? exerciseNamedBy(ex, file, lang) : shippedSpecPath();
        }
        const s = await getSpec(specPath);
        if (s instanceof InputError) {
          results.push({ file, kind, ok: false, warnings, error: s });
          continue;
        }
        if (kind === 'lab') await loadLab(file, { lang, warnings, spec: s, ...(opts.student ? { trust: 'student' as const } : {}) });
        else await loadAnswers(file, s, { lang, warnings, strict: true });
      }
      results.push({ file, kind, ok: true, warnings });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      results.push({ file, kind, ok: false, warnings, error: err });
    }
  }
  return results;
}
