// Words kept as data, so a stored result is put into words later, in either language
// (reports/model.ts `present(result, lang)`). A `Msg` is one of:
//   { key: 'grade:skipNotSelected', params: { selection: 'nat' } }   a catalog message: <area>:<key>
//                                                                    of grader/i18n/{es,en}/<area>.ts;
//                                                                    a param may itself be a Msg
//   { es: '…', en: '…' }                                             the same words in both languages
//                                                                    (a spec's titles and hints)
//   { join: [Msg, …], sep: ' ' }                                     several, one after another
// Plain string params are data (addresses, names, a guest's own words) and are never translated.
import type { Lang, Text } from '../types.js';
import { format, type Catalog, type Params } from './translate.js';
import esGrade from './es/grade.js';
import enGrade from './en/grade.js';
import esInspect from './es/inspect.js';
import enInspect from './en/inspect.js';
import esReport from './es/report.js';
import enReport from './en/report.js';
import esChecks from './es/checks.js';
import enChecks from './en/checks.js';
import esSpec from './es/spec.js';
import enSpec from './en/spec.js';

export type MsgArg = string | number | boolean | null | Msg;
export type Msg = { key: string; params?: Record<string, MsgArg> } | Text | { join: Msg[]; sep?: string };

/** The catalogs a Msg may name, by area. */
const AREAS: Record<string, Record<Lang, Catalog>> = {
  grade: { es: esGrade, en: enGrade },
  inspect: { es: esInspect, en: enInspect },
  report: { es: esReport, en: enReport },
  checks: { es: esChecks, en: enChecks },
  spec: { es: esSpec, en: enSpec },
};

export type MsgArea = 'grade' | 'inspect' | 'report' | 'checks' | 'spec';

/** A catalog message of an area, with its parameters (not put into words yet). */
export function msg(area: MsgArea, key: string, params?: Record<string, MsgArg>): Msg {
  return params === undefined ? { key: `${area}:${key}` } : { key: `${area}:${key}`, params };
}

/** The same words in both languages (a spec's Text, or what was said in each). */
export function both(es: string, en: string): Msg {
  return { es, en };
}

/** Data shown as it is in every language (an address, a name, a guest's own words). */
export function data(s: string): Msg {
  return { es: s, en: s };
}

/** Several messages, one after another (empty ones are left out when said). */
export function join(parts: Msg[], sep = ' '): Msg {
  return sep === ' ' ? { join: parts } : { join: parts, sep };
}

export function isMsg(x: unknown): x is Msg {
  if (x === null || typeof x !== 'object') return false;
  const o = x as Record<string, unknown>;
  if (typeof o.key === 'string') return true;
  if (Array.isArray(o.join)) return true;
  return typeof o.es === 'string' && typeof o.en === 'string';
}

/** Whether a key names a message of a known catalog (`grade:msgPass`). */
export function knownKey(key: string): boolean {
  const [area, k] = splitKey(key);
  const c = AREAS[area];
  return c !== undefined && Object.prototype.hasOwnProperty.call(c.es, k) && Object.prototype.hasOwnProperty.call(c.en, k);
}

function splitKey(key: string): [string, string] {
  const i = key.indexOf(':');
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)];
}

/** The words of a message in a language. An unknown key shows as itself (never a crash). */
export function say(lang: Lang, m: Msg): string {
  if ('key' in m) {
    const [area, k] = splitKey(m.key);
    const template = AREAS[area]?.[lang][k];
    if (template === undefined) return m.key;
    const params: Params = {};
    for (const [name, v] of Object.entries(m.params ?? {})) params[name] = v !== null && typeof v === 'object' ? say(lang, v) : v;
    return format(template, params, lang);
  }
  if ('join' in m) return m.join.map((x) => say(lang, x)).filter(Boolean).join(m.sep ?? ' ');
  return m[lang];
}
