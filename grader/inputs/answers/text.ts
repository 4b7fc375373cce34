// Shared by the answer readers: what makes a text hostile (never an answer), word normalisation,
// and a tokenizer that keeps each token's original spelling (to say what was ignored).
import { editDistance } from '../did-you-mean.js';
import type { ParseErrorCode } from '../parse-answer.js';

/** Longer than any answer a student writes by hand or pastes from one command (ipconfig /all). */
export const MAX_ANSWER_CHARS = 6000;
/** Words listed as ignored, at most (the rest are counted). */
export const MAX_IGNORED = 8;

export type Problem = { code: ParseErrorCode; params?: Record<string, string> };

export type Reading<T> = { ok: true; value: T; ignored: string[]; pasted?: PastedKind } | ({ ok: false } & Problem);

/** Command output recognised in an answer (read field by field, its other lines ignored silently). */
export type PastedKind = 'ipconfig' | 'ip' | 'nmcli' | 'resolv';

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
/** `ip a`'s interface flags (`<BROADCAST,MULTICAST,UP,LOWER_UP>`) are the only markup-like text a paste holds. */
const IP_FLAGS = /<[A-Z0-9_,-]*>/g;
const MARKUP = /<\s*[/!?]?\s*[A-Za-z]|<!--|&#?[A-Za-z0-9]+;|\]\]>/;
const SHELL = /[`$|&<>{}\\]/;

/**
 * A pasted terminal session starts lines with a prompt (`alumno@debian:~$ ip a`, `$ ip r`,
 * `C:\Users\alumno>ipconfig /all`): the prompt is not part of the answer (nor hostile).
 */
export function stripPrompts(s: string): string {
  return s.replace(/^[ \t]*(?:(?:[\w.-]+@[\w.-]+(?::[^\s$#]*)?[ \t]*)?[$#][ \t]+|[A-Za-z]:\\[^>\n]*>[ \t]*|PS [A-Za-z]:\\[^>\n]*>[ \t]*)/gm, '');
}

/** Renders a character as `U+001B` (for problem messages that name it). */
export function codePoint(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Why a text can never be an answer, or undefined: too long, control characters (terminal
 * escapes, bidi overrides), markup, or shell syntax. Hostile text is unreadable, never trimmed
 * into something readable.
 */
export function hostility(s: string): Problem | undefined {
  if (s.length > MAX_ANSWER_CHARS) return { code: 'ansTooLong', params: { length: String(s.length), max: String(MAX_ANSWER_CHARS) } };
  const c = CONTROL.exec(s);
  if (c) return { code: 'ansControlChars', params: { char: codePoint(c[0]) } };
  const plain = stripPrompts(s).replace(IP_FLAGS, ' ');
  if (MARKUP.test(plain)) return { code: 'ansMarkup' };
  const sh = SHELL.exec(plain);
  if (sh) return { code: 'ansShellChars', params: { char: sh[0] } };
  return undefined;
}

/** Lower case, accents removed: `Dirección` -> `direccion`. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export type TokenType = 'ipv4' | 'short' | 'prefix' | 'number' | 'word' | 'ipv6' | 'newline' | 'other';

export interface Token {
  type: TokenType;
  /** As written. */
  text: string;
  /** Folded (words) or the text (the rest). */
  norm: string;
}

// Order matters: addresses before numbers, IPv6/MACs before words.
const TOKEN = new RegExp(
  [
    '(?<newline>\\r?\\n)',
    '(?<ipv6>(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\\w+)?(?:/\\d{1,3})?|(?:[0-9A-Fa-f]{2}-){5}[0-9A-Fa-f]{2})',
    '(?<ipv4>\\d{1,3}(?:\\.\\d{1,3}){3}(?:\\s?/\\s?\\d{1,2}(?!\\.))?)',
    '(?<short>(?<![\\w.])\\.\\d{1,3}(?:\\.\\d{1,3}){0,2}(?![\\w.]))',
    '(?<prefix>/\\s?\\d{1,2}(?![\\d.]))',
    '(?<number>\\d+(?:[.,:]\\d+)*)',
    "(?<word>[\\p{L}][\\p{L}\\p{N}_'’]*)",
    '(?<other>\\S)',
  ].join('|'),
  'gu',
);

export function tokenize(s: string): Token[] {
  const out: Token[] = [];
  for (const m of s.matchAll(TOKEN)) {
    const g = m.groups!;
    const type = (Object.keys(g) as TokenType[]).find((k) => g[k] !== undefined)!;
    const text = m[0];
    out.push({ type, text, norm: type === 'word' ? fold(text) : text.replace(/\s+/g, '') });
  }
  return out;
}

/** Words of a text, folded. */
export function foldedWords(s: string): string[] {
  return tokenize(s)
    .filter((t) => t.type === 'word')
    .map((t) => t.norm);
}

/** A word close enough to one of `vocab` to be a typo of it (only for words of 5+ letters). */
export function typoOf(word: string, vocab: Iterable<string>): string | undefined {
  if (word.length < 5) return undefined;
  for (const v of vocab) {
    if (v.length < 5 || Math.abs(v.length - word.length) > 2) continue;
    if (editDistance(word, v) <= (v.length >= 7 ? 2 : 1)) return v;
  }
  return undefined;
}

/** Words that carry no answer and are never reported as ignored. */
export const FILLER = new Set(
  (
    'a al de del el la lo los las es son era eran esta estan y e o u con por para en mi su sus tu un una the is are was were of ' +
    'and or with my its it to on in at an as be tiene tienen tenia has have had usa usan uses use using configurada configurado ' +
    'configured set puesta puesto pongo puse me sale salia shows shown dice says que this that esto eso ' +
    'predeterminada predeterminado default servidor servidores server servers preferido preferida preferred red network ' +
    'subred subnet maquina vm equipo linux windows debian win10 interfaz interface adaptador adapter ethernet tarjeta nic ' +
    'valor value respuesta answer ipconfig ni nor comando command output salida resultado result'
  ).split(/\s+/),
);

/** The ignored words to report: distinct, as written, capped with a count of the rest. */
export function reportIgnored(words: string[]): string[] {
  const seen: string[] = [];
  for (const w of words) if (!seen.includes(w)) seen.push(w);
  if (seen.length <= MAX_IGNORED) return seen;
  return [...seen.slice(0, MAX_IGNORED), `(+${seen.length - MAX_IGNORED})`];
}
