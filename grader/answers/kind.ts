// What one answer kind is: how a student's answer of that kind is read, put into words, compared
// with what was measured, and held against the theory of the network type. One module per kind in
// grader/answers/kinds/<kind>.ts, one registry (grader/answers/index.ts); the engine's grading
// (grader/engine/grade.ts) knows no kind. Words are messages (grader/i18n/messages.ts), never
// finished sentences of one language.
import type { AnswerKind, AnswerValue, NetworkInfo, Theory } from '../types.js';
import type { Msg } from '../i18n/messages.js';
import type { Reading } from '../inputs/answers/text.js';

export type ValueOf<K extends AnswerKind> = Extract<AnswerValue, { kind: K }>;
export type TheoryOf<K extends AnswerKind> = Extract<Theory, { kind: K }>;

/** Addresses of the task's VMs on its network, by role (for `vm:<role>` theory addresses). */
export type VmAddresses = Record<string, string[]>;
/** Domain names by role, for messages. */
export type VmNames = Record<string, string>;

/** What the theory of a task is held against: its network as found, and its VMs' addresses. */
export interface TheoryContext {
  net: NetworkInfo | null;
  vms: VmAddresses;
  names: VmNames;
}

export interface Comparison {
  /** 0..1 */
  score: number;
  /** Names of the fields that differ (kinds graded per field). */
  wrongFields: string[];
}

/** What is known about a wrong answer, for the mistakes a kind recognises. */
export interface MistakeContext {
  /** Codes recognised so far (the observation's). */
  codes: ReadonlySet<string>;
  /** Addresses libvirt leases show for this VM that it does not have. */
  staleLeases: { address: string; network: string }[];
  /** The task's network as found. */
  network: NetworkInfo | null;
  /** Every network of the host. */
  allNetworks: NetworkInfo[];
}

export interface AnswerKindModule<K extends AnswerKind> {
  kind: K;
  /**
   * What a student wrote (any YAML value) -> the value, the words ignored, or why it cannot be read.
   * Pure. The checks every kind shares (an unsure answer) are made before (grader/inputs/answers).
   */
  read(v: unknown): Reading<ValueOf<K>>;
  /** A value (answered or observed) in words. */
  render(v: ValueOf<K>): Msg;
  /** The answer against the observation. */
  compare(answer: ValueOf<K>, observed: ValueOf<K>): Comparison;
  /** What the theory says, in words. */
  renderTheory(th: TheoryOf<K>, ctx: TheoryContext): Msg;
  /** Does a value agree with the theory? null = cannot tell. */
  theoryHolds(th: TheoryOf<K>, v: ValueOf<K>, ctx: TheoryContext): boolean | null;
  /** Whether a wrong answer the theory agrees with is told so (not for kinds graded per field). */
  saysTheoryAgrees: boolean;
  /** Mistakes of this kind recognised in a wrong answer: codes and their explanations. */
  mistakes?(answer: ValueOf<K>, ctx: MistakeContext): { codes: string[]; words: Msg[] };
}

/** The problem of a value that is neither text nor a number (a list, a map, null). */
export function notScalar(v: unknown): { ok: false; code: 'ansScalarExpected'; params: { actual: string } } {
  return { ok: false, code: 'ansScalarExpected', params: { actual: Array.isArray(v) ? 'list' : v === null ? 'null' : typeof v } };
}

/** A reading of one value made into another (the reader's value into the kind's). */
export function mapReading<T, U>(r: Reading<T>, f: (v: T) => U): Reading<U> {
  return r.ok ? { ...r, value: f(r.value) } : r;
}
