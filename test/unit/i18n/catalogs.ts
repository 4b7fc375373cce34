// Loads every catalog of grader/i18n/<lang>/ (for the i18n tests).
import { readdirSync } from 'node:fs';
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
