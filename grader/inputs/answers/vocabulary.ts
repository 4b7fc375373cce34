// The one vocabulary of answer words, per language: yes, no, none and unsure. Every answer reader
// takes its words from here (grader/answers/kinds/yes-no.ts, fields.ts, grader/answers/kinds/ipv4.ts through
// parse-answer.ts's isNone), so "ninguno" means the same in every kind of question and a new word
// is added once. Words are folded (lower case, no accents: grader/inputs/answers/text.ts fold);
// students mix languages, so the readers accept the union of both.
//
// "Unsure" is an answer that says the student does not know ("no lo sé", "ni idea", "depende",
// "no lo he probado", "N/A", "I don't know", "?"): it is never read as a "no" nor as "none". It is
// its own unreadable answer (code ansUnsure, 0 points, flagged by `labgrade validate`).
import type { Lang } from '../../types.js';
import { fold, tokenize } from './text.js';

export interface Vocabulary {
  /** Words that answer yes on their own. */
  yes: readonly string[];
  /** Words that answer no on their own. */
  no: readonly string[];
  /** Single words that say "none" (no gateway, no DNS server) wherever they stand. */
  noneWords: readonly string[];
  /** Whole answers (folded, trailing "." or "!" dropped) that say "none". */
  nonePhrases: readonly string[];
  /** Word sequences that say "I do not know" anywhere in an answer. */
  unsure: readonly string[];
  /** Word sequences that say "I do not know" only where a clause ends ("no lo se." but not "no se puede"). */
  unsureAtEnd: readonly string[];
}

export const VOCABULARY: Readonly<Record<Lang, Vocabulary>> = {
  es: {
    yes: ['si', 's', 'verdadero', 'cierto', 'afirmativo', 'vale', 'correcto', 'claro', 'exacto', 'efectivamente', 'positivo', 'sip'],
    no: ['no', 'falso', 'negativo', 'incorrecto', 'imposible', 'nop'],
    noneWords: ['ninguna', 'ninguno', 'ningun', 'nada', 'vacio', 'vacia'],
    nonePhrases: [
      'no', '-', 'sin', 'no tiene', 'no hay', 'no lo tiene', 'sin puerta de enlace', 'sin gateway', 'sin servidor', 'sin servidor dns', 'sin dns',
    ],
    unsure: [
      'ni idea', 'no tengo idea', 'depende', 'dependera', 'no comprobado', 'no comprobada', 'sin comprobar', 'no probado', 'no probada', 'sin probar',
      'no lo he comprobado', 'no lo he probado', 'no he comprobado', 'no he probado', 'no lo comprobe', 'no lo probe', 'no estoy seguro', 'no estoy segura',
      'no sabria', 'no lo sabria', 'desconozco', 'nsnc', 'no lo se seguro',
    ],
    unsureAtEnd: ['no lo se', 'no se', 'ni se', 'yo que se', 'no lo sabemos', 'no lo sabia'],
  },
  en: {
    yes: ['yes', 'y', 'yeah', 'yep', 'true', 'ok', 'okay', 'correct'],
    no: ['no', 'n', 'nope', 'false'],
    noneWords: ['none', 'nothing', 'empty'],
    nonePhrases: ['none', 'nothing', 'no', '-', 'there is none', 'no gateway', 'no dns', 'no server', 'no dns server', 'no has'],
    unsure: [
      "i don't know", "i dont know", "don't know", 'dont know', 'do not know', "i don't knw", 'dunno', 'idk', 'not sure', 'unsure', 'no idea', 'no clue',
      'it depends', 'depends', 'not tested', 'untested', 'not checked', 'unchecked', "haven't tested", 'have not tested', "didn't test", 'did not test',
      "haven't checked", 'have not checked', "didn't check", 'did not check', 'cannot tell', "can't tell",
    ],
    unsureAtEnd: [],
  },
};

const both = <K extends keyof Vocabulary>(k: K): string[] => [...new Set([...VOCABULARY.es[k], ...VOCABULARY.en[k]])];

