// `labgrade inspect` output (registered in reports/index.ts): what labgrade sees on the libvirt host,
// for students to debug their setup before grading. Text for people; JSON is the HostSnapshot itself.
import type { HostSnapshot, LabFile, Lang, LeaseInfo, NetworkInfo } from '../grader/types.js';
import { translator } from '../grader/i18n/translate.js';
import es from '../grader/i18n/es/inspect.js';
import en from '../grader/i18n/en/inspect.js';
import { hasDhcp, hostAddressOn } from '../grader/libvirt/lookup.js';
import { defineRenderer } from './types.js';
import { summarizeLab } from '../grader/libvirt/lab-summary.js';
import { networkTypeLabel } from '../grader/libvirt/type-label.js';
import { domainStateWord } from '../grader/libvirt/state-words.js';

const t = translator(es, en);

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

export const inspectText = defineRenderer<HostSnapshot, { lang: Lang; lab?: LabFile | null }, 'text'>('text', 'txt', 'text/plain; charset=utf-8', (snapshot, { lang, lab = null }) => {
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
});

export const inspectJson = defineRenderer<HostSnapshot, object, 'json'>('json', 'json', 'application/json', (snapshot) => JSON.stringify(snapshot, null, 2));
