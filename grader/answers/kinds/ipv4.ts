// The ipv4 kind: one address.
// One address (which DNS server the VM uses): "192.168.101.1", "ninguno", "el host", "la puerta
// de enlace", "192.168.101.1 y 8.8.8.8" (the first is the answer, the rest shown beside it), or
// the "Servidores DNS" line of a pasted ipconfig /all, nmcli's IP4.DNS, resolv.conf.
import type { AddressRef } from '../../types.js';
import { isNone, parseIpv4 } from '../../inputs/parse-answer.js';
import { scanFields } from '../../inputs/answers/fields.js';
import { hostility, reportIgnored, type Reading } from '../../inputs/answers/text.js';
import { msg } from '../../i18n/messages.js';
import { mapReading, notScalar, type AnswerKindModule, type ValueOf } from '../kind.js';
import { addrHolds, addressOrNone, refText, theoryAddressText } from '../addresses.js';

export interface AddressReading {
  value: string | null;
  ref?: AddressRef;
  others?: string[];
}

export function readAddress(input: string | readonly string[]): Reading<AddressReading> {
  const text = typeof input === 'string' ? input : input.join(', ');
  const hostile = hostility(text);
  if (hostile) return { ok: false, ...hostile };
  if (text.trim() === '') return { ok: false, code: 'ansEmpty' };
  if (isNone(text)) return { ok: true, value: { value: null }, ignored: [] };
  const s = scanFields(text, 'dns');
  for (const v of s.invalid) {
    const r = parseIpv4(v.replace(/\/.*$/, ''));
    return { ok: false, code: r.ok ? 'ansIpv4Invalid' : r.error, params: { value: v } };
  }
  // "El DNS es la puerta de enlace: 192.168.101.1": an address written under another label is
  // the answer when it is the only one.
  const elsewhere = [...new Set([...s.address, ...s.gateway])];
  const list = s.dns.length > 0 ? s.dns : elsewhere.length === 1 ? elsewhere : [];
  const ignored = reportIgnored([...s.ignored, ...(s.pasted ? [] : s.stray)]);
  const pasted = s.pasted ? { pasted: s.pasted } : {};
  if (list.length > 0) {
    const value: AddressReading = { value: list[0]! };
    if (list.length > 1) value.others = list.slice(1);
    return { ok: true, value, ignored, ...pasted };
  }
  if (s.refs.dns.length > 1) return { ok: false, code: 'ansSeveral', params: { field: 'dns', values: s.refs.dns.join(', ') } };
  if (s.refs.dns.length === 1) return { ok: true, value: { value: null, ref: s.refs.dns[0]! }, ignored, ...pasted };
  if (s.none.has('dns') || s.none.has('all')) return { ok: true, value: { value: null }, ignored, ...pasted };
  if (elsewhere.length > 1) return { ok: false, code: 'ansSeveral', params: { field: 'dns', values: elsewhere.join(', ') } };
  return { ok: false, code: 'ansAddressUnknown', params: { value: text.trim().slice(0, 80) } };
}

// ------------------------------------------------------------------ the kind

function fromAddress(a: AddressReading): ValueOf<'ipv4'> {
  const value: ValueOf<'ipv4'> = { kind: 'ipv4', value: a.value };
  if (a.ref) value.ref = a.ref;
  if (a.others) value.others = a.others;
  return value;
}

export const ipv4Kind: AnswerKindModule<'ipv4'> = {
  kind: 'ipv4',
  read(v) {
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return mapReading(readAddress(v as string[]), fromAddress);
    if (typeof v === 'number') v = String(v);
    if (typeof v !== 'string') return notScalar(v);
    return mapReading(readAddress(v), fromAddress);
  },
  render(v) {
    const main = v.ref ? refText(v.ref, v.value) : addressOrNone(v.value);
    return v.others?.length ? msg('grade', 'valueAlsoWritten', { value: main, list: v.others.join(', ') }) : main;
  },
  compare(answer, observed) {
    // A named address that resolved to nothing ("el host" on a network where it has none) is wrong.
    if (answer.ref && answer.value === null) return { score: 0, wrongFields: [] };
    return { score: answer.value === observed.value ? 1 : 0, wrongFields: [] };
  },
  renderTheory: (th, ctx) => theoryAddressText(th.value, ctx),
  theoryHolds: (th, v, ctx) => addrHolds(th.value, v.value, ctx.net, ctx.vms),
  saysTheoryAgrees: true,
};
