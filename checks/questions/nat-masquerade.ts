// nat-masquerade: does the guest translate (MASQUERADE/SNAT) traffic from `source` leaving by its
// NIC on network `out_network`, now and, when `persistent` (default), in the rules restored at
// boot (`saved_files`, default /etc/iptables/rules.v4 and /etc/nftables.conf)? A rule without an
// output interface or source covers every one. Reading the running rules needs root.
import type { MeasurementError, NatRule, NetworkInfo } from '../../grader/types.js';
import type { Observation, QuestionCheck } from '../types.js';
import { SAVED_FILE } from '../../grader/facts/needs.js';
import { networkFor } from '../host/common.js';
import { nicOn } from '../../grader/libvirt/attachment.js';
import { paramsFor, readParams, tc, type ParamRules } from './params.js';
import { data, domainOf, guestLabel, inSubnet, join, measurementWords, normMac, tr, onMeasuredGuest, yesNo, evidenceOf, type Msg } from './util.js';

const CIDR = /^(\d{1,3}\.){3}\d{1,3}(\/([0-9]|[12][0-9]|3[0-2]))?$/;
const DEFAULT_FILES = ['/etc/iptables/rules.v4', '/etc/nftables.conf'];

const RULES: ParamRules = {
  out_network: { type: 'network', what: 'whatNetworkKey', required: true },
  source: { type: 'string', pattern: CIDR, what: 'whatCidr', required: false },
  persistent: { type: 'boolean', required: false, default: true },
  saved_files: { type: 'files', pattern: SAVED_FILE, what: 'whatFiles', default: DEFAULT_FILES },
};

function cidr(s: string): { net: string; prefix: number } {
  const [net, p] = s.split('/');
  return { net: net!, prefix: p === undefined ? 32 : Number(p) };
}

/** Does a rule's source cover the wanted source network? (null rule source = any.) */
export function sourceCovers(rule: string | null, want: string | undefined): boolean {
  if (rule === null) return true;
  if (want === undefined) return false;
  const neg = rule.startsWith('!');
  const body = neg ? rule.slice(1) : rule;
  if (!CIDR.test(body)) return false;
  const r = cidr(body);
  const w = cidr(want);
  // `! -s X` covers the wanted network when the two do not overlap at all.
  if (neg) return !inSubnet(w.net, r.net, Math.min(r.prefix, w.prefix));
  return r.prefix <= w.prefix && inSubnet(w.net, r.net, r.prefix);
}

/** `-o enp7s0`, `-o enp+` (iptables prefix), `! -o lo`; null = any interface. */
export function interfaceMatches(rule: string | null, iface: string): boolean {
  if (rule === null) return true;
  const neg = rule.startsWith('!');
  const body = neg ? rule.slice(1) : rule;
  const hit = body.endsWith('+') ? iface.startsWith(body.slice(0, -1)) : body === iface;
  return neg ? !hit : hit;
}

export function ruleMatches(r: NatRule, iface: string, source: string | undefined): boolean {
  return interfaceMatches(r.outInterface, iface) && sourceCovers(r.source, source);
}

