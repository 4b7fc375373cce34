// The real world behind `labgrade doctor`: virsh, the loaders, inspectHost and the transports.
import { access } from 'node:fs/promises';
import type { AccessMethod, Connection, LabFile, LabVm, Lang } from '../types.js';
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
      const { loadLab } = await import('../spec/load-lab.js');
      const lab = await loadLab(path, { lang });
      hostKeyFile = lab.hostSsh?.keyFile;
      return lab;
    },
    async loadSpec(path) {
      const { loadSpec } = await import('../spec/load-spec.js');
      return loadSpec(path, { lang });
    },
    async inspect(uri, domains) {
      const [{ inspectHost }, { withSshDefaults }] = await Promise.all([import('../libvirt/snapshot.js'), import('../libvirt/uri.js')]);
      const snap = await inspectHost(withSshDefaults(uri, { keyFile: hostKeyFile }), { lang, ...(domains.length > 0 ? { domains } : {}) });
      snap.uri = uri;
      return snap;
    },
    async open(lab: LabFile, vm: LabVm, method: AccessMethod): Promise<Connection> {
      return openOne(lab, vm, method, lang);
    },
  };
}

/** Opens exactly one access method of a VM (a copy of the VM entry listing only that method). */
async function openOne(lab: LabFile, vm: LabVm, method: AccessMethod, lang: Lang): Promise<Connection> {
  const spec = '../transports/open.js';
  const mod = (await import(spec)) as { openGuest: (vm: LabVm, ctx: unknown) => Promise<Connection> };
  return mod.openGuest({ ...vm, access: [method] }, { lab, lang });
}
