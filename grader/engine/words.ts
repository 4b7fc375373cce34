// A verdict's words in both languages (Verdict.words), so its result renders in either language
// (reports/model.ts). The checks and the grading put their sentences into words as they go; the
// engine makes each verdict in both languages (pure functions of the same measured facts) and
// keeps the words of both. Everything else of the verdict (outcome, points, codes, evidence) is the
// run's language's own and identical in both.
import type { Lang, Verdict, VerdictWords } from '../types.js';
import { both, type Msg } from '../i18n/messages.js';

export const OTHER: Record<Lang, Lang> = { es: 'en', en: 'es' };

function pair(es: string | null | undefined, en: string | null | undefined): Msg | null {
  return es === null || es === undefined || en === null || en === undefined ? null : both(es, en);
}

export function wordsOf(es: Verdict, en: Verdict): VerdictWords {
  const words: VerdictWords = {
    message: both(es.message, en.message),
    studentAnswer: pair(es.studentAnswer, en.studentAnswer),
    observed: pair(es.observed, en.observed),
    theory: pair(es.theory, en.theory),
    hints: es.hints.length === en.hints.length ? es.hints.map((h, i) => both(h, en.hints[i]!)) : es.hints.map((h) => both(h, h)),
  };
  const title = pair(es.questionTitle, en.questionTitle);
  if (title) words.questionTitle = title;
  return words;
}

/** The verdict made in the run's language, with the words of it made in both. */
export function inBoth<T extends Verdict>(lang: Lang, make: (l: Lang) => T): T {
  const v = make(lang);
  const other = make(OTHER[lang]);
  v.words = lang === 'es' ? wordsOf(v, other) : wordsOf(other, v);
  return v;
}

/** The same for a list of verdicts made in the same order in both languages (host checks). */
export function allInBoth(lang: Lang, make: (l: Lang) => Verdict[]): Verdict[] {
  const vs = make(lang);
  const others = make(OTHER[lang]);
  if (others.length !== vs.length) return vs;
  vs.forEach((v, i) => {
    const o = others[i]!;
    if (o.id !== v.id) return;
    v.words = lang === 'es' ? wordsOf(v, o) : wordsOf(o, v);
  });
  return vs;
}
