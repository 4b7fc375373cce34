// readAnswer: what a student wrote (any YAML value) -> what was understood, what was ignored, or
// why it cannot be read. Pure: no I/O, no i18n (problems are message codes, see parse-answer.ts).
// What every kind shares is decided here (an answer that says the student does not know); the
// rest is the kind's own reader (grader/answers/kinds/<kind>.ts, through the registry).
import type { AnswerKind, AnswerValue } from '../../types.js';
import { kindOf } from '../../answers/index.js';
import { hostility, type Reading } from './text.js';
import { answerStrings, isUnsureAnswer } from './vocabulary.js';

export type { Reading, PastedKind, Problem } from './text.js';
export { hostility, MAX_ANSWER_CHARS } from './text.js';
export { isUnsureAnswer, isNoneAnswer, VOCABULARY } from './vocabulary.js';

export function readAnswer(kind: AnswerKind, v: unknown): Reading<AnswerValue> {
  // "No lo sé", "ni idea", "N/A": the student says they do not know. Never a "no", never "none":
  // its own unreadable answer, whatever the kind (hostile text keeps its own reason).
  const texts = answerStrings(v);
  if (!texts.some((s) => hostility(s))) {
    const unsure = texts.find(isUnsureAnswer);
    if (unsure !== undefined) return { ok: false, code: 'ansUnsure', params: { value: unsure.trim() } };
  }
  return kindOf(kind).read(v);
}

/** A text is hostile when it could never be an answer (see text.ts). */
export const isHostile = (s: string): boolean => hostility(s) !== undefined;
