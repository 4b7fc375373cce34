// Labels shared by the renderers (from grader/i18n/<lang>/report.ts).
import { formatNumber } from '../grader/i18n/translate.js';
import type { AccessAttempt, GradeResult, Lang, Outcome, TaskResult, Verdict } from '../grader/types.js';
import { translator, type Params } from '../grader/i18n/translate.js';
import es from '../grader/i18n/es/report.js';
import en from '../grader/i18n/en/report.js';
import type { RenderOptions } from './types.js';

export type ReportKey = keyof typeof es;
const tr = translator(es, en);

/** A label function bound to one language. */
/** The report's labels; `lang` travels with them so numbers are written the same way as the words. */
export type Labels = ((key: ReportKey, params?: Params) => string) & { lang: Lang };

export function labelsFor(result: GradeResult, opts: RenderOptions = {}): { lang: Lang; t: Labels } {
  const lang: Lang = opts.lang ?? (result.lang === 'en' ? 'en' : 'es');
  return { lang, t: Object.assign((key: ReportKey, params?: Params) => tr(lang, key, params), { lang }) };
}

/** What a verdict shows: failed warnings are shown as warnings, never as failures. */
export type Shown = Outcome | 'warning';

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

/** Points with at most two decimals, no trailing zeros (1, 0.5, 0.33). */
/** Points as the language writes them (at most 2 decimals): "0,5" / "0.5". */
export function fmtPoints(n: number, lang: Lang = 'en'): string {
  return formatNumber(lang, Number.isFinite(n) ? n : 0, 2);
}

/** A percentage's number (at most 1 decimal): "92,9" / "92.9"; the % sign is the caller's. */
export function fmtPercent(n: number, lang: Lang = 'en'): string {
  return formatNumber(lang, Number.isFinite(n) ? n : 0, 1);
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

/** "Ana García <ana@x.org> (id 123)" style identity pieces, in order. */
export function studentLine(r: GradeResult): string {
  const s = r.student;
  return [s.name, s.email ? `<${s.email}>` : '', s.id ? `(${s.id})` : ''].filter(Boolean).join(' ');
}

/**
 * When every verdict of a task was skipped (a task not selected, a missing network), the reason
 * shared by all of them (else null): such a task is shown as one line instead of a list of skips.
 */
export function skippedTaskReason(task: TaskResult): string | null {
  const all = [...task.hostChecks, ...task.questions];
  if (all.length === 0 || all.some((v) => v.outcome !== 'skip')) return null;
  const reasons = new Set(all.map((v) => v.message));
  return reasons.size === 1 ? all[0]!.message : null;
}

/** One line of the access trail: `ssh usuario@192.168.101.218:22 — failed (authentication refused): …`. */
export function accessLine(t: Labels, a: AccessAttempt): { head: string; detail: string } {
  const reason = a.reason ? ` (${t(`reason_${a.reason.replace(/-/g, '_')}` as ReportKey)})` : '';
  return { head: `${a.method} — ${t(`access_${a.outcome}` as ReportKey)}${reason}`, detail: a.detail };
}
