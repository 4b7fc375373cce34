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
