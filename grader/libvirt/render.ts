// `labgrade inspect` output: what labgrade sees on the libvirt host, for students to debug their
// setup before grading. Text for people; JSON is the HostSnapshot itself.
import type { HostSnapshot, LabFile, Lang, LeaseInfo, NetworkInfo } from '../types.js';
import { translator } from '../i18n/translate.js';
import { domainStateWord } from './state-words.js';
import es from '../i18n/es/inspect.js';
import en from '../i18n/en/inspect.js';
import { didYouMean, hasDhcp, hostAddressOn } from './lookup.js';
import { networkTypeLabel } from './type-label.js';

const t = translator(es, en);

export interface LabSummary {
  networks: { key: string; name: string; found: boolean; suggestions: string[] }[];
  vms: { role: string; domain: string; found: boolean; suggestions: string[]; networks: string[] }[];
}

/** How the lab file's names map onto what exists (exact names, as the grader uses them). */
export function summarizeLab(snapshot: HostSnapshot, lab: LabFile): LabSummary {
  const netNames = snapshot.networks.map((n) => n.name);
  const domNames = snapshot.domainNames ?? snapshot.domains.map((d) => d.name);
  return {
    networks: Object.entries(lab.networks).map(([key, name]) => {
      const found = netNames.includes(name);
      return { key, name, found, suggestions: found ? [] : didYouMean(name, netNames) };
    }),
    vms: Object.entries(lab.vms).map(([role, vm]) => {
      const dom = snapshot.domains.find((d) => d.name === vm.domain);
      const found = domNames.includes(vm.domain);
      return {
        role,
        domain: vm.domain,
        found,
        suggestions: found ? [] : didYouMean(vm.domain, domNames),
        networks: dom ? [...new Set(dom.interfaces.map((i) => i.network ?? `${i.type}:${i.source || '-'}`))] : [],
      };
    }),
  };
}

/** 0 when everything could be read and every name of the lab file exists, else 1. */
export function inspectExitCode(snapshot: HostSnapshot, lab: LabSummary | null): 0 | 1 {
  if (snapshot.problems.length > 0) return 1;
  if (lab && (lab.networks.some((n) => !n.found) || lab.vms.some((v) => !v.found))) return 1;
  return 0;
}

