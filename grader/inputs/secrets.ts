// Secrets (passwords of SSH / WinRM access) are referenced from lab files: an environment
// variable, a file (relative to the lab file), or, discouraged, an inline value. Every value
// resolved (and every inline value loaded) is registered in a redaction registry, which removes
// them from any text before it is printed or stored (evidence, reports, error messages). The
// teacher's secrets are hidden everywhere; a student's only from that student's run (Secrets).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, type Lang, type SecretRef } from '../types.js';
import { detectLang } from '../i18n/lang.js';
import { t } from './yaml-source.js';
import { readInput, ReadInputError } from './read.js';

export const REDACTED = '***';

/**
 * Secrets shorter than this are hidden only where they stand as a whole token (not inside a longer
 * word or number): a one-letter password `e` hidden inside every word would make a report
 * unreadable ("incompl***t***") while hiding nothing worth hiding.
 */
export const MIN_SUBSTRING_SECRET = 4;

const WORD = /[\p{L}\p{N}_]/u;

/**
 * A redaction registry. The process has one for the teacher's secrets (`teacherSecrets`: the
 * roster's credentials, secrets read from the teacher's environment and files); each student's
 * run gets a child (`runSecrets()`) holding that student's own secrets on top of the teacher's,
 * passed to the engine through its dependencies. One student's secrets never touch another
 * student's output.
 */
export class Secrets {
  private readonly own = new Set<string>();
  private version = 0;
  private cache: { key: string; ordered: string[] } | null = null;

  constructor(private readonly parent: Secrets | null = null) {}

  /** Registers a secret value so that `redact` hides it from now on. */
  add(value: unknown): void {
    if (typeof value !== 'string' || value.length === 0 || this.own.has(value)) return;
    this.own.add(value);
    // The JSON-escaped spelling too (secrets with quotes or backslashes inside JSON reports).
    const json = JSON.stringify(value).slice(1, -1);
    if (json !== value) this.own.add(json);
    this.version++;
  }

  /** A registry for one run: this one's secrets plus the run's own. */
  child(): Secrets {
    return new Secrets(this);
  }

  private stamp(): string {
    return this.parent ? `${this.parent.stamp()}.${this.version}` : String(this.version);
  }

  private values(): string[] {
    return this.parent ? [...this.parent.values(), ...this.own] : [...this.own];
  }

  /** Replaces every registered secret in `text` with `***` (longest first; short ones as whole tokens only). */
  redact(text: string): string {
    if (typeof text !== 'string' || text === '') return text;
    const key = this.stamp();
    if (this.cache?.key !== key) this.cache = { key, ordered: [...new Set(this.values())].sort((a, b) => b.length - a.length) };
    let out = text;
    for (const s of this.cache.ordered) {
      if (!out.includes(s)) continue;
      out = s.length >= MIN_SUBSTRING_SECRET ? out.split(s).join(REDACTED) : wholeTokens(out, s);
    }
    return out;
  }

  clear(): void {
    this.own.clear();
    this.version++;
  }
}

/** `s` replaced where neither neighbour is a letter, digit or underscore. */
function wholeTokens(text: string, s: string): string {
  let out = '';
  let from = 0;
  for (let i = text.indexOf(s); i !== -1; i = text.indexOf(s, i + s.length)) {
    const before = i > 0 ? text.slice(0, i).at(-1)! : '';
    const after = text.slice(i + s.length, i + s.length + 2);
    if ((before && WORD.test(before)) || (after && WORD.test(after[0]!))) continue;
    out += text.slice(from, i) + REDACTED;
    from = i + s.length;
  }
  return out + text.slice(from);
}

/** The teacher's secrets: hidden from every output of the process. */
export const teacherSecrets = new Secrets();

/** A fresh registry for one student's (or one command's) run: the teacher's secrets plus its own. */
export function runSecrets(): Secrets {
  return teacherSecrets.child();
}

