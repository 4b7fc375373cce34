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
import type {
  AddressRef,
  Answer,
  AnswerValue,
  CommandEvidence,
  Lang,
  NetworkInfo,
  Outcome,
  SpecQuestion,
  SpecTask,
  Theory,
  TheoryAddress,
  Verdict,
} from '../types.js';
import type { Observation } from '../../checks/types.js';
import { inRange, inSubnet } from '../net/ipv4.js';
import { roundPoints, verdict, writtenText } from '../verdict.js';
import type { NetworkDiagnosis } from './network.js';
import { translator } from '../i18n/translate.js';
import es from '../i18n/es/grade.js';
import en from '../i18n/en/grade.js';

const t = translator(es, en);
type Key = keyof typeof es;

export { roundPoints, writtenText };

// ------------------------------------------------------------------ rendering values

const REF_KEY: Record<AddressRef, Key> = { host: 'refHost', gateway: 'refGateway' };
const REF_WHY: Record<AddressRef, Key> = { host: 'refWhyHost', gateway: 'refWhyGateway' };

/** A named address as read: "192.168.101.1 (el host)", or why it has no address. */
function refText(ref: AddressRef, address: string | null, lang: Lang): string {
  const name = t(lang, REF_KEY[ref]);
  return address ? t(lang, 'refResolved', { address, ref: name }) : t(lang, 'refUnresolved', { ref: name, why: t(lang, REF_WHY[ref]) });
}

/** An answer as read (after resolving named addresses), in words. */
export function renderValue(v: AnswerValue | null, lang: Lang): string | null {
  if (!v) return null;
  switch (v.kind) {
    case 'config-method':
      return t(lang, v.value);
    case 'yes-no':
      return t(lang, v.value ? 'yes' : 'no');
    case 'ipv4': {
      const main = v.ref ? refText(v.ref, v.value, lang) : (v.value ?? t(lang, 'none'));
      return v.others?.length ? `${main} (${t(lang, 'alsoWritten', { list: v.others.join(', ') })})` : main;
    }
    case 'ipv4-config': {
      const addr = v.address ? `${v.address}${v.prefix !== null ? `/${v.prefix}` : ''}` : t(lang, 'none');
      const unresolved = v.unresolved ?? [];
      const gw = v.gatewayRef ? refText(v.gatewayRef, unresolved.includes(v.gatewayRef) ? null : v.gateway, lang) : (v.gateway ?? t(lang, 'noneGateway'));
      const dnsParts = v.dns.length ? [...v.dns] : [];
      for (const r of v.dnsRefs ?? []) if (unresolved.includes(r)) dnsParts.push(refText(r, null, lang));
      const named = (v.dnsRefs ?? []).filter((r) => !unresolved.includes(r)).map((r) => t(lang, REF_KEY[r]));
      const dns = dnsParts.length ? dnsParts.join(', ') + (named.length ? ` (${named.join(', ')})` : '') : t(lang, 'none');
      return `${addr}, ${t(lang, 'gatewayWord')} ${gw}, DNS ${dns}`;
    }
  }
}


// ------------------------------------------------------------------ theory

function hostAddress(net: NetworkInfo | null): string | null {
  return net?.ips.find((i) => i.family === 'ipv4')?.address ?? null;
}

/** Addresses of the task's VMs on its network, by role (for `vm:<role>` theory addresses). */
export type VmAddresses = Record<string, string[]>;
/** Domain names by role, for messages. */
export type VmNames = Record<string, string>;

function vmRole(a: TheoryAddress): string | null {
  return a.startsWith('vm:') ? a.slice(3) : null;
}

function theoryAddressText(a: TheoryAddress, net: NetworkInfo | null, lang: Lang, noneKey: 'none' | 'noneGateway' = 'none', vms: VmAddresses = {}, names: VmNames = {}): string {
  if (a === 'none') return t(lang, noneKey);
  if (a === 'any') return t(lang, 'anyValue');
  const role = vmRole(a);
  if (role !== null) {
    const addrs = vms[role] ?? [];
    const vm = names[role] ?? role;
    return addrs.length > 0 ? t(lang, 'theoryVmAddress', { role: vm, address: addrs.join(', ') }) : t(lang, 'theoryVmAddressNone', { role: vm });
  }
  const h = hostAddress(net);
  return h ? t(lang, 'theoryHostAddress', { address: h }) : t(lang, 'theoryHostAddressNone');
}

