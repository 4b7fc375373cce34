// Turns a roster student's lab (a lab file, or an inline lab merged from the roster's defaults and
// the entry) into a LabFile through the spec helper's loader (grader/inputs/load-lab.ts), so inline
// labs get exactly the lab-file validation and defaults. Problems of an inline lab are re-positioned
// onto the roster (the entry's key if it set it, else the defaults' key).
import { join } from 'node:path';
import { stringify } from 'yaml';
import { InputError, type ExerciseSpec, type InputIssue, type LabFile, type Lang } from '../types.js';
import { loadLab } from '../inputs/load-lab.js';
import type { Secrets } from '../inputs/secrets.js';
import { locate, type PathSeg } from '../inputs/yaml-source.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';
import type { LabSource, RosterStudent } from './roster.js';

const t = translator(es, en);

/** `vms.linux.access[0].ssh` -> ['vms', 'linux', 'access', 0, 'ssh'] */
export function parsePath(p: string): PathSeg[] {
  const out: PathSeg[] = [];
  for (const m of p.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export async function resolveLab(student: RosterStudent, spec: ExerciseSpec | undefined, lang: Lang, secrets?: Secrets): Promise<LabFile> {
  const src = student.lab;
  if (src.kind === 'file') {
    // A lab file named per student is the student's: no local paths, variables, URI parameters or
    // trust-lowering options; the teacher's credentials come from the roster, bound to hosts.
    const lab = await loadLab(src.path, {
      lang,
      trust: 'student',
      ...(spec ? { spec } : {}),
      ...(src.within !== undefined ? { within: src.within } : {}),
      ...(student.preread?.lab ? { bytes: student.preread.lab } : {}),
      ...(secrets ? { secrets } : {}),
    });
    if (student.credentials) lab.credentials = student.credentials;
    return lab;
  }
  return loadInline(student, src, spec, lang, secrets);
}

async function loadInline(student: RosterStudent, src: Extract<LabSource, { kind: 'inline' }>, spec: ExerciseSpec | undefined, lang: Lang, secrets?: Secrets): Promise<LabFile> {
  // The merged lab is loaded from memory (never written to disk: it may hold inline secrets), named
  // as a file in the roster's folder so relative key and secret paths resolve as written there.
  const file = join(src.baseDir, `.labgrade-lab-${student.id}.yaml`);
  try {
    const lab = await loadLab(file, { lang, text: stringify(src.data), ...(spec ? { spec } : {}), ...(secrets ? { secrets } : {}) });
    lab.file = `${src.origins.roster.display}#students[${student.index}]`;
    return lab;
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    throw new InputError(err.message, err.issues.map((i) => reposition(i, student, src, file, lang)));
  }
}

function reposition(issue: InputIssue, student: RosterStudent, src: Extract<LabSource, { kind: 'inline' }>, tmp: string, lang: Lang): InputIssue {
  const roster = src.origins.roster;
  const rel = issue.path ? parsePath(issue.path) : [];
  const candidates: PathSeg[][] = [];
  // The deepest key the entry itself wrote wins, then the defaults', then the entry.
  for (let n = rel.length; n >= 0; n--) {
    candidates.push([...src.origins.entry, ...rel.slice(0, n)]);
    if (src.origins.defaults) candidates.push([...src.origins.defaults, ...rel.slice(0, n)]);
  }
  let where: { line: number; column: number } | undefined;
  let path: PathSeg[] | undefined;
  for (const c of candidates) {
    if (exists(roster, c)) {
      path = c;
      where = locate(roster, c);
      break;
    }
  }
  const out: InputIssue = {
    file: roster.display,
    message: t(lang, 'labInvalid', { id: student.id, message: issue.message.split(tmp).join(roster.display) }),
  };
  if (path) out.path = formatSegs(path);
  else if (issue.path) out.path = issue.path;
  if (where) {
    out.line = where.line;
    out.column = where.column;
  } else if (student.line !== undefined) out.line = student.line;
  return out;
}

function exists(src: Extract<LabSource, { kind: 'inline' }>['origins']['roster'], path: PathSeg[]): boolean {
  let v: unknown = src.data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return false;
    if (!Object.hasOwn(v as object, String(seg))) return false;
    v = (v as Record<string, unknown>)[String(seg)];
  }
  return true;
}

function formatSegs(path: PathSeg[]): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s ? `.${seg}` : seg;
  return s;
}
