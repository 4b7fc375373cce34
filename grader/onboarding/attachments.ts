// What `init` needs to know about NICs beyond libvirt networks: the host bridges (type='bridge'
// not owned by a libvirt network) and macvtap devices (type='direct') the domains use, as
// candidates for a spec's bridged networks; and the networks each role needs a NIC on.
import type { ExerciseSpec, HostSnapshot, NetworkInfo } from '../types.js';
import { externalNetwork } from '../libvirt/attachment.js';

export function externalCandidates(snapshot: HostSnapshot, kind: 'bridge' | 'direct'): NetworkInfo[] {
  const sources = new Set<string>();
  for (const d of snapshot.domains) {
    for (const i of d.interfaces) if (i.type === kind && i.network === null && i.source) sources.add(i.source);
  }
  const want = { key: '', title: { es: '', en: '' }, type: kind === 'bridge' ? 'bridge' : 'macvtap', dhcp: false, hostAddress: false, names: [], attachment: kind } as const;
  return [...sources].sort().flatMap((name) => externalNetwork({ ...want, names: [name] }, [name], snapshot) ?? []);
}

/** Network keys a role has a NIC on in some task (the task's network, plus `nics`). */
export function vmNicNetworks(spec: ExerciseSpec, role: string): string[] {
  const keys = new Set<string>();
  for (const t of spec.tasks) {
    const extra = t.nics?.[role];
    if (extra) {
      keys.add(t.network);
      for (const k of extra) keys.add(k);
    }
  }
  return [...keys];
}
