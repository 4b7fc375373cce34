// How a VM's NIC sits on a "network" of a spec: a libvirt network (by name, or its bridge named in
// a type='bridge' NIC), or, for bridged ("public") networks, an external host bridge such as br0
// (type='bridge') or a macvtap on a host device (type='direct'). libvirt lists no host bridges, so
// an external one is known from the NICs attached to it; none attached = not found.
import type { DomainInterface, HostSnapshot, NetworkInfo, SpecNetwork } from '../types.js';

/** Is this NIC on this network? */
export function nicOn(i: DomainInterface, net: NetworkInfo): boolean {
  if (net.external === 'bridge') return i.type === 'bridge' && i.source === net.name;
  if (net.external === 'direct') return i.type === 'direct' && i.source === net.name;
  return i.network === net.name || (net.bridge !== null && i.type === 'bridge' && i.source === net.bridge);
}

/** libvirt interface type of an external attachment. */
function nicType(kind: 'bridge' | 'direct'): string {
  return kind;
}

/**
 * The external bridge/device a spec network stands for, as seen through the domains' NICs: the
 * first accepted name that some NIC is attached to. `names`: the lab file's name, else the spec's.
 */
export function externalNetwork(want: SpecNetwork, names: readonly string[], snapshot: HostSnapshot): NetworkInfo | null {
  const kind = want.attachment;
  if (kind !== 'bridge' && kind !== 'direct') return null;
  for (const name of names) {
    const used = snapshot.domains.some((d) => d.interfaces.some((i) => i.type === nicType(kind) && i.source === name));
    if (!used) continue;
    return {
      name,
      active: true,
      autostart: false,
      persistent: false,
      forwardMode: null,
      type: kind === 'bridge' ? 'bridge' : 'macvtap',
      bridge: kind === 'bridge' ? name : null,
      ips: [],
      dns: { enabled: false, forwarders: [] },
      external: kind,
    };
  }
  return null;
}

/** Is the spec network outside libvirt (a host bridge or device)? */
export function isExternal(want: SpecNetwork | undefined): boolean {
  return want?.attachment === 'bridge' || want?.attachment === 'direct';
}
