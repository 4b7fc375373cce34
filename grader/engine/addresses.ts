// The addresses each VM of a task has on the task's network: measured inside the guest when it
// could be, else what libvirt leased it there (a hint). Theory addresses `vm:<role>` resolve here.
import type { ExerciseSpec, HostSnapshot, LabFile, NetworkInfo, SpecTask } from '../types.js';
import type { GuestOutcome } from '../../checks/types.js';
import { findDomain } from './lookup.js';
import { interfaceOn, normMac } from '../facts/interfaces.js';

export function taskAddresses(
  spec: ExerciseSpec,
  lab: LabFile,
  snapshot: HostSnapshot,
  task: SpecTask,
  network: NetworkInfo | null,
  guests: Record<string, GuestOutcome>,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const role of task.vms) {
    const g = guests[role];
    // Interfaces that could not be read are unknown, not "no address": the lease is the hint then.
    if (g && g.ok && g.facts.config.interfaces.ok) {
      out[role] = (interfaceOn(snapshot, g.facts.domain, network, g.facts.config.interfaces.value)?.ipv4 ?? []).map((a) => a.address);
      continue;
    }
    const macs = (findDomain(spec, lab, snapshot, role)?.interfaces ?? []).map((i) => normMac(i.mac));
    out[role] = snapshot.leases.filter((l) => network && l.network === network.name && !l.stale && macs.includes(normMac(l.mac))).map((l) => l.address);
    if (out[role].length === 0) delete out[role];
  }
  return out;
}
