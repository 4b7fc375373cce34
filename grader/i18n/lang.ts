import type { Lang } from '../types.js';

/** --lang wins; else the locale (LC_ALL, LC_MESSAGES, LANG): Spanish when it starts with `es`. */
export function detectLang(flag?: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag === 'es' || flag === 'en') return flag;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('es') ? 'es' : 'en';
}

export function isLang(s: unknown): s is Lang {
  return s === 'es' || s === 'en';
}

/**
 * A --lang value as people write it: es, EN, es-ES, en_US, es_ES.UTF-8 (case does not matter);
 * null for anything else.
 */
export function parseLang(s: string): Lang | null {
  const m = /^(es|en)(?:[-_][a-z]{2,8})?(?:\.[\w-]+)?$/i.exec(s.trim());
  return m ? (m[1]!.toLowerCase() as Lang) : null;
}
