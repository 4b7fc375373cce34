// The one constructor of a Verdict: host checks (0 points: they gate and explain), question
// verdicts (graded, skipped) and a check that crashed all build theirs here, so every verdict has
// the same fields, the same id rule and the same defaults.
//
// Words come in as messages (grader/i18n/messages.ts: catalog keys with their parameters), never as
// finished sentences: the verdict keeps them (`Verdict.words`) so its result renders in either
// language (reports/model.ts), and its string fields are the same words said once, here, in the
// run's language (for readers of the JSON).
import type { Answer, CommandEvidence, Lang, Outcome, SpecQuestion, Verdict, VerdictWords } from './types.js';
import { both, say, type Msg } from './i18n/messages.js';

/** What every verdict says. */
interface Common {
  task: string;
  check: string;
  outcome: Outcome;
  /** The language of the verdict's string fields (its words are kept for both). */
  lang: Lang;
  message: Msg;
  severity?: Verdict['severity'];
  observed?: Msg | null;
  theory?: Msg | null;
  codes?: string[];
  hints?: Msg[];
  evidence?: CommandEvidence[];
}

/** About the host (a network or a domain): id `<task>.host.<check>.<subject>`, 0 points. */
export interface HostVerdictInit extends Common {
  subject: string;
  role?: string;
}

/** One question for one VM: id `<task>.<question>.<role>`. */
export interface QuestionVerdictInit extends Common {
  question: Pick<SpecQuestion, 'id' | 'title'>;
  role: string;
  points: number;
  maxPoints: number;
  /** The answer as read, in words (null: no answer, or unreadable). */
  studentAnswer: Msg | null;
  /** The answer as given (its written text and ignored words are reported). */
  answer: Answer | undefined;
}

export type VerdictInit = HostVerdictInit | QuestionVerdictInit;

/** Points rounded to two decimals (a question's points are shared between VMs). */
export function roundPoints(n: number): number {
  return Math.round(n * 100) / 100;
}

const MAX_WRITTEN = 400;

/** The answer as written, for reports: one value per line kept, long text shortened. */
export function writtenText(answer: Answer | undefined): string | null {
  if (!answer) return null;
  const raw = answer.raw;
  return raw.length > MAX_WRITTEN ? `${raw.slice(0, MAX_WRITTEN)}… (+${raw.length - MAX_WRITTEN})` : raw;
}

export function verdict(v: VerdictInit): Verdict {
  const L = v.lang;
  const opt = (m: Msg | null | undefined): string | null => (m === null || m === undefined ? null : say(L, m));
  const hints = v.hints ?? [];
  const words: VerdictWords = {
    message: v.message,
    studentAnswer: 'studentAnswer' in v ? v.studentAnswer : null,
    observed: v.observed ?? null,
    theory: v.theory ?? null,
    hints,
  };
  const tail = {
    observed: opt(v.observed),
    theory: opt(v.theory),
    message: say(L, v.message),
    hints: hints.map((h) => say(L, h)),
    codes: v.codes ?? [],
    evidence: v.evidence ?? [],
  };
  if ('subject' in v) {
    const out: Verdict = {
      id: `${v.task}.host.${v.check}.${v.subject}`,
      task: v.task,
      check: v.check,
      subject: v.subject,
      outcome: v.outcome,
      severity: v.severity ?? 'error',
      points: 0,
      maxPoints: 0,
      studentAnswer: null,
      ...tail,
      words,
    };
    if (v.role) out.role = v.role;
    return out;
  }
  const q = v.question;
  if (q.title) words.questionTitle = both(q.title.es, q.title.en);
  return {
    id: `${v.task}.${q.id}.${v.role}`,
    task: v.task,
    question: q.id,
    ...(q.title ? { questionTitle: q.title[L] } : {}),
    check: v.check,
    role: v.role,
    outcome: v.outcome,
    severity: v.severity ?? 'error',
    points: v.outcome === 'error' || v.outcome === 'skip' ? 0 : roundPoints(v.points),
    maxPoints: roundPoints(v.maxPoints),
    studentAnswer: opt(v.studentAnswer),
    answerWritten: writtenText(v.answer),
    answerIgnored: v.answer?.ignored ?? [],
    ...tail,
    words,
  };
}
