// The ipv4-config kind: address, prefix, gateway and DNS servers, graded per field.
// An IPv4 configuration as students write it: free text ("IP 192.168.101.218/24, gw .1, dns
// 192.168.101.1"), one field per line, a map { address, gateway, dns } whose values are free text
// themselves, or pasted `ipconfig [/all]`, `ip a`, `ip r`, `nmcli dev show` output.
import type { AddressRef, AnswerValue } from '../../types.js';
import { configField, isNone, parseIpv4 } from '../../inputs/parse-answer.js';
import { scanFields, type Field, type Scan } from '../../inputs/answers/fields.js';
import { hostility, reportIgnored, type Problem, type Reading } from '../../inputs/answers/text.js';
import { inRange, inSubnet } from '../../net/ipv4.js';
import { data, join, msg, type Msg } from '../../i18n/messages.js';
import { mapReading, type AnswerKindModule, type ValueOf } from '../kind.js';
import { addrHolds, addressOrNone, dnsHolds, refName, refText, theoryAddressText } from '../addresses.js';

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

// ------------------------------------------------------------------ the kind

function sameSet(a: string[], b: string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((e) => y.has(e));
}

/** A configuration in words: "192.168.101.218/24, puerta de enlace 192.168.101.1, DNS 192.168.101.1". */
export function configWords(address: Msg, gateway: Msg, dns: Msg): Msg {
  return msg('grade', 'valueConfig', { address, gateway, dns });
}

export const ipv4ConfigKind: AnswerKindModule<'ipv4-config'> = {
  kind: 'ipv4-config',
  read(v) {
    return mapReading(readConfig(v), (c) => {
      const value: ValueOf<'ipv4-config'> = { kind: 'ipv4-config', address: c.address, prefix: c.prefix, gateway: c.gateway, dns: c.dns };
      if (c.gatewayRef) value.gatewayRef = c.gatewayRef;
      if (c.dnsRefs) value.dnsRefs = c.dnsRefs;
      return value;
    });
  },
  render(v) {
    const addr = v.address ? data(`${v.address}${v.prefix !== null ? `/${v.prefix}` : ''}`) : msg('grade', 'none');
    const unresolved = v.unresolved ?? [];
    const gw = v.gatewayRef ? refText(v.gatewayRef, unresolved.includes(v.gatewayRef) ? null : v.gateway) : addressOrNone(v.gateway, 'noneGateway');
    const dnsParts: Msg[] = v.dns.map(data);
    for (const r of v.dnsRefs ?? []) if (unresolved.includes(r)) dnsParts.push(refText(r, null));
    const named = (v.dnsRefs ?? []).filter((r) => !unresolved.includes(r)).map(refName);
    const list = join(dnsParts, ', ');
    const dns = dnsParts.length ? (named.length ? msg('grade', 'valueNamed', { list, names: join(named, ', ') }) : list) : msg('grade', 'none');
    return configWords(addr, gw, dns);
  },
  compare(answer, observed) {
    const unresolved = answer.unresolved ?? [];
    const gwUnresolved = answer.gatewayRef !== undefined && unresolved.includes(answer.gatewayRef);
    const dnsUnresolved = (answer.dnsRefs ?? []).some((r) => unresolved.includes(r));
    const fields: [string, boolean][] = [
      ['address', answer.address === observed.address],
      ['prefix', answer.prefix === observed.prefix],
      ['gateway', !gwUnresolved && answer.gateway === observed.gateway],
      ['dns', !dnsUnresolved && sameSet(answer.dns, observed.dns)],
    ];
    const ok = fields.filter(([, x]) => x).length;
    return { score: ok / fields.length, wrongFields: fields.filter(([, x]) => !x).map(([k]) => k) };
  },
  renderTheory(th, ctx) {
    const v4 = ctx.net?.ips.find((i) => i.family === 'ipv4');
    const ranges = v4?.dhcpRanges.map((r) => `${r.start}-${r.end}`).join(', ');
    const address =
      th.address === 'dhcp-range'
        ? msg('grade', 'theoryInDhcpRange', { range: ranges || '-' })
        : th.address === 'network-subnet'
          ? msg('grade', 'theoryInSubnet', { subnet: v4 ? `${v4.address}/${v4.prefix}` : '-' })
          : msg('grade', 'theoryAnyAddress');
    return configWords(address, theoryAddressText(th.gateway, ctx, 'noneGateway'), theoryAddressText(th.dns, ctx));
  },
  theoryHolds(th, c, ctx) {
    const v4 = ctx.net?.ips.find((i) => i.family === 'ipv4');
    let address: boolean | null;
    if (th.address === 'any') address = true;
    else if (th.address === 'dhcp-range') address = c.address !== null && (v4?.dhcpRanges ?? []).some((r) => inRange(c.address!, r.start, r.end));
    else address = v4 ? c.address !== null && inSubnet(c.address, v4.address, v4.prefix) : null;
    const gateway = addrHolds(th.gateway, c.gateway, ctx.net, ctx.vms);
    const dns = dnsHolds(th.dns, c.dns, ctx.net, ctx.vms);
    if (address === false || !gateway || !dns) return false;
    return address;
  },
  // Graded per field: the theory speaks of the whole configuration, not of the fields that differ.
  saysTheoryAgrees: false,
  mistakes(answer, ctx) {
    const codes: string[] = [];
    const words: Msg[] = [];
    const addr = answer.address;
    if (!addr) return { codes, words };
    // An address libvirt still leases to this VM, which it no longer has.
    const lease = ctx.staleLeases.find((l) => l.address === addr);
    if (lease) {
      codes.push('answer-is-stale-lease');
      words.push(msg('grade', 'msgAnswerIsStaleLease', { address: addr, network: lease.network }));
    }
    const net = ctx.network;
    if (net && !ctx.codes.has('answer-is-stale-lease') && !lease) {
      const v4 = net.ips.find((i) => i.family === 'ipv4');
      if (v4 && !inSubnet(addr, v4.address, v4.prefix)) {
        codes.push('answer-other-network');
        const other = ctx.allNetworks.find((n) => n.name !== net.name && n.ips.some((i) => i.family === 'ipv4' && inSubnet(addr, i.address, i.prefix)));
        const subnet = `${v4.address}/${v4.prefix}`;
        words.push(
          other
            ? msg('grade', 'msgAnswerOtherNetwork', { address: addr, network: net.name, subnet, other: other.name })
            : msg('grade', 'msgAnswerOutsideSubnet', { address: addr, network: net.name, subnet }),
        );
      }
    }
    return { codes, words };
  },
};
