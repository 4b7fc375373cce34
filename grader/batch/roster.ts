// The class roster of `labgrade batch`: shared defaults, one entry per student, per-student
// overrides. Parsed with positions (grader/inputs/yaml-source.ts), validated against
// exercises/schema/roster.schema.json, then checked for what a schema cannot say (unique ids and
// identities, a lab and an answers file for everyone, known placeholders). Every problem is an
// InputIssue naming roster:line:column.
import { dirname, resolve, sep } from 'node:path';
import type { Lang, SecretRef, TeacherCredential } from '../types.js';
import { Issues, isRecord, own, readYaml, validateSchema, type PathSeg, type YamlSource, locate } from '../inputs/yaml-source.js';
import type { FileKind } from '../inputs/paths.js';
import { expandPath, registerSecret } from '../inputs/secrets.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/batch.js';
import en from '../i18n/en/batch.js';

const t = translator(es, en);

export type Identity = 'email' | 'idNumber' | 'username' | 'id';

/** Where a student's lab comes from. */
export type LabSource =
  | { kind: 'file'; path: string; within?: string }
  /** A lab in the lab-file format, already merged (defaults + entry) and with {id} filled in. */
  | { kind: 'inline'; data: Record<string, unknown>; baseDir: string; origins: LabOrigins };

/** Where in the roster the inline lab's keys were written (to position lab errors). */
export interface LabOrigins {
  roster: YamlSource;
  entry: PathSeg[];
  defaults: PathSeg[] | null;
}

export interface RosterStudent {
  /** Position in the roster (0-based). */
  index: number;
  id: string;
  name: string;
  email?: string;
  idNumber?: string;
  username?: string;
  lab: LabSource;
  /** Absolute path of the answers file. */
  answers: string;
  /** The folder the roster names for the answers file: it must lie inside, with no symbolic link below (studentFolder). */
  answersWithin?: string;
  /** The student's files, read once by batch under the student's deadline (grader/batch/run.ts). */
  preread?: { answers?: Uint8Array; lab?: Uint8Array };
  task: string;
  deadlineSec: number;
  /** Line of the entry in the roster (for messages). */
  line?: number;
  /** The roster's credentials (teacher-owned), for a lab file the student handed in. */
  credentials?: TeacherCredential[];
  /** Moodle's participant id for the assignment (batch --hand-ins matches by it). */
  participant?: string;
}

export interface ExportOptions {
  identity: Identity;
  column: string | null;
  scale: number;
  decimals: number;
  separator: ',' | ';' | '\t';
  includeIncomplete: boolean;
}

export interface Roster {
  file: string;
  display: string;
  students: RosterStudent[];
  limits: { concurrency: number; perHost: number };
  export: ExportOptions;
  credentials: TeacherCredential[];
}

