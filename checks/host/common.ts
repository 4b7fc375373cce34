// Shared by the host checks: what the task names (its network, its VMs), how they are found in
// the snapshot, and the verdict shape. Host checks gate and explain; they never score (0 points).
import type { DomainInfo, NetworkInfo, NetworkType, SpecNetwork, Verdict } from '../../grader/types.js';
import type { HostCheckContext } from '../types.js';
import { data, join, msg, type Msg, type MsgArg } from '../../grader/i18n/messages.js';
import type es from '../../grader/i18n/es/inspect.js';
import { didYouMean, hasDhcp, hostAddressOn, looseName } from '../../grader/libvirt/lookup.js';
import { externalNetwork, isExternal } from '../../grader/libvirt/attachment.js';
import { networkTypeWords } from '../../grader/libvirt/type-label.js';
import { verdict as makeVerdict, type HostVerdictInit } from '../../grader/verdict.js';

export type InspectKey = keyof typeof es;

/**
 * A message of the host checks' catalog (grader/i18n/{es,en}/inspect.ts) with its parameters:
 * the verdict keeps it and renders it in either language (grader/verdict.ts). Data stays plain.
 */
export function tr(_ctx: unknown, key: InspectKey, params?: Record<string, MsgArg>): Msg {
  return msg('inspect', key, params);
}

export { data, join, type Msg } from '../../grader/i18n/messages.js';

/** The names accepted for the task's network: the lab file's if it names one, else the spec's. */
export function wantedNetworkNames(ctx: HostCheckContext): string[] {
  const named = ctx.lab.networks[ctx.task.network];
  if (named) return [named];
  return ctx.spec.networks[ctx.task.network]?.names ?? [ctx.task.network];
}

export function specNetwork(ctx: HostCheckContext): SpecNetwork | undefined {
  return ctx.spec.networks[ctx.task.network];
}

/** The task's network on the host: the first accepted name that exists (exact names). */
export function taskNetwork(ctx: HostCheckContext): NetworkInfo | null {
  return networkFor(ctx, ctx.task.network);
}

/** Any network of the spec, by key, as found on the host (the lab file's name, else the spec's). */
export function networkFor(ctx: Pick<HostCheckContext, 'spec' | 'lab' | 'snapshot'>, key: string): NetworkInfo | null {
  const named = ctx.lab.networks[key];
  const want = ctx.spec.networks[key];
  const names = named ? [named] : (want?.names ?? [key]);
  if (want && isExternal(want)) return externalNetwork(want, names, ctx.snapshot);
  for (const name of names) {
    const n = ctx.snapshot.networks.find((x) => x.name === name);
    if (n) return n;
  }
  return null;
}

/** The name shown when the network is missing. */
export function expectedNetworkName(ctx: HostCheckContext): string {
  return wantedNetworkNames(ctx)[0] ?? ctx.task.network;
}

export function domainNameFor(ctx: HostCheckContext, role: string): string {
  return ctx.lab.vms[role]?.domain ?? ctx.spec.vms[role]?.defaultDomain ?? role;
}

export function findTaskDomain(ctx: HostCheckContext, role: string): DomainInfo | null {
  const name = domainNameFor(ctx, role);
  return ctx.snapshot.domains.find((d) => d.name === name) ?? null;
}

/** Every domain name on the host (also those not inspected). */
export function allDomainNames(ctx: HostCheckContext): string[] {
  return ctx.snapshot.domainNames ?? ctx.snapshot.domains.map((d) => d.name);
}

/** Candidates that look like `name`, loosely equal ones first. */
export function suggestions(name: string, candidates: readonly string[], alsoLike: readonly string[] = []): string[] {
  const out = didYouMean(name, candidates);
  for (const other of alsoLike) for (const c of didYouMean(other, candidates)) if (!out.includes(c)) out.push(c);
  // A candidate equal up to case/dashes/underscores is the likeliest; keep it first.
  return out.sort((a, b) => Number(looseName(b) === looseName(name)) - Number(looseName(a) === looseName(name))).slice(0, 3);
}

export function typeLabel(_ctx: unknown, type: NetworkType | null): Msg {
  return networkTypeWords(type);
}

export function quoteList(items: readonly string[]): string {
  return items.length === 0 ? '-' : items.join(', ');
}

/** The same for words: a list of messages, or `-`. */
export function quoteWords(items: Msg[]): Msg {
  return items.length === 0 ? data('-') : join(items, ', ');
}

/** What the host shows about a network: "NAT, DHCP a-b, host 192.168.101.1/24". */
export function describeNetwork(ctx: unknown, n: NetworkInfo): Msg {
  const parts = [typeLabel(ctx, n.type)];
  const ranges = n.ips.filter((i) => i.family === 'ipv4').flatMap((i) => i.dhcpRanges.map((r) => `${r.start}-${r.end}`));
  const hosts = n.ips.filter((i) => i.family === 'ipv4').flatMap((i) => i.dhcpHosts);
  if (ranges.length > 0) parts.push(tr(ctx, 'desc.dhcpRange', { range: ranges.join(', ') }));
  else if (hosts.length > 0) parts.push(tr(ctx, 'desc.dhcpHosts', { count: hosts.length }));
  else parts.push(tr(ctx, 'desc.noDhcp'));
  const host = hostAddressOn(n);
  parts.push(host ? tr(ctx, 'desc.hostAddress', { address: `${host.address}/${host.prefix}` }) : tr(ctx, 'desc.noHostAddress'));
  return join(parts, ', ');
}

/** What the spec asks of a network, in the same words. */
export function describeSpecNetwork(ctx: unknown, s: SpecNetwork): Msg {
  return join([
    typeLabel(ctx, s.type),
    s.dhcp ? tr(ctx, 'desc.withDhcp') : tr(ctx, 'desc.noDhcp'),
    s.hostAddress ? tr(ctx, 'desc.withHostAddress') : tr(ctx, 'desc.noHostAddress'),
  ], ', ');
}

export { hasDhcp, hostAddressOn };

/** id `<task>.host.<check>.<subject>`; 0 points: host checks explain and gate, they do not score (grader/verdict.ts). */
export function verdict(ctx: HostCheckContext, v: Omit<HostVerdictInit, 'task' | 'lang'>): Verdict {
  return makeVerdict({ ...v, task: ctx.task.id, lang: ctx.lang });
}
