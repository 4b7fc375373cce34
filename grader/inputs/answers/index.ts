// readAnswer: what a student wrote (any YAML value) -> what was understood, what was ignored, or
// why it cannot be read. Pure: no I/O, no i18n (problems are message codes, see parse-answer.ts).
import type { AnswerKind, AnswerValue } from '../../types.js';
import { readAddress } from './address.js';
import { readConfig } from './config.js';
import { readMethod } from './method.js';
import { hostility, type Reading } from './text.js';
import { readYesNo } from './yes-no.js';
import { answerStrings, isUnsureAnswer } from './vocabulary.js';

export type { Reading, PastedKind, Problem } from './text.js';
export { hostility, MAX_ANSWER_CHARS } from './text.js';
export { isUnsureAnswer, isNoneAnswer, VOCABULARY } from './vocabulary.js';

function typeWord(v: unknown): string {
  if (Array.isArray(v)) return 'list';
  if (v === null) return 'null';
  return typeof v;
}

export function readAnswer(kind: AnswerKind, v: unknown): Reading<AnswerValue> {
  // "No lo sé", "ni idea", "N/A": the student says they do not know. Never a "no", never "none":
  // its own unreadable answer, whatever the kind (hostile text keeps its own reason).
  const texts = answerStrings(v);
  if (!texts.some((s) => hostility(s))) {
    const unsure = texts.find(isUnsureAnswer);
    if (unsure !== undefined) return { ok: false, code: 'ansUnsure', params: { value: unsure.trim() } };
  }
  if (kind === 'ipv4-config') {
    const r = readConfig(v);
    if (!r.ok) return r;
    const c = r.value;
    const value: AnswerValue = { kind, address: c.address, prefix: c.prefix, gateway: c.gateway, dns: c.dns };
    if (c.gatewayRef) value.gatewayRef = c.gatewayRef;
    if (c.dnsRefs) value.dnsRefs = c.dnsRefs;
    return { ...r, value };
  }
  if (kind === 'yes-no' && typeof v === 'boolean') return readYesNo(v).ok ? { ok: true, value: { kind, value: v }, ignored: [] } : { ok: false, code: 'ansEmpty' };
  if (kind === 'ipv4' && Array.isArray(v) && v.every((x) => typeof x === 'string')) return wrapAddress(readAddress(v as string[]));
  if (typeof v === 'number' && kind !== 'ipv4') return { ok: false, code: kind === 'yes-no' ? 'ansYesNoUnknown' : 'ansMethodUnknown', params: { value: String(v) } };
  if (typeof v !== 'string') {
    const text = typeof v === 'number' ? String(v) : undefined;
    if (text === undefined) return { ok: false, code: 'ansScalarExpected', params: { actual: typeWord(v) } };
    v = text;
  }
  const s = v as string;
  if (kind === 'yes-no') return mapValue(readYesNo(s), (value) => ({ kind, value }));
  if (kind === 'config-method') return mapValue(readMethod(s), (value) => ({ kind, value }));
  return wrapAddress(readAddress(s));
}

function wrapAddress(r: ReturnType<typeof readAddress>): Reading<AnswerValue> {
  return mapValue(r, (a) => {
    const value: AnswerValue = { kind: 'ipv4', value: a.value };
    if (a.ref) value.ref = a.ref;
    if (a.others) value.others = a.others;
    return value;
  });
}

function mapValue<T, U>(r: Reading<T>, f: (v: T) => U): Reading<U> {
  return r.ok ? { ...r, value: f(r.value) } : r;
}

/** A text is hostile when it could never be an answer (see text.ts). */
export const isHostile = (s: string): boolean => hostility(s) !== undefined;