export const DEFAULT_DEADLINE_SEC = 300;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_PER_HOST = 4;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Loads and validates a roster; throws InputError listing every problem. */
export async function loadRoster(path: string, lang: Lang, opts: { handIns?: boolean } = {}): Promise<Roster> {
  const src = await readYaml(path, lang);
  const issues = new Issues(lang, src.display, src);
  if (!isRecord(src.data)) {
    issues.error([], t(lang, 'rosterInvalid', { file: src.display, count: 1 }));
    issues.throwIfAny();
  }
  // The schema lives next to the spec helper's (exercises/schema/roster.schema.json).
  await validateSchema(src, 'roster' as FileKind, issues);
  issues.throwIfAny();

  const data = src.data as Record<string, unknown>;
  const baseDir = dirname(src.file);
  const defaults = (own<Record<string, unknown>>(data, 'defaults') ?? {}) as Record<string, unknown>;
  const limits = (own<Record<string, unknown>>(data, 'limits') ?? {}) as Record<string, unknown>;
  const exp = (own<Record<string, unknown>>(data, 'export') ?? {}) as Record<string, unknown>;
  const list = own<unknown[]>(data, 'students') ?? [];

  const exportOpts: ExportOptions = {
    identity: (own<Identity>(exp, 'identity') ?? 'email') as Identity,
    column: own<string>(exp, 'column') ?? null,
    scale: own<number>(exp, 'scale') ?? 10,
    decimals: own<number>(exp, 'decimals') ?? 2,
    separator: (own<string>(exp, 'separator') ?? ',') as ExportOptions['separator'],
    includeIncomplete: own<boolean>(exp, 'includeIncomplete') ?? false,
  };

  checkPlaceholders(defaults, ['defaults'], issues, lang);
  const credentials = (own<unknown[]>(data, 'credentials') ?? []).map((c, i) => credentialOf(c, baseDir, `${src.display}:${locate(src, ['credentials', i])?.line ?? '?'}`));

  const students: RosterStudent[] = [];
  const seenIds = new Map<string, number>();
  const seenIdentity = new Map<string, number>();
  list.forEach((raw, index) => {
    const entry = raw as Record<string, unknown>;
    const at: PathSeg[] = ['students', index];
    const line = locate(src, at)?.line;
    const id = String(own(entry, 'id'));
    checkPlaceholders(entry, at, issues, lang, ['id', 'name', 'email', 'idNumber', 'username']);

    const first = seenIds.get(id.toLowerCase());
    if (first !== undefined) issues.error([...at, 'id'], t(lang, 'duplicateId', { id, line: first }));
    else seenIds.set(id.toLowerCase(), line ?? index + 1);

    const identity = exportOpts.identity === 'id' ? id : own<string>(entry, exportOpts.identity);
    if (identity === undefined) issues.error(at, t(lang, 'missingIdentity', { field: exportOpts.identity }));
    else {
      // Moodle matches emails case-sensitively, but two spellings of one address are surely a mistake.
      const k = identity.toLowerCase();
      const firstLine = seenIdentity.get(k);
      if (firstLine !== undefined && exportOpts.identity !== 'id') {
        issues.error([...at, exportOpts.identity], t(lang, 'duplicateIdentity', { field: exportOpts.identity, value: identity, line: firstLine }));
      } else seenIdentity.set(k, line ?? index + 1);
    }

    const fill = (s: string) => s.replace(PLACEHOLDER, (whole, name: string) => (name === 'id' ? id : whole));
    // Lab: the entry's own, else the defaults'; mappings merge over the defaults' mapping.
    const ownLab = own<unknown>(entry, 'lab');
    const defLab = own<unknown>(defaults, 'lab');
    let lab: LabSource | null = null;
    if (typeof ownLab === 'string') lab = { kind: 'file', path: expandPath(fill(ownLab), baseDir), within: studentFolder(ownLab, baseDir) };
    else if (isRecord(ownLab)) {
      if (typeof defLab === 'string') issues.error([...at, 'lab'], t(lang, 'labNotMapping'));
      const merged = isRecord(defLab) ? deepMerge(defLab, ownLab) : ownLab;
      lab = {
        kind: 'inline',
        data: fillDeep(merged, fill) as Record<string, unknown>,
        baseDir,
        origins: { roster: src, entry: [...at, 'lab'], defaults: isRecord(defLab) ? ['defaults', 'lab'] : null },
      };
    } else if (typeof defLab === 'string') lab = { kind: 'file', path: expandPath(fill(defLab), baseDir), within: studentFolder(defLab, baseDir) };
    else if (isRecord(defLab)) {
      lab = { kind: 'inline', data: fillDeep(defLab, fill) as Record<string, unknown>, baseDir, origins: { roster: src, entry: [...at, 'lab'], defaults: ['defaults', 'lab'] } };
    }
    // With hand-ins (batch --hand-ins), the lab and the answers come from each hand-in.
    if (!lab && !opts.handIns) issues.error(at, t(lang, 'missingLab'));

    const answers = own<string>(entry, 'answers') ?? own<string>(defaults, 'answers');
    if (answers === undefined && !opts.handIns) issues.error(at, t(lang, 'missingAnswers'));

    const student: RosterStudent = {
      index,
      id,
      name: String(own(entry, 'name')),
      lab: lab ?? { kind: 'file', path: '' },
      answers: answers === undefined ? '' : expandPath(fill(answers), baseDir),
      ...(answers === undefined ? {} : { answersWithin: studentFolder(answers, baseDir) }),
      task: own<string>(entry, 'task') ?? own<string>(defaults, 'task') ?? 'auto',
      deadlineSec: own<number>(entry, 'deadline') ?? own<number>(defaults, 'deadline') ?? own<number>(limits, 'deadline') ?? DEFAULT_DEADLINE_SEC,
    };
    for (const k of ['email', 'idNumber', 'username'] as const) {
      const v = own<string>(entry, k);
      if (v !== undefined) student[k] = v;
    }
    if (line !== undefined) student.line = line;
    const participant = own<string | number>(entry, 'participant');
    if (participant !== undefined) student.participant = String(participant);
    // Only a lab file the student handed in needs (and gets) the teacher's credentials.
    if (lab?.kind === 'file' && credentials.length > 0) student.credentials = credentials;
    students.push(student);
  });
  issues.throwIfAny();

  return {
    file: src.file,
    display: src.display,
    students,
    limits: {
      concurrency: own<number>(limits, 'concurrency') ?? DEFAULT_CONCURRENCY,
      perHost: own<number>(limits, 'perHost') ?? DEFAULT_PER_HOST,
    },
    export: exportOpts,
    credentials,
  };
}