export const natMasquerade: QuestionCheck = onMeasuredGuest({
  name: 'nat-masquerade',
  kind: 'yes-no',
  validateParams: (params, ctx) => readParams(RULES, params, ctx).problems,
  needs(q) {
    const files = Array.isArray(q.params?.saved_files) ? (q.params.saved_files as unknown[]).filter((f): f is string => typeof f === 'string' && SAVED_FILE.test(f)) : DEFAULT_FILES;
    return [{ kind: 'nat', savedFiles: files }];
  },
  observe(ctx, facts) {
    const p = paramsFor(ctx, RULES, 'nat-masquerade');
    if ('observation' in p) return p.observation;
    const outKey = p.values.out_network as string;
    const source = p.values.source as string | undefined;
    const persistent = p.values.persistent as boolean;
    const files = p.values.saved_files as string[];
    const guest = guestLabel(facts);
    const evidence = evidenceOf(facts, facts.nat?.evidence);
    const fail = (error: Msg, codes = ['nat-not-measured']): Observation => ({ value: null, display: tr(ctx, 'displayUnknown'), codes, explanation: error, evidence, error });
    // "Could not measure": the command, what happened and the fix, all in the report's language.
    const notMeasured = (err: MeasurementError, what: 'whatNatLive' | 'whatNatSaved', before: Msg[] = []): Observation =>
      fail(join([...before, measurementWords(err, tc(what, {}), guest)]), ['nat-not-measured', `not-measured-${err.cause}`]);
    const no = (codes: string[], parts: Msg[]): Observation => ({ value: { kind: 'yes-no', value: false }, display: yesNo(ctx, false), codes, explanation: join(parts), evidence });

    // The output interface: the guest's interface with the MAC of its NIC on out_network.
    const net: NetworkInfo | null = networkFor(ctx, outKey);
    const netName = net?.name ?? ctx.lab.networks[outKey] ?? ctx.spec.networks[outKey]?.names[0] ?? outKey;
    const dom = ctx.snapshot.domains.find((d) => d.name === domainOf(ctx, ctx.role));
    const nics = net && dom ? dom.interfaces.filter((i) => nicOn(i, net)) : [];
    if (nics.length === 0) return no(['nat-no-nic', 'vm-nic-missing'], [tc('natNoNic', { guest, network: netName })]);
    const macs = nics.map((i) => normMac(i.mac));
    const interfaces = facts.config.interfaces;
    if (!interfaces.ok) return fail(measurementWords(interfaces.error, tr(ctx, 'what_interfaces'), guest), ['nat-not-measured', `not-measured-${interfaces.error.cause}`]);
    const iface = interfaces.value.find((i) => macs.includes(normMac(i.mac)))?.name;
    if (!iface) return fail(tc('natNoNicMeasured', { guest, network: netName, mac: macs.join(', ') }));

    const nat = facts.nat;
    if (!nat) return fail(tc('natNotMeasured', { guest }));
    if (!nat.live.ok) return notMeasured(nat.live.error, 'whatNatLive');
    const src = source ?? tc('anySource', {});
    const live = nat.live.value.find((r) => ruleMatches(r, iface, source));
    const parts: Msg[] = [];
    const codes: string[] = [];
    if (live) parts.push(tc('natLiveOk', { guest, source: src, iface, network: netName, rule: live.text }));
    else {
      parts.push(tc('natLiveMissing', { guest, source: src, iface, network: netName }));
      codes.push('nat-missing');
      const wrongIf = nat.live.value.find((r) => !interfaceMatches(r.outInterface, iface) && sourceCovers(r.source, source));
      const wrongSrc = nat.live.value.find((r) => interfaceMatches(r.outInterface, iface) && !sourceCovers(r.source, source));
      if (wrongIf) {
        codes.push('nat-wrong-interface');
        parts.push(tc('natWrongInterface', { other: wrongIf.outInterface!, iface, network: netName, rule: wrongIf.text }));
      } else if (wrongSrc) {
        codes.push('nat-wrong-source');
        parts.push(tc('natWrongSource', { iface, other: wrongSrc.source ?? '-', source: src, rule: wrongSrc.text }));
      }
    }
    if (!persistent) return live ? { value: { kind: 'yes-no', value: true }, display: yesNo(ctx, true), codes, explanation: join(parts), evidence } : no(codes, parts);
    if (!nat.saved.ok) {
      if (!live) return no(codes, parts);
      return notMeasured(nat.saved.error, 'whatNatSaved', parts);
    }
    const saved = nat.saved.value.find((f) => (f.rules ?? []).some((r) => ruleMatches(r, iface, source)));
    if (saved) parts.push(tc('natSavedOk', { file: saved.file }));
    else {
      codes.push('nat-not-persistent');
      const missing = nat.saved.value.filter((f) => f.rules === null).map((f) => tc('natFileMissing', { file: f.file }));
      parts.push(tc(files.length === 1 ? 'natSavedMissingOne' : 'natSavedMissing', { files: join([data(files.join(', ')), ...missing], '; ') }));
    }
    const value = !!live && !!saved;
    return value ? { value: { kind: 'yes-no', value }, display: yesNo(ctx, value), codes, explanation: join(parts), evidence } : no(codes, parts);
  },
});