/** Registers one of the teacher's secrets (hidden everywhere). */
export function registerSecret(value: string): void {
  teacherSecrets.add(value);
}

/** Replaces every one of the teacher's secrets in `text` with `***` (a run's own: `Secrets.redact`). */
export function redact(text: string): string {
  return teacherSecrets.redact(text);
}

/** For tests: forget every registered secret. */
export function clearSecretsForTests(): void {
  teacherSecrets.clear();
}

/** The inline secret values a loaded lab file holds (its access methods' and host_ssh's passwords). */
export function inlineSecrets(lab: { vms: Record<string, { access: readonly unknown[] }>; hostSsh?: unknown }): string[] {
  const out: string[] = [];
  const pick = (a: unknown) => {
    const pw = (a as { password?: unknown } | undefined)?.password;
    if (pw && typeof pw === 'object' && typeof (pw as { value?: unknown }).value === 'string') out.push((pw as { value: string }).value);
  };
  for (const vm of Object.values(lab.vms ?? {})) for (const a of vm.access ?? []) pick(a);
  pick(lab.hostSsh);
  return out;
}

/** `~/x` -> home; relative -> against `baseDir`. */
export function expandPath(p: string, baseDir: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(baseDir, p);
}

/** A description of where a secret comes from, safe to print (never the value). */
export function describeSecretRef(ref: SecretRef): string {
  if ('env' in ref) return `env ${ref.env}`;
  if ('file' in ref) return `file ${ref.file}`;
  return 'inline';
}

function fail(lang: Lang, key: Parameters<typeof t>[1], params: Record<string, string>): InputError {
  const message = t(lang, key, params);
  return new InputError(t(lang, 'secretProblem'), [{ file: params.path ?? params.where ?? '-', message }]);
}

/**
 * The secret's value: from the environment, from a file (relative to `baseDir`, the lab file's
 * folder; one trailing newline dropped), or inline. The value is registered for redaction.
 * `where` names what the secret is for in messages (e.g. `winrm alumno@win10`).
 */
export async function resolveSecret(ref: SecretRef, baseDir: string, opts: { lang?: Lang; where?: string; secrets?: Secrets } = {}): Promise<string> {
  const lang = opts.lang ?? detectLang();
  const where = opts.where ?? describeSecretRef(ref);
  let value: string;
  if (ref && typeof ref === 'object' && 'env' in ref && typeof ref.env === 'string') {
    const v = process.env[ref.env];
    if (v === undefined) throw fail(lang, 'secretEnvMissing', { name: ref.env, where });
    if (v === '') throw fail(lang, 'secretEnvEmpty', { name: ref.env, where });
    value = v;
  } else if (ref && typeof ref === 'object' && 'file' in ref && typeof ref.file === 'string') {
    const path = expandPath(ref.file, baseDir);
    let buf: Buffer;
    try {
      buf = await readInput(path, 'secret');
    } catch (err) {
      if (err instanceof ReadInputError && err.code === 'too-big') throw fail(lang, 'secretFileTooBig', { path });
      throw fail(lang, 'secretFileMissing', { path, reason: err instanceof ReadInputError ? (err.code === 'not-regular' ? err.reason : err.code === 'directory' ? 'EISDIR' : err.reason) : String(err) });
    }
    value = buf.toString('utf8').replace(/\r?\n$/, '');
    if (value === '') throw fail(lang, 'secretFileEmpty', { path });
  } else if (ref && typeof ref === 'object' && 'value' in ref && typeof ref.value === 'string') {
    value = ref.value;
    if (value === '') throw fail(lang, 'secretInvalid', { where });
    // An inline value is the lab file's own: the run's registry (a student's, in a batch).
    (opts.secrets ?? teacherSecrets).add(value);
    return value;
  } else {
    throw fail(lang, 'secretInvalid', { where });
  }
  // Environment variables and files are the teacher's (a student's lab file may name neither).
  registerSecret(value);
  return value;
}