/**
 * The folder the roster names for a student's file: with `{id}` in the pattern, the folder before
 * the first component that holds it (`entregas/{id}/respuestas.yaml` -> `entregas`); without, the
 * file's own folder. The file must lie inside it with no symbolic link below it, so a student's
 * `entregas/alu09 -> /some/teacher/folder` is refused, never read.
 */
export function studentFolder(template: string, baseDir: string): string {
  const parts = template.split('/');
  const i = parts.findIndex((p) => p.includes('{id}'));
  if (i < 0) {
    // An explicit path: every folder below the roster's own is checked (a student's folder named in it
    // may be a planted link); a path outside the roster's folder, from the file's own folder.
    const path = expandPath(template, baseDir);
    const base = resolve(baseDir);
    return path.startsWith(base + sep) ? base : dirname(path);
  }
  const head = parts.slice(0, i).join('/');
  return expandPath(head === '' ? (template.startsWith('/') ? '/' : '.') : head, baseDir);
}

function secretOf(v: unknown, baseDir: string): SecretRef | undefined {
  if (!isRecord(v)) return undefined;
  if (typeof v.env === 'string') return { env: v.env };
  if (typeof v.file === 'string') return { file: expandPath(v.file, baseDir) };
  if (typeof v.value === 'string') {
    registerSecret(v.value);
    return { value: v.value };
  }
  return undefined;
}

/** One entry of the roster's `credentials` (already schema-checked); paths made absolute. */
function credentialOf(raw: unknown, baseDir: string, origin: string): TeacherCredential {
  const c: TeacherCredential = { origin, hosts: (own<string[]>(raw, 'hosts') ?? []).map(String) };
  const ssh = own<Record<string, unknown>>(raw, 'ssh');
  if (isRecord(ssh)) {
    const s: NonNullable<TeacherCredential['ssh']> = {};
    if (typeof ssh.user === 'string') s.user = ssh.user;
    if (typeof ssh.key === 'string') s.keyFile = expandPath(ssh.key, baseDir);
    const pw = secretOf(ssh.password, baseDir);
    if (pw) s.password = pw;
    if (typeof ssh.agent === 'boolean') s.useAgent = ssh.agent;
    if (typeof ssh.known_hosts === 'string') s.knownHostsFile = expandPath(ssh.known_hosts, baseDir);
    if (typeof ssh.accept_new_host_key === 'boolean') s.acceptNewHostKey = ssh.accept_new_host_key;
    if (typeof ssh.port === 'number') s.port = ssh.port;
    c.ssh = s;
  }
  const winrm = own<Record<string, unknown>>(raw, 'winrm');
  if (isRecord(winrm)) {
    const w: NonNullable<TeacherCredential['winrm']> = {};
    if (typeof winrm.user === 'string') w.user = winrm.user;
    const pw = secretOf(winrm.password, baseDir);
    if (pw) w.password = pw;
    if (typeof winrm.ca_file === 'string') w.caFile = expandPath(winrm.ca_file, baseDir);
    if (typeof winrm.insecure_skip_verify === 'boolean') w.insecureSkipVerify = winrm.insecure_skip_verify;
    if (typeof winrm.port === 'number') w.port = winrm.port;
    if (winrm.scheme === 'http' || winrm.scheme === 'https') w.scheme = winrm.scheme;
    c.winrm = w;
  }
  return c;
}

/** Flags `{x}` placeholders other than {id} in every string below `value` (keys listed are skipped). */
function checkPlaceholders(value: unknown, path: PathSeg[], issues: Issues, lang: Lang, skipKeys: string[] = []): void {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) {
      if (m[1] !== 'id') issues.error(path, t(lang, 'unknownPlaceholder', { placeholder: m[0] }));
    }
  } else if (Array.isArray(value)) value.forEach((v, i) => checkPlaceholders(v, [...path, i], issues, lang));
  else if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (skipKeys.includes(k)) continue;
      // Secrets are opaque: a literal "{x}" in a password is not a placeholder.
      if (k === 'password' || k === 'value') continue;
      checkPlaceholders(v, [...path, k], issues, lang);
    }
  }
}

/** Mappings merge key by key (the override wins); anything else (lists included) is replaced. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isRecord(b) && isRecord(v) ? deepMerge(b, v) : v;
  }
  return { ...out };
}

/** Applies `fill` to every string (secret values excepted). */
function fillDeep(value: unknown, fill: (s: string) => string, key?: string): unknown {
  if (typeof value === 'string') return key === 'value' || key === 'password' ? value : fill(value);
  if (Array.isArray(value)) return value.map((v) => fillDeep(v, fill));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillDeep(v, fill, k)]));
  return value;
}
