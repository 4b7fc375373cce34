// Loads every catalog of grader/i18n/<lang>/ (for the i18n tests).
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const I18N = join(ROOT, 'grader', 'i18n');

export interface Entry {
  /** e.g. grader/i18n/es/batch.ts */
  file: string;
  key: string;
  text: string;
}

export async function catalogEntries(lang: 'es' | 'en'): Promise<Entry[]> {
  const out: Entry[] = [];
  for (const f of readdirSync(join(I18N, lang)).filter((x) => x.endsWith('.ts')).sort()) {
    const mod = (await import(pathToFileURL(join(I18N, lang, f)).href)) as { default: Record<string, string> };
    for (const [key, text] of Object.entries(mod.default)) out.push({ file: `grader/i18n/${lang}/${f}`, key, text });
  }
  return out;
}

/** The Spanish texts of the bundled exercises (every `es:` value: titles, prompts, hints). */
export function exerciseSpanishEntries(): Entry[] {
  const out: Entry[] = [];
  const dir = join(ROOT, 'exercises');
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.yaml')).sort()) {
    const walk = (v: unknown, path: string): void => {
      if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${path}[${i}]`));
      if (!v || typeof v !== 'object') return;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (k === 'es' && typeof x === 'string') out.push({ file: `exercises/${f}`, key: path, text: x });
        else walk(x, path ? `${path}.${k}` : k);
      }
    };
    walk(parse(readFileSync(join(dir, f), 'utf8')), '');
  }
  return out;
}