function pad(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

function when(unix: number | undefined): string {
  return unix === undefined ? '-' : new Date(unix * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function netLine(lang: Lang, n: NetworkInfo, labKeys: string[]): string[] {
  const state = [t(lang, n.active ? 'state.active' : 'state.inactive')];
  if (!n.persistent) state.push(t(lang, 'render.transient'));
  else if (n.autostart) state.push(t(lang, 'state.autostart'));
  const host = hostAddressOn(n);
  const ranges = n.ips.filter((i) => i.family === 'ipv4').flatMap((i) => i.dhcpRanges.map((r) => `${r.start}-${r.end}`));
  const dhcp = ranges.length > 0 ? `DHCP ${ranges.join(',')}` : hasDhcp(n) ? t(lang, 'render.dhcpHostsOnly') : t(lang, 'desc.noDhcp');
  return [
    n.name,
    networkTypeLabel(lang, n.type),
    state.join(', '),
    n.bridge ? `${t(lang, 'render.bridge')} ${n.bridge}` : '-',
    host ? `${t(lang, 'render.host')} ${host.address}/${host.prefix}` : t(lang, 'desc.noHostAddress'),
    dhcp,
    labKeys.length > 0 ? `[${t(lang, 'render.labKey', { keys: labKeys.join(', ') })}]` : '',
  ];
}

function leaseNote(lang: Lang, l: LeaseInfo, snapshot: HostSnapshot): string {
  if (!l.stale) return l.domain ? l.domain : '';
  const dom = l.domain ? snapshot.domains.find((d) => d.name === l.domain) : undefined;
  const now = dom ? [...new Set(dom.interfaces.filter((i) => i.mac === l.mac).map((i) => i.network ?? i.source))].join(', ') : '';
  return dom
    ? t(lang, 'render.staleMoved', { domain: dom.name, now: now || '-' })
    : t(lang, 'render.staleGone');
}

export function renderInspectText(snapshot: HostSnapshot, lang: Lang, lab: LabFile | null = null): string {
  const out: string[] = [];
  out.push(t(lang, 'render.header', { uri: snapshot.uri, at: snapshot.takenAt }));
  if (snapshot.readOnly) out.push(t(lang, 'render.readOnly'));

  const netKeys = new Map<string, string[]>();
  for (const [k, name] of Object.entries(lab?.networks ?? {})) netKeys.set(name, [...(netKeys.get(name) ?? []), k]);
  out.push('', t(lang, 'render.networks', { count: snapshot.networks.length }));
  if (snapshot.networks.length === 0) out.push(`  ${t(lang, 'render.none')}`);
  for (const l of pad(snapshot.networks.map((n) => netLine(lang, n, netKeys.get(n.name) ?? [])))) out.push(`  ${l}`);

  const roles = new Map<string, string[]>();
  for (const [role, vm] of Object.entries(lab?.vms ?? {})) roles.set(vm.domain, [...(roles.get(vm.domain) ?? []), role]);
  const listedOnly = (snapshot.domainNames ?? []).filter((n) => !snapshot.domains.some((d) => d.name === n));
  out.push('', t(lang, 'render.domains', { count: snapshot.domains.length + listedOnly.length }));
  if (snapshot.domains.length + listedOnly.length === 0) out.push(`  ${t(lang, 'render.none')}`);
  for (const d of snapshot.domains) {
    const agent = !d.agentChannel
      ? t(lang, 'render.agentNone')
      : d.agentConnected === true
        ? t(lang, 'render.agentConnected')
        : d.agentConnected === false
          ? t(lang, 'render.agentNotConnected')
          : t(lang, 'render.agentUnknown');
    const r = roles.get(d.name);
    out.push(`  ${d.name}  ${domainStateWord(lang, d.state)}  ${agent}${r ? `  [${t(lang, 'render.labRole', { roles: r.join(', ') })}]` : ''}`);
    if (d.interfaces.length === 0) out.push(`    ${t(lang, 'render.noNics')}`);
    const rows = d.interfaces.map((i) => {
      const where = i.network
        ? i.type === 'network'
          ? `${t(lang, 'render.network')} ${i.network}`
          : `${t(lang, 'render.network')} ${i.network} (${i.type} ${i.source})`
        : `${i.type} ${i.source || '-'} (${t(lang, 'render.noLibvirtNetwork')})`;
      const extra = [i.model, i.target, i.linkState === 'down' ? t(lang, 'nic.linkDown') : undefined].filter(Boolean).join(', ');
      const lease = snapshot.leases.filter((l) => l.mac === i.mac && !l.stale).map((l) => `${l.address}/${l.prefix}`);
      return [i.mac, where, extra, lease.length > 0 ? `${t(lang, 'render.lease')} ${lease.join(', ')}` : ''];
    });
    for (const l of pad(rows)) out.push(`    ${l}`);
  }
  for (const n of listedOnly) out.push(`  ${n}  ${t(lang, 'render.notInspected')}`);

  out.push('', t(lang, 'render.leases', { count: snapshot.leases.length }));
  if (snapshot.leases.length === 0) out.push(`  ${t(lang, 'render.none')}`);
  const leaseRows = snapshot.leases.map((l) => [
    l.network,
    `${l.address}/${l.prefix}`,
    l.mac,
    l.hostname ?? '-',
    `${t(lang, 'render.expires')} ${when(l.expiryTime)}`,
    l.stale ? `${t(lang, 'render.stale')}: ${leaseNote(lang, l, snapshot)}` : leaseNote(lang, l, snapshot),
  ]);
  for (const l of pad(leaseRows)) out.push(`  ${l}`);

  if (lab) {
    const s = summarizeLab(snapshot, lab);
    out.push('', t(lang, 'render.lab', { file: lab.file }));
    for (const n of s.networks) {
      out.push(
        `  ${t(lang, n.found ? 'render.labNetworkFound' : 'render.labNetworkMissing', { key: n.key, name: n.name })}` +
          (n.suggestions.length > 0 ? ` ${t(lang, 'check.didYouMean', { names: n.suggestions.join(', ') })}` : ''),
      );
    }
    for (const v of s.vms) {
      out.push(
        `  ${t(lang, v.found ? 'render.labVmFound' : 'render.labVmMissing', { role: v.role, domain: v.domain, networks: v.networks.join(', ') || '-' })}` +
          (v.suggestions.length > 0 ? ` ${t(lang, 'check.didYouMean', { names: v.suggestions.join(', ') })}` : ''),
      );
    }
  }

  if (snapshot.problems.length > 0) {
    out.push('', t(lang, 'render.problems', { count: snapshot.problems.length }));
    for (const p of snapshot.problems) out.push(`  - ${p}`);
  }
  return `${out.join('\n')}\n`;
}
