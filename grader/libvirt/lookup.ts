// Lookups over a HostSnapshot that the checks, transports and the CLI share.
import type { DomainInfo, DomainInterface, HostSnapshot, LeaseInfo, NetworkInfo } from '../types.js';
import { normalizeMac } from './mac.js';
import { byText } from '../util/compare.js';

/** Names compared loosely: case, dashes, underscores, dots and spaces ignored. */
export function looseName(s: string): string {
  return s.toLowerCase().replace(/[-_.\s]/g, '');
}

export interface NetworkMatch {
  network: NetworkInfo;
  /** The wanted name that matched. */
  wanted: string;
  /** false when matched only loosely (e.g. `red_nat` for `red-nat`). */
  exact: boolean;
}

/** The first network whose name is one of `names` (in order), exactly; else loosely. */
export function findNetworkMatch(snapshot: HostSnapshot, names: readonly string[]): NetworkMatch | null {
  for (const wanted of names) {
    const n = snapshot.networks.find((x) => x.name === wanted);
    if (n) return { network: n, wanted, exact: true };
  }
  for (const wanted of names) {
    const w = looseName(wanted);
    const hits = snapshot.networks.filter((x) => looseName(x.name) === w);
    if (hits.length === 1) return { network: hits[0]!, wanted, exact: false };
  }
  return null;
}

export function findNetwork(snapshot: HostSnapshot, names: readonly string[]): NetworkInfo | null {
  return findNetworkMatch(snapshot, names)?.network ?? null;
}

/** The domain by name: exactly, else loosely when that is unambiguous. */
export function findDomain(snapshot: HostSnapshot, name: string): DomainInfo | null {
  const exact = snapshot.domains.find((d) => d.name === name);
  if (exact) return exact;
  const w = looseName(name);
  const hits = snapshot.domains.filter((d) => looseName(d.name) === w);
  return hits.length === 1 ? hits[0]! : null;
}

/** The network a NIC is on (bridge-type NICs were mapped to the bridge's network), or null. */
export function networkOfInterface(snapshot: HostSnapshot, iface: DomainInterface): NetworkInfo | null {
  if (!iface.network) return null;
  return snapshot.networks.find((n) => n.name === iface.network) ?? null;
}

/** The domain's NICs on a network. */
export function interfacesOn(domain: DomainInfo, network: string): DomainInterface[] {
  return domain.interfaces.filter((i) => i.network === network);
}

/**
 * Leases for a MAC (any spelling), current ones first, then by expiry (latest first).
 * Stale leases are included only with `includeStale` (they are history, not the guest's address).
 */
export function leasesFor(snapshot: HostSnapshot, mac: string, opts: { includeStale?: boolean; network?: string } = {}): LeaseInfo[] {
  const m = normalizeMac(mac);
  if (!m) return [];
  return snapshot.leases
    .filter((l) => l.mac === m && (opts.includeStale || !l.stale) && (!opts.network || l.network === opts.network))
    .sort((a, b) => Number(a.stale ?? false) - Number(b.stale ?? false) || (b.expiryTime ?? 0) - (a.expiryTime ?? 0));
}

/** The host's IPv4 address on the network's bridge (its first IPv4 <ip>), or null (very isolated). */
export function hostAddressOn(network: NetworkInfo): { address: string; prefix: number } | null {
  const ip = network.ips.find((i) => i.family === 'ipv4');
  return ip ? { address: ip.address, prefix: ip.prefix } : null;
}

/** The network hands out IPv4 addresses (a DHCP range or static DHCP hosts). */
export function hasDhcp(network: NetworkInfo): boolean {
  return network.ips.some((i) => i.family === 'ipv4' && (i.dhcpRanges.length > 0 || i.dhcpHosts.length > 0));
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** Both names contain the same word of 4+ letters (`red-aislada` / `aislada-dhcp`). */
function sharesWord(a: string, b: string): boolean {
  const words = (s: string) => s.toLowerCase().split(/[-_.\s]+/).filter((x) => x.length >= 4);
  const wa = new Set(words(a));
  return words(b).some((x) => wa.has(x));
}

/**
 * Candidates that look like what the user meant (best first, at most `max`): same name up to
 * case/dashes/underscores, then small edit distances, then names containing each other, then
 * names sharing a word.
 */
export function didYouMean(name: string, candidates: readonly string[], max = 3): string[] {
  const w = looseName(name);
  if (!w) return [];
  const scored: { c: string; score: number }[] = [];
  for (const c of new Set(candidates)) {
    if (c === name) continue;
    const l = looseName(c);
    let score: number | null = null;
    if (l === w) score = 0;
    else {
      const d = levenshtein(w, l);
      const limit = Math.max(1, Math.floor(Math.max(w.length, l.length) / 3));
      if (d <= limit) score = d;
      else if (l.length >= 3 && w.length >= 3 && (l.includes(w) || w.includes(l))) score = limit + 1;
      else if (sharesWord(name, c)) score = limit + 2;
    }
    if (score !== null) scored.push({ c, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || byText(a.c, b.c))
    .slice(0, max)
    .map((s) => s.c);
}
