// Which guest interface is the one on a network, and the host's address there: read from the
// host snapshot and the measured facts. Shared by the engine (targets, theory addresses) and the
// question checks, so neither imports the other.
import type { GuestInterface, HostSnapshot, NetworkInfo } from '../types.js';
import { normalizeMac } from '../libvirt/mac.js';
import { nicOn } from '../libvirt/attachment.js';

/** virsh `52:54:00:22:fa:b7`, Windows `52-54-00-22-FA-B7` -> `52:54:00:22:fa:b7` (libvirt's normalizeMac; text that is no MAC is only lower-cased). */
export function normMac(mac: string): string {
  return normalizeMac(mac) ?? mac.trim().toLowerCase().replace(/-/g, ':');
}

/** MACs of a domain's NICs attached to a network (type=network source, or its bridge). */
export function macsOn(snapshot: HostSnapshot, domain: string, net: NetworkInfo | null): string[] {
  if (!net) return [];
  const dom = snapshot.domains.find((d) => d.name === domain);
  if (!dom) return [];
  return dom.interfaces.filter((i) => nicOn(i, net)).map((i) => normMac(i.mac));
}

/**
 * The guest interface on a network: matched by MAC against the domain's NICs on that network;
 * when the snapshot cannot tell (no NIC known there), the guest's only non-loopback interface.
 */
export function interfaceOn(snapshot: HostSnapshot, domain: string, net: NetworkInfo | null, interfaces: GuestInterface[]): GuestInterface | null {
  const macs = macsOn(snapshot, domain, net);
  const real = interfaces.filter((i) => i.name !== 'lo' && normMac(i.mac) !== '00:00:00:00:00:00');
  const byMac = real.find((i) => macs.includes(normMac(i.mac)));
  if (byMac) return byMac;
  if (macs.length === 0 && real.length === 1) return real[0]!;
  return null;
}

/** The host's IPv4 address on a network (its `<ip>`), null when it has none. */
export function hostAddressOf(network: { ips: { family: string; address: string }[] } | null): string | null {
  return network?.ips.find((i) => i.family === 'ipv4')?.address ?? null;
}
