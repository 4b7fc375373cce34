// User-facing text lives in grader/i18n/es/<area>.ts and grader/i18n/en/<area>.ts (one place per
// language). A module builds its translator from its area's two catalogs; test/unit/i18n checks
// that both languages have the same keys and placeholders, and that Spanish follows the glossary
// (docs/es/glosario.md).
//
// Templates use a small subset of ICU MessageFormat, so a translator never writes "(s)":
//   {name}                                  the parameter as given
//   {n, number}                             a number in the language's style ("83,2" / "83.2")
//   {n, plural, one {# fallo} other {# fallos}}   the form Intl.PluralRules picks for n; # is n
//                                           (as a number); `=0 {...}` matches an exact value
import type { Lang } from '../types.js';

export type Catalog = Record<string, string>;
export type Params = Record<string, string | number | boolean | null | undefined>;
export type Translate<K extends string> = (lang: Lang, key: K, params?: Params) => string;

const LOCALES: Record<Lang, string> = { es: 'es-ES', en: 'en-GB' };
const pluralRules = new Map<Lang, Intl.PluralRules>();

/** A number as the language writes it: "83,2" (es), "83.2" (en); at most `maxDigits` decimals. */
export function formatNumber(lang: Lang, n: number, maxDigits = 2): string {
  // By hand, not Intl.NumberFormat: its first use loads ICU's locale data (~20 ms of every run's
  // CPU). Up to maxDigits decimals, no trailing zeros, no grouping; a decimal comma in Spanish.
  // Rounded as Intl rounds: half away from zero on the number's shortest decimal spelling (2.675 ->
  // 2.68), not on its binary value as toFixed does (2.675.toFixed(2) is "2.67").
  if (!Number.isFinite(n)) return String(n);
  const d = Math.max(0, Math.min(20, maxDigits));
  const abs = Math.abs(n);
  const shifted = /e/i.test(String(abs)) ? Number(abs.toFixed(d)) : Number(`${Math.round(Number(`${abs}e${d}`))}e-${d}`);
  const s = String(n < 0 && shifted !== 0 ? -shifted : shifted);
  return lang === 'es' ? s.replace('.', ',') : s;
}

/** A percentage: "83,2 %" in Spanish (RAE: with a space), "83.2%" in English. */
export function formatPercent(lang: Lang, n: number, maxDigits = 1): string {
  return lang === 'es' ? `${formatNumber(lang, n, maxDigits)} %` : `${formatNumber(lang, n, maxDigits)}%`;
}

/** The CLDR plural category of n in the language ("one", "other"; Spanish "many" counts as "other"). */
export function pluralCategory(lang: Lang, n: number): string {
  let r = pluralRules.get(lang);
  if (!r) {
    r = new Intl.PluralRules(LOCALES[lang]);
    pluralRules.set(lang, r);
  }
  return r.select(n);
}

/** Picks the form for n: `one`/`other` (and exact `=N`) as written in the template. */
export function plural(lang: Lang, n: number, forms: Record<string, string>): string {
  const exact = forms[`=${n}`];
  if (exact !== undefined) return exact;
  return forms[pluralCategory(lang, n)] ?? forms.other ?? '';
}

// {name, plural, one {...} other {...}}: forms hold no braces of their own.
const PLURAL = /\{(\w+),\s*plural,\s*((?:(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\}\s*)+)\}/g;
const FORM = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

/** `{name}` placeholders are replaced by params; a missing param stays visible as `{name}`. */
export function format(template: string, params: Params = {}, lang: Lang = 'en'): string {
  const withPlurals = template.replace(PLURAL, (whole, name: string, body: string) => {
    const v = params[name];
    const n = typeof v === 'number' ? v : Number(v);
    if (v === undefined || v === null || !Number.isFinite(n)) return whole;
    const forms: Record<string, string> = {};
    for (const m of body.matchAll(FORM)) forms[m[1]!] = m[2]!;
    return plural(lang, n, forms).replace(/#/g, formatNumber(lang, n));
  });
  return withPlurals.replace(/\{(\w+)(?:,\s*(number))?\}/g, (whole, name: string, kind?: string) => {
    const v = params[name];
    if (v === undefined || v === null) return whole;
    if (kind === 'number') {
      const n = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(n) ? formatNumber(lang, n) : String(v);
    }
    return String(v);
  });
}

/** The placeholder names a template uses (plain, number and plural ones). */
export function placeholderNames(template: string): string[] {
  const names = new Set<string>();
  const plain = template.replace(PLURAL, (_w, name: string, body: string) => {
    names.add(name);
    return body.replace(FORM, (_f, _cat, text: string) => ` ${text} `);
  });
  for (const m of plain.matchAll(/\{(\w+)(?:,\s*number)?\}/g)) names.add(m[1]!);
  return [...names].sort();
}

export function translator<K extends string>(es: Record<K, string>, en: Record<K, string>): Translate<K> {
  return (lang, key, params) => format((lang === 'es' ? es : en)[key] ?? key, params, lang);
}