/** Every language's words of one class (students mix languages). */
export const YES_WORDS: readonly string[] = both('yes');
export const NO_WORDS: readonly string[] = both('no');
export const NONE_WORDS: ReadonlySet<string> = new Set(both('noneWords'));
const NONE_PHRASES: ReadonlySet<string> = new Set([...both('noneWords'), ...both('nonePhrases')]);

/** Folded word list of a phrase, apostrophes kept as the tokenizer keeps them. */
const words = (phrase: string): string[] => tokenize(phrase).filter((t) => t.type === 'word').map((t) => t.norm);
/** Phrases by their first word: an answer's words are looked up, not compared with every phrase. */
function byFirstWord(phrases: string[][]): Map<string, string[][]> {
  const m = new Map<string, string[][]>();
  for (const p of phrases) if (p.length > 0) m.set(p[0]!, [...(m.get(p[0]!) ?? []), p]);
  return m;
}
const UNSURE = byFirstWord(both('unsure').map(words));
const UNSURE_AT_END = byFirstWord(both('unsureAtEnd').map(words));

/** Lower case, accents removed, curly apostrophes straightened, whitespace collapsed. */
function normal(s: string): string {
  return fold(s).replace(/[’`´]/g, "'").replace(/\s+/g, ' ').trim();
}

/** "none" in its human spellings, as the whole answer (`ninguno`, `none`, `no hay`, `-`). */
export function isNoneAnswer(input: string): boolean {
  return NONE_PHRASES.has(normal(input).replace(/[.!]+$/, ''));
}

/**
 * Whether an answer says the student does not know. Matched on words, so "no se puede" (a no)
 * is not "no sé": the unaccented "no se" counts only where a clause ends, the accented "no sé"
 * anywhere. "N/A", "NS/NC" and an answer made of question marks only are unsure too.
 */
export function isUnsureAnswer(input: string): boolean {
  // Every answer is asked several times a run (validate, each kind's reader): remember the verdict.
  const known = unsureSeen.get(input);
  if (known !== undefined) return known;
  const r = unsure(input);
  if (unsureSeen.size > 4096) unsureSeen.clear();
  unsureSeen.set(input, r);
  return r;
}
const unsureSeen = new Map<string, boolean>();

function unsure(input: string): boolean {
  const text = input.normalize('NFC').replace(/[’`´]/g, "'");
  if (/^[\s?¿]+$/.test(text) && text.includes('?')) return true;
  if (/(?:^|[^\p{L}])(?:n\s*\/\s*a|ns\s*\/\s*nc)(?:$|[^\p{L}])/iu.test(fold(text)) || /^\s*n\.?\s?a\.?\s*$/i.test(text)) return true;
  if (/(?:^|[^\p{L}])no\s+(?:lo\s+)?sé(?:$|[^\p{L}])/iu.test(text.toLowerCase())) return true;
  const toks = tokenize(text);
  // A word token's norm is already folded, and its apostrophes were straightened above.
  const w: (string | null)[] = toks.map((t) => (t.type === 'word' ? t.norm : null));
  const matchAt = (phrase: string[], i: number): boolean => phrase.every((p, j) => w[i + j] === p);
  for (let i = 0; i < w.length; i++) {
    const first = w[i];
    if (first === null || first === undefined) continue;
    for (const p of UNSURE.get(first) ?? []) if (matchAt(p, i)) return true;
    for (const p of UNSURE_AT_END.get(first) ?? []) {
      if (!matchAt(p, i)) continue;
      const next = toks[i + p.length];
      if (!next || next.type === 'newline' || (next.type === 'other' && next.text !== '/')) return true;
    }
  }
  return false;
}

/** Every string inside an answer value (a text, a list, a map of fields). */
export function answerStrings(v: unknown, depth = 0): string[] {
  if (typeof v === 'string') return [v];
  if (depth > 4 || v === null || typeof v !== 'object') return [];
  return (Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)).flatMap((x) => answerStrings(x, depth + 1));
}
