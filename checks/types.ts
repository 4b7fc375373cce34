// Checks measure nothing themselves: they read the HostSnapshot and the GuestFacts that the
// inspect and measure stages produced, and turn them into verdicts (host checks) or observed
// answers (question checks). The engine does the grading arithmetic; renderers only render.
import type {
  AnswerKind,
  AnswerValue,
  CommandEvidence,
  ExerciseSpec,
  FactRequest,
  GuestFacts,
  HostSnapshot,
  LabFile,
  Lang,
  NetworkInfo,
  SpecQuestion,
  SpecTask,
  Verdict,
} from '../grader/types.js';
import type { Msg } from '../grader/i18n/messages.js';

/** Grades the libvirt host against the spec for one task (networks, domains, attachments). */
export interface HostCheck {
  name: string;
  run(ctx: HostCheckContext): Verdict[];
}

export interface HostCheckContext {
  spec: ExerciseSpec;
  task: SpecTask;
  lab: LabFile;
  snapshot: HostSnapshot;
  lang: Lang;
}

/** The measured outcome of one guest, or why it could not be measured. */
export type GuestOutcome = { ok: true; facts: GuestFacts } | { ok: false; error: string; code: string; evidence: CommandEvidence[] };

/** Derives the observed answer of one question for one VM from the facts. */
export interface QuestionCheck {
  name: string;
  kind: AnswerKind;
  observe(ctx: QuestionContext): Observation;
  /** Extra guest facts this question needs (measured once per VM it is asked of). */
  needs?(question: SpecQuestion): FactRequest[];
  /** Problems with the question's `params`, as messages (none = valid). */
  validateParams?(params: Record<string, unknown>, ctx: { networks: string[]; roles: string[]; lang: Lang }): Msg[];
}

export interface QuestionContext {
  spec: ExerciseSpec;
  task: SpecTask;
  question: SpecQuestion;
  role: string;
  lab: LabFile;
  snapshot: HostSnapshot;
  /** The task's network as found on the host (null when missing). */
  network: NetworkInfo | null;
  /** Every VM of the task, by role (peers matter for VM-to-VM). */
  guests: Record<string, GuestOutcome>;
  lang: Lang;
}

export interface Observation {
  /** The answer the facts give; null when it could not be determined. */
  value: AnswerValue | null;
  /** The observed value in words (a message: grader/i18n/messages.ts; never a finished sentence). */
  display: Msg;
  /** Explanation codes recognised (apipa, firewall-filtered, stale-lease, ...). */
  codes: string[];
  /** What explains the observation, citing what was seen (a message). */
  explanation: Msg;
  evidence: CommandEvidence[];
  /** Set when the observation could not be made (outcome `error`): why, as a message. */
  error?: Msg;
}
