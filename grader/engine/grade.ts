// Grades one question for one VM: the student's answer against the observation (what labgrade
// measured), then the observation against the spec's theory for the network type.
//
// Scoring rule (documented in the README, section `check`):
// - The question asks what the student observed in THEIR lab, so the answer is graded against the
//   observation. Match -> pass, full points. No match -> fail, 0 points.
// - ipv4-config is graded per field with partial credit: address, prefix, gateway and DNS servers
//   (as a set) are worth a quarter each; pass only when all four match.
// - The observation is then compared with the theory. If the answer is true of the lab but the lab
//   contradicts the theory, the answer still passes and the verdict carries
//   `lab-contradicts-theory` with what is wrong in the network (the host checks grade the lab
//   itself). If the answer matches the theory but not the lab, it fails with `answer-contradicts-lab`.
// - Could not measure -> `error`, 0 points; no answer -> fail, 0 points; skipped -> not counted.
//
// Nothing here knows an answer kind: reading, words, comparison and theory of each kind are in its
// module (grader/answers/kinds/<kind>.ts), reached through the registry grader/answers/index.ts.
import type { Answer, CommandEvidence, Lang, NetworkInfo, Outcome, SpecQuestion, SpecTask, Theory, Verdict } from '../types.js';
import type { Observation } from '../../checks/types.js';
import { compare, kindOf, mistakes, renderTheory, renderValue, theoryHolds, type TheoryContext, type VmAddresses, type VmNames } from '../answers/index.js';
import { roundPoints, verdict, writtenText } from '../verdict.js';
import type { NetworkDiagnosis } from './network.js';
import { both, join, msg, type Msg } from '../i18n/messages.js';

export { roundPoints, writtenText };
export type { VmAddresses, VmNames };

// ------------------------------------------------------------------ verdict

export interface GradeArgs {
  task: SpecTask;
  question: SpecQuestion;
  role: string;
  answer: Answer | undefined;
  observation: Observation;
  theory: Theory | undefined;
  network: NetworkInfo | null;
  /** Network type words for messages, e.g. "NAT" (the spec's title, in both languages). */
  networkTitle: Msg;
  diagnosis: NetworkDiagnosis;
  /** Addresses libvirt leases show for this VM that it does not have (stale leases). */
  staleLeases: { address: string; network: string }[];
  /** Every network of the host (to name the one an answered address belongs to). */
  allNetworks?: NetworkInfo[];
  maxPoints: number;
  lang: Lang;
  /** Addresses of the task's VMs on its network (theory `vm:<role>`). */
  vmAddresses?: VmAddresses;
  /** Their domain names, for messages. */
  vmNames?: VmNames;
}

