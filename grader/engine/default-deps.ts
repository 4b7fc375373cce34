// The real modules behind EngineDeps (loaded by the CLI, the demo and the benchmarks; unit tests
// inject fakes instead). Heavy imports stay here so `labgrade --version` never loads them.
import type { Lang, LabFile } from '../types.js';
import type { EngineDeps } from './deps.js';
import { inspectHost } from '../libvirt/snapshot.js';
import { accessTrail, openGuest } from '../transports/open.js';
import { prewarmNetns } from '../transports/stream.js';
import { virshFor } from '../libvirt/remote.js';
import type { Virsh } from '../libvirt/virsh.js';
import { credentialFor } from '../transports/credentials.js';
import { parseUri } from '../libvirt/uri.js';
import { proberFor } from '../probes/index.js';
import { identityCheck } from '../probes/identity.js';
import { extraFacts } from '../probes/extra.js';
import { runSecrets, type Secrets } from '../inputs/secrets.js';
import { hostChecks } from '../../checks/host/index.js';
import { questionChecks } from '../../checks/questions/index.js';
import type { EvidenceRecorder } from '../handin/evidence.js';

/** A student's libvirt host: virsh uses the key of the roster credential bound to that host, if any. */
function libvirtKey(lab: LabFile): { sshKeyFile?: string } {
  if (lab.trust !== 'student') return {};
  const u = parseUri(lab.uri);
  const key = u?.host ? credentialFor(lab.credentials, 'ssh', { host: u.host, port: u.port ?? 22 }, null)?.ssh?.keyFile : undefined;
  return key ? { sshKeyFile: key } : {};
}

/**
 * Only the lab file's domains are inspected (faster on hosts with many VMs). `secrets` is the run's
 * redaction registry (one per student in a batch; default a fresh one over the teacher's).
 */
export function defaultDeps(lang: Lang, opts: { recorder?: EvidenceRecorder; secrets?: Secrets } = {}): EngineDeps {
  // With a recorder (check --hand-in): every virsh call, guest connection and guest script is kept.
  const rec = opts.recorder;
  const secrets = opts.secrets ?? runSecrets();
  // One Virsh per lab file: over the host's pooled SSH connection for qemu+ssh URIs (inspection
  // and guest-agent calls alike), else the local program.
  const virshes = new WeakMap<LabFile, Virsh>();
  const virsh = (lab: LabFile): Virsh => {
    let v = virshes.get(lab);
    if (!v) virshes.set(lab, (v = virshFor(lab, lang, { ...libvirtKey(lab), ...(rec ? { record: rec.virsh } : {}) })));
    return v;
  };
  return {
    inspect: (lab: LabFile) => {
      // The namespace relay starts while the host is inspected, ready for the first guest.
      if (lab.netns) prewarmNetns(lab.netns, { lang });
      const v = virsh(lab);
      // Remote calls wait on the network, not on this machine's CPU: more of them at once.
      return inspectHost(lab.uri, { lang, domains: Object.values(lab.vms).map((x) => x.domain), virsh: v, concurrency: v.remote ? 8 : 4 });
    },
    openGuest: async (vm, ctx) => {
      let g: Awaited<ReturnType<typeof openGuest>>;
      try {
        g = await openGuest(vm, {
          lab: ctx.lab,
          snapshot: ctx.snapshot,
          os: ctx.os,
          lang,
          virsh: virsh(ctx.lab),
          ...(ctx.network ? { network: ctx.network } : {}),
          identity: identityCheck(ctx.os, ctx.firstScript),
          secrets,
        });
      } catch (e) {
        rec?.openFailed(ctx.role, vm.domain, accessTrail((e as { tried?: Parameters<typeof accessTrail>[0] }).tried ?? []), e);
        throw e;
      }
      const trail = accessTrail(g.tried);
      if (!rec) return { conn: g.conn, trail, ...(g.first ? { first: g.first } : {}) };
      const f = g.first && ctx.firstScript ? { script: ctx.firstScript.script, args: ctx.firstScript.args, result: g.first } : undefined;
      rec.opened(ctx.role, vm.domain, g.conn, trail, f);
      return { conn: rec.connection(ctx.role, g.conn), trail, ...(g.first ? { first: g.first } : {}) };
    },
    proberFor,
    extraFacts,
    hostChecks,
    questionChecks,
    redact: (text) => secrets.redact(text),
    now: () => new Date(),
  };
}