export function renderTheory(th: Theory | undefined, net: NetworkInfo | null, lang: Lang, vms: VmAddresses = {}, names: VmNames = {}): string | null {
  if (!th) return null;
  switch (th.kind) {
    case 'config-method':
      return t(lang, th.value);
    case 'yes-no':
      return t(lang, th.value ? 'yes' : 'no');
    case 'ipv4':
      return theoryAddressText(th.value, net, lang, 'none', vms, names);
    case 'ipv4-config': {
      const v4 = net?.ips.find((i) => i.family === 'ipv4');
      const ranges = v4?.dhcpRanges.map((r) => `${r.start}-${r.end}`).join(', ');
      const address =
        th.address === 'dhcp-range'
          ? t(lang, 'theoryInDhcpRange', { range: ranges || '-' })
          : th.address === 'network-subnet'
            ? t(lang, 'theoryInSubnet', { subnet: v4 ? `${v4.address}/${v4.prefix}` : '-' })
            : t(lang, 'theoryAnyAddress');
      return `${address}, ${t(lang, 'gatewayWord')} ${theoryAddressText(th.gateway, net, lang, 'noneGateway', vms, names)}, DNS ${theoryAddressText(th.dns, net, lang, 'none', vms, names)}`;
    }
  }
}

function addrHolds(a: TheoryAddress, value: string | null, net: NetworkInfo | null, vms: VmAddresses): boolean {
  if (a === 'any') return true;
  if (a === 'none') return value === null;
  const role = vmRole(a);
  if (role !== null) return value !== null && (vms[role] ?? []).includes(value);
  return value !== null && value === hostAddress(net);
}

function dnsHolds(a: TheoryAddress, dns: string[], net: NetworkInfo | null, vms: VmAddresses): boolean {
  if (a === 'any') return true;
  if (a === 'none') return dns.length === 0;
  const role = vmRole(a);
  if (role !== null) return dns.some((d) => (vms[role] ?? []).includes(d));
  return dns.includes(hostAddress(net) ?? '\0');
}

/** Does a value (observed or answered) agree with the theory? null = cannot tell. */
export function theoryHolds(th: Theory | undefined, v: AnswerValue | null, net: NetworkInfo | null, vms: VmAddresses = {}): boolean | null {
  if (!th || !v || th.kind !== v.kind) return null;
  switch (th.kind) {
    case 'config-method':
      return th.value === (v as Extract<AnswerValue, { kind: 'config-method' }>).value;
    case 'yes-no':
      return th.value === (v as Extract<AnswerValue, { kind: 'yes-no' }>).value;
    case 'ipv4':
      return addrHolds(th.value, (v as Extract<AnswerValue, { kind: 'ipv4' }>).value, net, vms);
    case 'ipv4-config': {
      const c = v as Extract<AnswerValue, { kind: 'ipv4-config' }>;
      const v4 = net?.ips.find((i) => i.family === 'ipv4');
      let address: boolean | null;
      if (th.address === 'any') address = true;
      else if (th.address === 'dhcp-range') address = c.address !== null && (v4?.dhcpRanges ?? []).some((r) => inRange(c.address!, r.start, r.end));
      else address = v4 ? c.address !== null && inSubnet(c.address, v4.address, v4.prefix) : null;
      const gateway = addrHolds(th.gateway, c.gateway, net, vms);
      const dns = dnsHolds(th.dns, c.dns, net, vms);
      if (address === false || !gateway || !dns) return false;
      return address;
    }
  }
}

// ------------------------------------------------------------------ answer vs observation

export interface Comparison {
  /** 0..1 */
  score: number;
  /** ipv4-config: names of the fields that differ. */
  wrongFields: string[];
}

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((e) => y.has(e));
}

