// User-facing text lives in grader/i18n/es/<area>.ts and grader/i18n/en/<area>.ts (one place per
// language). A module builds its translator from its area's two catalogs; test/unit/i18n checks
// that both languages have the same keys and placeholders.
import type { Lang } from '../types.js';

export type Catalog = Record<string, string>;
export type Params = Record<string, string | number | boolean | null | undefined>;
export type Translate<K extends string> = (lang: Lang, key: K, params?: Params) => string;

/** `{name}` placeholders are replaced by params; a missing param stays visible as `{name}`. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined || v === null ? whole : String(v);
  });
}

export function translator<K extends string>(es: Record<K, string>, en: Record<K, string>): Translate<K> {
  return (lang, key, params) => format((lang === 'es' ? es : en)[key] ?? key, params);
}
