// `labgrade validate`: tells each file's kind (spec, lab, answers, roster) and loads it with its loader.
import { InputError, type ExerciseSpec, type InputIssue, type Lang } from '../types.js';
import { loadAnswers } from './load-answers.js';
import { loadLab } from './load-lab.js';
import { loadSpec } from './load-spec.js';
import { shippedSpecPath, type FileKind } from './paths.js';
import { isRecord, readYaml, t } from './yaml-source.js';

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
  /** Exercise for answers and lab files (default: the shipped one). */
  specPath?: string;
}

/** Validates each file; never throws for bad input (each result says what was wrong). */
export async function validateFiles(files: string[], opts: ValidateOptions): Promise<FileValidation[]> {
  const { lang } = opts;
  let spec: ExerciseSpec | InputError | undefined;
  const getSpec = async (): Promise<ExerciseSpec | InputError> => {
    if (spec) return spec;
    try {
      spec = await loadSpec(opts.specPath ?? shippedSpecPath(), { lang });
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      spec = err;
    }
    return spec;
  };
  const results: FileValidation[] = [];
  for (const file of files) {
    const warnings: InputIssue[] = [];
    let kind: FileKind | null = opts.kind ?? null;
    try {
      kind ??= await detectKind(file, lang);
      if (!kind) {
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
        const s = await getSpec();
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