export function compare(answer: AnswerValue, observed: AnswerValue): Comparison {
  if (answer.kind !== observed.kind) return { score: 0, wrongFields: [] };
  switch (observed.kind) {
    case 'config-method':
    case 'yes-no':
      return { score: (answer as typeof observed).value === observed.value ? 1 : 0, wrongFields: [] };
    case 'ipv4': {
      // A named address that resolved to nothing ("el host" on a network where it has none) is wrong.
      const a = answer as typeof observed;
      if (a.ref && a.value === null) return { score: 0, wrongFields: [] };
      return { score: a.value === observed.value ? 1 : 0, wrongFields: [] };
    }
    case 'ipv4-config': {
      const a = answer as typeof observed;
      const unresolved = a.unresolved ?? [];
      const gwUnresolved = a.gatewayRef !== undefined && unresolved.includes(a.gatewayRef);
      const dnsUnresolved = (a.dnsRefs ?? []).some((r) => unresolved.includes(r));
      const fields: [string, boolean][] = [
        ['address', a.address === observed.address],
        ['prefix', a.prefix === observed.prefix],
        ['gateway', !gwUnresolved && a.gateway === observed.gateway],
        ['dns', !dnsUnresolved && sameSet(a.dns, observed.dns)],
      ];
      const ok = fields.filter(([, v]) => v).length;
      return { score: ok / fields.length, wrongFields: fields.filter(([, v]) => !v).map(([k]) => k) };
    }
  }
}

// ------------------------------------------------------------------ verdict

export interface GradeArgs {
  task: SpecTask;
  question: SpecQuestion;
  role: string;
  answer: Answer | undefined;
  observation: Observation;
  theory: Theory | undefined;
  network: NetworkInfo | null;
  /** Network type words for messages, e.g. "NAT". */
  networkTitle: string;
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
  const answerText = answer ? renderValue(answer.value, lang) : null;
  const vms = a.vmAddresses ?? {};
  const theoryText = renderTheory(a.theory, a.network, lang, vms, a.vmNames ?? {});
  const parts: string[] = [];
  let outcome: Outcome;
  let score = 0;

  if (answer && answer.value === null) {
    // Unreadable: its own verdict, 0 points; every other question is graded as usual.
    outcome = 'fail';
    if (answer.unsure) {
      // The student said they did not know: never a "no", its own verdict.
      codes.add('unsure-answer');
      parts.push(t(lang, 'msgUnsure'));
    } else {
      codes.add('unreadable-answer');
      parts.push(t(lang, 'msgUnreadable', { reason: stripDot(answer.problem?.reason ?? ''), example: answer.problem?.example ?? '' }));
    }
    if (obs.value && obs.error === undefined) parts.push(t(lang, 'msgUnreadableObserved', { observed: obs.display }));
    else if (obs.error !== undefined) parts.push(obs.explanation);
  } else if (obs.error !== undefined) {
    outcome = 'error';
    codes.add('not-measured');
    parts.push(t(lang, answer ? 'msgErrorWithAnswer' : 'msgError', { answer: answerText ?? '' }));
    parts.push(obs.explanation);
  } else if (!obs.value) {
    outcome = 'fail';
    codes.add('undetermined');
    parts.push(t(lang, 'msgUndetermined', { answer: answerText ?? t(lang, 'noAnswerWord') }));
    parts.push(obs.explanation);
  } else if (!answer) {
    outcome = 'fail';
    codes.add('no-answer');
    parts.push(t(lang, 'msgNoAnswer', { observed: obs.display }));
    parts.push(obs.explanation);
  } else {
    const cmp = compare(answer.value!, obs.value);
    score = cmp.score;
    outcome = score === 1 ? 'pass' : 'fail';
    if (score === 1) parts.push(t(lang, 'msgPass', { answer: answerText ?? '' }));
    else if (score > 0) {
      parts.push(
        t(lang, 'msgPartial', {
          answer: answerText ?? '',
          observed: obs.display,
          fields: cmp.wrongFields.map((f) => t(lang, `field_${f}` as Key)).join(', '),
        }),
      );
    } else parts.push(t(lang, 'msgFail', { answer: answerText ?? '', observed: obs.display }));
    parts.push(obs.explanation);

    // Recognised mistakes, explained.
    const av = answer.value!;
    if (score < 1 && codes.has('firewall-filtered') && av.kind === 'yes-no' && !av.value) {
      codes.add('answered-no-but-link-works');
      parts.push(t(lang, 'msgFilteredAnsweredNo'));
    }
    if (score < 1 && av.kind === 'ipv4-config' && av.address) {
      const addr = av.address;
      const lease = a.staleLeases.find((l) => l.address === addr);
      if (lease) {
        codes.add('answer-is-stale-lease');
        parts.push(t(lang, 'msgAnswerIsStaleLease', { address: addr, network: lease.network }));
      }
    }
    if (score < 1 && av.kind === 'ipv4-config' && av.address && a.network && !codes.has('answer-is-stale-lease')) {
      const addr = av.address;
      const v4 = a.network.ips.find((i) => i.family === 'ipv4');
      if (v4 && !inSubnet(addr, v4.address, v4.prefix)) {
        codes.add('answer-other-network');
        const other = (a.allNetworks ?? []).find((n) => n.name !== a.network?.name && n.ips.some((i) => i.family === 'ipv4' && inSubnet(addr, i.address, i.prefix)));
        parts.push(
          other
            ? t(lang, 'msgAnswerOtherNetwork', { address: addr, network: a.network.name, subnet: `${v4.address}/${v4.prefix}`, other: other.name })
            : t(lang, 'msgAnswerOutsideSubnet', { address: addr, network: a.network.name, subnet: `${v4.address}/${v4.prefix}` }),
        );
      }
    }
    if (score < 1 && (codes.has('apipa') || codes.has('link-local-only'))) {
      parts.push(t(lang, 'msgDhcpNoServer', { network: a.network?.name ?? task.network }));
    }
  }