export function gradeQuestion(a: GradeArgs): Verdict {
  const { task, question, role, answer, observation: obs, lang } = a;
  const codes = new Set<string>(obs.codes);
  const answerWords = answer?.value ? renderValue(answer.value) : null;
  const answerParam: Msg | string = answerWords ?? '';
  const observed = obs.display;
  const explanation = obs.explanation;
  const ctx: TheoryContext = { net: a.network, vms: a.vmAddresses ?? {}, names: a.vmNames ?? {} };
  const theoryWords = a.theory ? renderTheory(a.theory, ctx) : null;
  const theoryParams = { theory: theoryWords ?? '', type: a.networkTitle };
  const parts: Msg[] = [];
  let outcome: Outcome;
  let score = 0;

  if (answer && answer.value === null) {
    // Unreadable: its own verdict, 0 points; every other question is graded as usual.
    outcome = 'fail';
    if (answer.unsure) {
      // The student said they did not know: never a "no", its own verdict.
      codes.add('unsure-answer');
      parts.push(msg('grade', 'msgUnsure'));
    } else {
      codes.add('unreadable-answer');
      // The reason as a message when the loader gave one (either language), else as it was said.
      const w = answer.problemWords;
      parts.push(msg('grade', 'msgUnreadable', { reason: w?.reason ?? stripDot(answer.problem?.reason ?? ''), example: w?.example ?? answer.problem?.example ?? '' }));
    }
    if (obs.value && obs.error === undefined) parts.push(msg('grade', 'msgUnreadableObserved', { observed }));
    else if (obs.error !== undefined) parts.push(explanation);
  } else if (obs.error !== undefined) {
    outcome = 'error';
    codes.add('not-measured');
    parts.push(msg('grade', answer ? 'msgErrorWithAnswer' : 'msgError', { answer: answerParam }));
    parts.push(explanation);
  } else if (!obs.value) {
    outcome = 'fail';
    codes.add('undetermined');
    parts.push(msg('grade', 'msgUndetermined', { answer: answerWords ?? msg('grade', 'noAnswerWord') }));
    parts.push(explanation);
  } else if (!answer) {
    outcome = 'fail';
    codes.add('no-answer');
    parts.push(msg('grade', 'msgNoAnswer', { observed }));
    parts.push(explanation);
  } else {
    const cmp = compare(answer.value!, obs.value);
    score = cmp.score;
    outcome = score === 1 ? 'pass' : 'fail';
    if (score === 1) parts.push(msg('grade', 'msgPass', { answer: answerParam }));
    else if (score > 0) {
      parts.push(msg('grade', 'msgPartial', { answer: answerParam, observed, fields: join(cmp.wrongFields.map((f) => msg('grade', `field_${f}`)), ', ') }));
    } else parts.push(msg('grade', 'msgFail', { answer: answerParam, observed }));
    parts.push(explanation);

    // Recognised mistakes of the answer's kind, explained.
    if (score < 1) {
      const m = mistakes(answer.value!, { codes, staleLeases: a.staleLeases, network: a.network, allNetworks: a.allNetworks ?? [] });
      for (const c of m.codes) codes.add(c);
      parts.push(...m.words);
    }
    if (score < 1 && (codes.has('apipa') || codes.has('link-local-only'))) {
      parts.push(msg('grade', 'msgDhcpNoServer', { network: a.network?.name ?? task.network }));
    }
  }

  // The observation against the theory for this network type.
  if (obs.value && a.theory) {
    const labOk = theoryHolds(a.theory, obs.value, ctx);
    const answerOk = answer?.value ? theoryHolds(a.theory, answer.value, ctx) : null;
    if (labOk === true && outcome === 'fail' && answer?.value && answerOk === false && kindSaysTheoryAgrees(a.theory)) {
      parts.push(msg('grade', 'msgTheoryAgrees', theoryParams));
    }
    if (labOk === false) {
      if (outcome === 'pass') {
        codes.add('lab-contradicts-theory');
        parts.push(msg('grade', 'msgLabContradictsTheory', theoryParams));
      } else if (answerOk === true) {
        codes.add('answer-contradicts-lab');
        parts.push(msg('grade', 'msgAnswerContradictsLab', theoryParams));
      } else {
        codes.add('lab-contradicts-theory');
        parts.push(msg('grade', 'msgObservedContradictsTheory', theoryParams));
      }
      if (a.diagnosis.codes.length > 0) codes.add('network-misconfigured');
      for (const c of a.diagnosis.codes) codes.add(c);
      parts.push(...a.diagnosis.messages);
    }
  }

  // The spec's hints of the codes recognised, each once (both languages of each).
  const seen = new Set<string>();
  const hints: Msg[] = [];
  for (const c of codes) {
    const h = question.hints[c];
    if (!h || !h[lang] || seen.has(h[lang])) continue;
    seen.add(h[lang]);
    hints.push(both(h.es, h.en));
  }
  return verdict({
    task: task.id,
    question,
    check: question.check,
    role,
    lang,
    outcome,
    points: score * a.maxPoints,
    maxPoints: a.maxPoints,
    studentAnswer: answerWords,
    answer,
    observed: obs.value ? obs.display : null,
    theory: theoryWords,
    message: join(parts),
    hints,
    codes: [...codes],
    evidence: obs.evidence,
  });
}

function kindSaysTheoryAgrees(th: Theory): boolean {
  return kindOf(th.kind).saysTheoryAgrees;
}

function stripDot(s: string): string {
  return s.replace(/[.\s]+$/, '');
}

export function skipVerdict(task: SpecTask, question: SpecQuestion, role: string, maxPoints: number, answer: Answer | undefined, reason: Msg, code: string, lang: Lang, evidence: CommandEvidence[] = []): Verdict {
  return verdict({
    task: task.id,
    question,
    check: question.check,
    role,
    lang,
    outcome: 'skip',
    points: 0,
    maxPoints,
    studentAnswer: answer?.value ? renderValue(answer.value) : null,
    answer,
    message: reason,
    codes: [code],
    evidence,
  });
}
