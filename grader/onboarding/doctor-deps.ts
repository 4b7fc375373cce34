// The real world behind `labgrade doctor`: virsh, the loaders, inspectHost and the transports.
import { access } from 'node:fs/promises';
import { TransportError, type AccessMethod, type Connection, type HostSnapshot, type LabFile, type LabVm, type Lang, type OsFamily } from '../types.js';
import type { DoctorDeps } from './doctor.js';

export function realDoctorDeps(lang: Lang): DoctorDeps {
  let hostKeyFile: string | undefined;
  return {
    async virshVersion(uri) {
      const { Virsh } = await import('../libvirt/virsh.js');
      return new Virsh({ uri, lang, timeoutMs: 10_000 }).run(['-v']);
    },
    async fileExists(path) {
      try {
        await access(path);
        return true;
      } catch {
        return false;
      }
    },
    async loadLab(path) {
      const { loadLab } = await import('../inputs/load-lab.js');
      const lab = await loadLab(path, { lang });
      await (await import('../transports/password-prompt.js')).askMissingPasswords(lab, lang);
      hostKeyFile = lab.hostSsh?.keyFile;
      return lab;
    },
    async loadSpec(path) {
      const { loadSpec } = await import('../inputs/load-spec.js');
      return loadSpec(path, { lang });
    },
    async inspect(uri, domains) {
      const [{ inspectHost }, { withSshDefaults }] = await Promise.all([import('../libvirt/snapshot.js'), import('../libvirt/uri.js')]);
      const snap = await inspectHost(withSshDefaults(uri, { keyFile: hostKeyFile }), { lang, ...(domains.length > 0 ? { domains } : {}) });
      snap.uri = uri;
      return snap;
    },
    async open(lab, vm, method, snapshot, os) {
      return openOne(lab, vm, method, snapshot, os, lang);
    },
  };
}

/**
 * Opens exactly one access method of a VM (a copy of the VM entry listing only that method). The
 * transports report "no method worked" with the list of what was tried; doctor wants the one
 * method's own error (its code and its `ssh user@host:port` target).
 */
async function openOne(lab: LabFile, vm: LabVm, method: AccessMethod, snapshot: HostSnapshot, os: OsFamily, lang: Lang): Promise<Connection> {
  const { openGuest, GuestUnreachableError } = await import('../transports/open.js');
  const { identityCheck } = await import('../probes/identity.js');
  try {
    const opened = await openGuest({ ...vm, access: [method] }, { lab, snapshot, os, lang, identity: identityCheck(os) });
    // The same trail `check` records: a connection used with a caveat (identity not verified) says so.
    const usedWith = opened.tried.find((x) => x.outcome === 'used' && x.reason !== null);
    if (usedWith) (opened.conn as Connection & { accessCaveat?: string }).accessCaveat = usedWith.detail;
    return opened.conn;
  } catch (e) {
    if (e instanceof GuestUnreachableError && e.tried.length > 0) {
      const last = e.tried[e.tried.length - 1]!;
      throw new TransportError(last.code ?? 'unreachable', last.method, last.detail);
    }
    throw e;
  }
}