  // The observation against the theory for this network type.
  if (obs.value && a.theory) {
    const labOk = theoryHolds(a.theory, obs.value, a.network, vms);
    const answerOk = answer?.value ? theoryHolds(a.theory, answer.value, a.network, vms) : null;
    if (labOk === true && outcome === 'fail' && answer?.value && answerOk === false && a.theory.kind !== 'ipv4-config') {
      parts.push(t(lang, 'msgTheoryAgrees', { theory: theoryText ?? '', type: a.networkTitle }));
    }
    if (labOk === false) {
      if (outcome === 'pass') {
        codes.add('lab-contradicts-theory');
        parts.push(t(lang, 'msgLabContradictsTheory', { theory: theoryText ?? '', type: a.networkTitle }));
      } else if (answerOk === true) {
        codes.add('answer-contradicts-lab');
        parts.push(t(lang, 'msgAnswerContradictsLab', { theory: theoryText ?? '', type: a.networkTitle }));
      } else {
        codes.add('lab-contradicts-theory');
        parts.push(t(lang, 'msgObservedContradictsTheory', { theory: theoryText ?? '', type: a.networkTitle }));
      }
      if (a.diagnosis.codes.length > 0) codes.add('network-misconfigured');
      for (const c of a.diagnosis.codes) codes.add(c);
      parts.push(...a.diagnosis.messages);
    }
  }

  const hints = [...new Set([...codes].map((c) => question.hints[c]?.[lang]).filter((h): h is string => !!h))];
  return verdict({
    task: task.id,
    question,
    check: question.check,
    role,
    lang,
    outcome,
    points: score * a.maxPoints,
    maxPoints: a.maxPoints,
    studentAnswer: answerText,
    answer,
    observed: obs.value ? obs.display : null,
    theory: theoryText,
    message: parts.filter(Boolean).join(' '),
    hints,
    codes: [...codes],
    evidence: obs.evidence,
  });
}

function stripDot(s: string): string {
  return s.replace(/[.\s]+$/, '');
}

export function skipVerdict(task: SpecTask, question: SpecQuestion, role: string, maxPoints: number, answer: Answer | undefined, reason: string, code: string, lang: Lang, evidence: CommandEvidence[] = []): Verdict {
  return verdict({
    task: task.id,
    question,
    check: question.check,
    role,
    lang,
    outcome: 'skip',
    points: 0,
    maxPoints,
    studentAnswer: answer ? renderValue(answer.value, lang) : null,
    answer,
    message: reason,
    codes: [code],
    evidence,
  });
}
