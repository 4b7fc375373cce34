// The answer kinds, by kind: one module each (grader/answers/kinds/<kind>.ts) holds how an answer
// of that kind is read, put into words, compared with the observation and held against the theory.
// Everything else (the engine's grading, the answers loader) goes through this registry and knows
// no kind. A new kind is a new module here.
import type { AnswerKind, AnswerValue, Theory } from '../types.js';
import type { Msg } from '../i18n/messages.js';
import type { AnswerKindModule, Comparison, MistakeContext, TheoryContext } from './kind.js';
import { configMethodKind } from './kinds/config-method.js';
import { ipv4ConfigKind } from './kinds/ipv4-config.js';
import { ipv4Kind } from './kinds/ipv4.js';
import { yesNoKind } from './kinds/yes-no.js';

export type { AnswerKindModule, Comparison, MistakeContext, TheoryContext, VmAddresses, VmNames } from './kind.js';

export const answerKinds: { [K in AnswerKind]: AnswerKindModule<K> } = {
  'config-method': configMethodKind,
  'yes-no': yesNoKind,
  ipv4: ipv4Kind,
  'ipv4-config': ipv4ConfigKind,
};

/** The module of a kind, typed loosely for values whose kind is known only at run time. */
export function kindOf(kind: AnswerKind): AnswerKindModule<AnswerKind> {
  return answerKinds[kind] as unknown as AnswerKindModule<AnswerKind>;
}

/** A value (answered or observed) in words. */
export function renderValue(v: AnswerValue): Msg {
  return kindOf(v.kind).render(v);
}

/** The answer against the observation (different kinds never match). */
export function compare(answer: AnswerValue, observed: AnswerValue): Comparison {
  if (answer.kind !== observed.kind) return { score: 0, wrongFields: [] };
  return kindOf(observed.kind).compare(answer, observed);
}

/** What the theory says, in words. */
export function renderTheory(th: Theory, ctx: TheoryContext): Msg {
  return kindOf(th.kind).renderTheory(th, ctx);
}

/** Does a value agree with the theory? null = cannot tell (no theory, no value, another kind). */
export function theoryHolds(th: Theory | undefined, v: AnswerValue | null, ctx: TheoryContext): boolean | null {
  if (!th || !v || th.kind !== v.kind) return null;
  return kindOf(th.kind).theoryHolds(th, v, ctx);
}

/** Mistakes recognised in a wrong answer, by its kind. */
export function mistakes(answer: AnswerValue, ctx: MistakeContext): { codes: string[]; words: Msg[] } {
  return kindOf(answer.kind).mistakes?.(answer, ctx) ?? { codes: [], words: [] };
}
