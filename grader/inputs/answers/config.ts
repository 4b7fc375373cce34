// An IPv4 configuration as students write it: free text ("IP 192.168.101.218/24, gw .1, dns
// 192.168.101.1"), one field per line, a map { address, gateway, dns } whose values are free text
// themselves, or pasted `ipconfig [/all]`, `ip a`, `ip r`, `nmcli dev show` output.
import type { AddressRef, AnswerValue } from '../../types.js';
import { configField, isNone, parseIpv4 } from '../parse-answer.js';
import { scanFields, type Field, type Scan } from './fields.js';
import { hostility, reportIgnored, type Problem, type Reading } from './text.js';

/** The ipv4-config answer as read, before the engine resolves named addresses (`unresolved`). */
export type ConfigReading = Omit<Extract<AnswerValue, { kind: 'ipv4-config' }>, 'kind' | 'unresolved'>;

const FIELD_OF: Record<string, Field> = { address: 'address', netmask: 'mask', prefix: 'mask', gateway: 'gateway', dns: 'dns' };

function merge(into: Scan, s: Scan): void {
  for (const a of s.address) if (!into.address.includes(a)) into.address.push(a);
  into.prefixes.push(...s.prefixes);
  into.badMasks.push(...s.badMasks);
  for (const g of s.gateway) if (!into.gateway.includes(g)) into.gateway.push(g);
  for (const d of s.dns) if (!into.dns.includes(d)) into.dns.push(d);
  for (const n of s.none) into.none.add(n);
  into.refs.gateway ??= s.refs.gateway;
  into.refs.dns.push(...s.refs.dns);
  into.stray.push(...s.stray);
  into.badShort.push(...s.badShort);
  into.invalid.push(...s.invalid);
  into.ignored.push(...s.ignored);
  into.pasted ??= s.pasted;
}

function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) return v.join(', ');
  return undefined;
}

/** Reads a configuration given as text, or as a map of fields (keys in English or Spanish). */
export function readConfig(input: unknown): Reading<ConfigReading> {
  if (typeof input === 'string' || typeof input === 'number') return fromText(String(input));
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, code: 'ansConfigShape' };
  const total: Scan = scanFields('');
  for (const [k, v] of Object.entries(input as Record<string, unknown>)) {
    const f = configField(k);
    if (!f) return { ok: false, code: 'ansConfigUnknownField', params: { key: k } };
    if (v === null || v === undefined) continue;
    const text = textOf(v);
    if (text === undefined) return { ok: false, code: 'ansScalarExpected', params: { expected: f, actual: Array.isArray(v) ? 'list' : typeof v } };
    const hostile = hostility(text);
    if (hostile) return { ok: false, ...hostile };
    if (text.trim() === '') continue;
    const field = FIELD_OF[f]!;
    if (isNone(text)) {
      total.none.add(field);
      continue;
    }
    merge(total, scanFields(text, field));
  }
  return fromScan(total);
}

function fromText(text: string): Reading<ConfigReading> {
  const hostile = hostility(text);
  if (hostile) return { ok: false, ...hostile };
  if (text.trim() === '') return { ok: false, code: 'ansEmpty' };
  if (isNone(text)) return { ok: true, value: { address: null, prefix: null, gateway: null, dns: [] }, ignored: [] };
  return fromScan(scanFields(text));
}

function fromScan(s: Scan): Reading<ConfigReading> {
  const problem = (p: Problem): Reading<ConfigReading> => ({ ok: false, ...p });
  for (const v of s.invalid) {
    const r = parseIpv4(v.replace(/\/.*$/, ''));
    if (!r.ok) return problem({ code: r.error, ...(r.params ? { params: r.params } : {}) });
    return problem({ code: 'ansIpv4Invalid', params: { value: v } });
  }
  if (s.badMasks.length > 0) {
    const m = s.badMasks[0]!;
    return problem(m.includes('.') ? { code: 'ansNetmaskNotContiguous', params: { value: m } } : { code: 'ansPrefixRange', params: { value: m.replace(/^\//, '') } });
  }
  if (s.badShort.length > 0) return problem({ code: 'ansShortNoAddress', params: { value: s.badShort[0]! } });
  if (s.address.length > 1) return problem({ code: 'ansSeveral', params: { field: 'address', values: s.address.join(', ') } });
  if (s.gateway.length > 1) return problem({ code: 'ansSeveral', params: { field: 'gateway', values: s.gateway.join(', ') } });
  if ((s.gateway.length > 0 || s.refs.gateway) && s.none.has('gateway')) return problem({ code: 'ansSeveral', params: { field: 'gateway', values: [s.gateway[0] ?? s.refs.gateway, 'none'].join(', ') } });
  const prefixes = [...new Set(s.prefixes.map((p) => p.value))];
  if (prefixes.length > 1) return problem({ code: 'ansPrefixConflict', params: { a: String(prefixes[0]), b: String(prefixes[1]) } });
  const addressNone = s.none.has('address') || s.none.has('all');
  if (s.address.length === 0 && !addressNone) {
    const anything = s.gateway.length > 0 || s.dns.length > 0 || prefixes.length > 0;
    return problem({ code: anything ? 'ansConfigNoAddress' : 'ansConfigUnknown' });
  }
  const value: ConfigReading = {
    address: s.address[0] ?? null,
    prefix: prefixes[0] ?? null,
    gateway: s.gateway[0] ?? null,
    dns: s.none.has('dns') && s.dns.length === 0 ? [] : [...s.dns],
  };
  if (s.refs.gateway && value.gateway === null) value.gatewayRef = s.refs.gateway;
  if (s.refs.dns.length > 0) {
    // "dns: la puerta de enlace" with the gateway written in the same answer is that address.
    const refs: AddressRef[] = [];
    for (const r of s.refs.dns) {
      if (r === 'gateway' && value.gateway) {
        if (!value.dns.includes(value.gateway)) value.dns.push(value.gateway);
      } else if (!refs.includes(r)) refs.push(r);
    }
    if (refs.length > 0) value.dnsRefs = refs;
  }
  const ignored = [...s.ignored, ...(s.pasted ? [] : s.stray)];
  const out: Reading<ConfigReading> = { ok: true, value, ignored: reportIgnored(ignored) };
  return s.pasted ? { ...out, pasted: s.pasted } : out;
}
