// Finds what a task refers to in the host snapshot: its network (the lab file's name, else the
// spec's accepted names) and, per VM role, the domain and whether it is attached to the network.
import type { DomainInfo, ExerciseSpec, HostSnapshot, LabFile, NetworkInfo, SpecTask } from '../types.js';
import { externalNetwork, isExternal, nicOn } from '../libvirt/attachment.js';

/** The student's libvirt network for a network key, or null when the host has none of its names. */
export function findNetwork(spec: ExerciseSpec, lab: LabFile, snapshot: HostSnapshot, key: string): NetworkInfo | null {
  const named = lab.networks[key];
  const want = spec.networks[key];
  if (want && isExternal(want)) return externalNetwork(want, named ? [named] : want.names, snapshot);
  if (named) return snapshot.networks.find((n) => n.name === named) ?? null;
  for (const name of spec.networks[key]?.names ?? []) {
    const n = snapshot.networks.find((x) => x.name === name);
    if (n) return n;
  }
  return null;
}

/** The name labgrade expects for a network key (the lab file's, else the course's default). */
export function expectedNetworkName(spec: ExerciseSpec, lab: LabFile, key: string): string {
  return lab.networks[key] ?? spec.networks[key]?.names[0] ?? key;
}

export function domainName(spec: ExerciseSpec, lab: LabFile, role: string): string {
  return lab.vms[role]?.domain ?? spec.vms[role]?.defaultDomain ?? role;
}

export function findDomain(spec: ExerciseSpec, lab: LabFile, snapshot: HostSnapshot, role: string): DomainInfo | null {
  const name = domainName(spec, lab, role);
  return snapshot.domains.find((d) => d.name === name) ?? null;
}

/** A NIC of the domain is on the network (type=network source, or type=bridge on its bridge). */
export function isAttached(dom: DomainInfo | null, net: NetworkInfo | null): boolean {
  if (!dom || !net) return false;
  return dom.interfaces.some((i) => nicOn(i, net));
}

/** Names of the networks a domain is attached to now (for messages). */
export function attachedNetworks(dom: DomainInfo | null): string[] {
  if (!dom) return [];
  return [...new Set(dom.interfaces.map((i) => i.network ?? i.source).filter((x): x is string => !!x))];
}

export function vmsAttached(spec: ExerciseSpec, lab: LabFile, snapshot: HostSnapshot, task: SpecTask): string[] {
  const net = findNetwork(spec, lab, snapshot, task.network);
  return task.vms.filter((role) => isAttached(findDomain(spec, lab, snapshot, role), net));
}
