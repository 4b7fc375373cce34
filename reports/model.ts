// The report model: `present(result, lang)` decides, once for every renderer, what a student's
// report shows: the displayed outcome of each verdict, whether anything was graded, and every word
// in the report's language. The renderers (text, html, junit) only lay the model out; the json
// renderer writes the result itself. A result whose verdicts carry their words as messages
// (`Verdict.words`, grader/i18n/messages.ts) renders fully in either language; an older one
// renders its stored strings, in the language it was graded in.
import type { GradeResult, Lang, Outcome, TaskResult, Totals, Verdict } from '../grader/types.js';
import { say, type Msg } from '../grader/i18n/messages.js';
import { formatNumber, translator, type Params } from '../grader/i18n/translate.js';
import es from '../grader/i18n/es/report.js';
import en from '../grader/i18n/en/report.js';

export type ReportKey = keyof typeof es;
const tr = translator(es, en);

/** The report's labels; `lang` travels with them so numbers are written the same way as the words. */
export type Labels = ((key: ReportKey, params?: Params) => string) & { lang: Lang };

/** What a verdict shows: failed warnings are shown as warnings, never as failures. */
export type Shown = Outcome | 'warning';

export interface VerdictView {
  verdict: Verdict;
  shown: Shown;
  /** The shown outcome in words ("Pass", "Aprobado"). */
  outcomeLabel: string;
  /** Question verdicts: the question's title (the spec's, else the course's vocabulary, else its id). */
  questionLabel: string | null;
  /** The answer as read, in the report's language; null = no answer (or unreadable, with `answerWritten`). */
  studentAnswer: string | null;
  observed: string | null;
  theory: string | null;
  message: string;
  hints: string[];
}

export interface TaskView {
  task: TaskResult;
  title: string;
  /** When every verdict was skipped for one reason, that reason (the task shows as one line); else null. */
  skippedReason: string | null;
  hostChecks: VerdictView[];
  questions: { question: string; label: string; verdicts: VerdictView[] }[];
  /** Every verdict of the task, host checks first, in the result's order. */
  verdicts: VerdictView[];
}

export interface ReportModel {
  result: GradeResult;
  lang: Lang;
  t: Labels;
  exerciseTitle: string;
  /** Problems that stopped part of the run, in the report's language. */
  errors: string[];
  answerNotices: string[];
  tasks: TaskView[];
  totals: Totals;
  /**
   * Nothing was graded because of a run problem (libvirt unreachable...): every renderer shows no
   * score then (a 0 % would mislead). The one rule, for text, HTML and JUnit alike.
   */
  nothingGraded: boolean;
}

/** The report model of a result in a language (default: the result's own). */
export function present(result: GradeResult, lang?: Lang): ReportModel {
  const L: Lang = lang ?? (result.lang === 'en' ? 'en' : 'es');
  const t = labels(L);
  const words = result.words;
  const tasks = result.tasks.map((task): TaskView => {
    const views = new Map<Verdict, VerdictView>();
    const view = (v: Verdict) => {
      let vv = views.get(v);
      if (!vv) views.set(v, (vv = verdictView(v, t)));
      return vv;
    };
    const hostChecks = task.hostChecks.map(view);
    const questions = groupByQuestion(task.questions).map((g) => {
      const verdicts = g.verdicts.map(view);
      return { question: g.question, label: verdicts[0]?.questionLabel ?? g.question, verdicts };
    });
    const all = [...task.hostChecks, ...task.questions].map(view);
    return { task, title: text(L, task.titleWords, task.title) || task.id, skippedReason: skippedReason(all), hostChecks, questions, verdicts: all };
  });
  const tot = result.totals;
  return {
    result,
    lang: L,
    t,
    exerciseTitle: text(L, words?.exerciseTitle, result.exercise.title) || result.exercise.id,
    errors: words?.errors ? words.errors.map((m) => say(L, m)) : result.errors,
    answerNotices: words?.answerNotices ? words.answerNotices.map((m) => say(L, m)) : (result.answerNotices ?? []),
    tasks,
    totals: tot,
    nothingGraded: result.errors.length > 0 && tot.pass + tot.fail + tot.error === 0,
  };
}

export function labels(lang: Lang): Labels {
  return Object.assign((key: ReportKey, params?: Params) => tr(lang, key, params), { lang });
}

/** The words of a message in the language, else the stored string (a result without messages). */
function text(lang: Lang, m: Msg | undefined, stored: string): string;
function text(lang: Lang, m: Msg | null | undefined, stored: string | null): string | null;
function text(lang: Lang, m: Msg | null | undefined, stored: string | null): string | null {
  if (m === undefined) return stored;
  return m === null ? null : say(lang, m);
}

function verdictView(v: Verdict, t: Labels): VerdictView {
  const L = t.lang;
  const w = v.words;
  const shown = shownOutcome(v);
  const title = w?.questionTitle !== undefined ? say(L, w.questionTitle) : v.questionTitle;
  return {
    verdict: v,
    shown,
    outcomeLabel: outcomeLabel(t, shown),
    questionLabel: v.question !== undefined ? questionLabel(t, v.question, title) : null,
    studentAnswer: text(L, w?.studentAnswer, v.studentAnswer),
    observed: text(L, w?.observed, v.observed),
    theory: text(L, w?.theory, v.theory),
    message: text(L, w?.message, v.message),
    hints: w?.hints ? w.hints.map((h) => say(L, h)) : v.hints,
  };
}

export function shownOutcome(v: Verdict): Shown {
  return v.outcome === 'fail' && v.severity === 'warning' ? 'warning' : v.outcome;
}

export function outcomeLabel(t: Labels, o: Shown): string {
  return t(`outcome_${o}` as ReportKey);
}

/** The question's title: the spec's own (`title`), else the seed course's vocabulary, else its id. */
export function questionLabel(t: Labels, id: string, title?: string): string {
  if (title) return title;
  const key = `q_${id}` as ReportKey;
  return key in es ? t(key) : id;
}

/** Question verdicts of a task grouped by question id, in the order they come. */
export function groupByQuestion(questions: Verdict[]): { question: string; verdicts: Verdict[] }[] {
  const groups: { question: string; verdicts: Verdict[] }[] = [];
  const index = new Map<string, { question: string; verdicts: Verdict[] }>();
  for (const v of questions) {
    const q = v.question ?? v.check;
    let g = index.get(q);
    if (!g) {
      g = { question: q, verdicts: [] };
      index.set(q, g);
      groups.push(g);
    }
    g.verdicts.push(v);
  }
  return groups;
}

/**
 * When every verdict of a task was skipped (a task not selected, a missing network), the reason
 * shared by all of them (else null): such a task is shown as one line instead of a list of skips.
 */
function skippedReason(all: VerdictView[]): string | null {
  if (all.length === 0 || all.some((v) => v.verdict.outcome !== 'skip')) return null;
  const reasons = new Set(all.map((v) => v.message));
  return reasons.size === 1 ? all[0]!.message : null;
}

/** Points as the language writes them (at most 2 decimals): "0,5" / "0.5". */
export function fmtPoints(n: number, lang: Lang = 'en'): string {
  return formatNumber(lang, Number.isFinite(n) ? n : 0, 2);
}

/** A percentage's number (at most 1 decimal): "92,9" / "92.9"; the % sign is the caller's. */
export function fmtPercent(n: number, lang: Lang = 'en'): string {
  return formatNumber(lang, Number.isFinite(n) ? n : 0, 1);
}
