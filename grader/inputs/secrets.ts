// Secrets (passwords of SSH / WinRM access) are referenced from lab files: an environment
// variable, a file (relative to the lab file), or, discouraged, an inline value. Every value
// resolved (and every inline value loaded) is registered here, and `redact` removes them from
// any text before it is printed or stored (evidence, reports, error messages).
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InputError, type Lang, type SecretRef } from '../types.js';
import { detectLang } from '../i18n/lang.js';
import { t } from './yaml-source.js';
import { readInput, ReadInputError } from './read.js';

export const REDACTED = '***';

// The redaction registry: process-wide by design (a secret once seen is hidden everywhere).
const registry = new Set<string>();
let ordered: string[] | null = null;

/** Registers a secret value so that `redact` hides it from now on. */
export function registerSecret(value: string): void {
  if (typeof value !== 'string' || value.length === 0 || registry.has(value)) return;
  registry.add(value);
  // The JSON-escaped spelling too (secrets with quotes or backslashes inside JSON reports).
  const json = JSON.stringify(value).slice(1, -1);
  if (json !== value) registry.add(json);
  ordered = null;
}

/** Replaces every registered secret in `text` with `***`. */
export function redact(text: string): string {
  if (registry.size === 0 || typeof text !== 'string' || text === '') return text;
  ordered ??= [...registry].sort((a, b) => b.length - a.length);
  let out = text;
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** For tests: forget every registered secret. */
export function clearSecretsForTests(): void {
  registry.clear();
  ordered = null;
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
export async function resolveSecret(ref: SecretRef, baseDir: string, opts: { lang?: Lang; where?: string } = {}): Promise<string> {
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
  } else {
    throw fail(lang, 'secretInvalid', { where });
  }
  registerSecret(value);
  return value;
}
