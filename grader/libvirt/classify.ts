// How labgrade names a libvirt network's behaviour, from its XML (libvirt's formatnetwork docs):
//   nat            <forward/> or <forward mode='nat'/>, with an <ip>
//   route / open   <forward mode='route'|'open'/>, with an <ip>
//   isolated       no <forward> (or mode 'none'), with an <ip>: the host has an address, no routing
//   very-isolated  no <forward>, no <ip>: a bare bridge, the host has no address, no dnsmasq
//   bridge         <forward mode='bridge'/> with <bridge name=...> (a host bridge, "public" network)
//   macvtap        <forward mode='bridge'|'private'|'vepa'|'passthrough'/> over host devices
//   other          anything else (hostdev pools, NAT without an address, ...)
import type { NetworkType } from '../types.js';

export interface ClassifyInput {
  /** null = no <forward> element; '' or 'nat' = NAT (a bare <forward/> means NAT). */
  forwardMode: string | null;
  /** Number of <ip> elements (any family). */
  ipCount: number;
  /** The <bridge name> of the network, if any. */
  bridge: string | null;
  /** Whether <forward> lists host devices (`dev=` or <interface dev>/<pf dev>). */
  forwardDevs: boolean;
}

export function classifyNetwork(n: ClassifyInput): NetworkType {
  const mode = n.forwardMode === null ? null : n.forwardMode.trim().toLowerCase() || 'nat';
  const hasIp = n.ipCount > 0;
  switch (mode) {
    case null:
    case 'none':
      return hasIp ? 'isolated' : 'very-isolated';
    case 'nat':
      return hasIp ? 'nat' : 'other';
    case 'route':
      return hasIp ? 'route' : 'other';
    case 'open':
      return hasIp ? 'open' : 'other';
    case 'bridge':
      // A host bridge (<bridge name='br0'/>) or macvtap in bridge mode over a host NIC.
      if (n.bridge && !hasIp) return 'bridge';
      if (n.forwardDevs) return 'macvtap';
      return 'other';
    case 'private':
    case 'vepa':
    case 'passthrough':
      return 'macvtap';
    default:
      return 'other';
  }
}

/** Forward modes where the guests sit on the host's own LAN ("public" networks). */
export function isPublicType(t: NetworkType): boolean {
  return t === 'bridge' || t === 'macvtap';
}
