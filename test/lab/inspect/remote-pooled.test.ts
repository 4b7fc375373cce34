// A remote libvirt host at local speed: for a qemu+ssh:// URI, virsh runs on the host over ONE
// ssh2 connection (grader/libvirt/remote.ts) that also carries the jumps to its guests. The host
// is the lab's own libvirtd behind an sshd in the lab namespace (grader/lab/remote-host.ts), so the
// remote result can be compared with the local one, and with virsh's own ssh (the per-call path of
// remote-ssh.test.ts). Run under the lab lock: flock /tmp/labgrade-labtests.lock node test/run.mjs <this>
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLab, useScenario, labFileFor, LAB } from '../../helpers/lab.js';
import { startRemoteHost, type RemoteHost } from '../../../grader/lab/remote-host.js';
import { inspectHost } from '../../../grader/libvirt/snapshot.js';
import { Virsh } from '../../../grader/libvirt/virsh.js';
import { virshFor } from '../../../grader/libvirt/remote.js';
import { HostPool } from '../../../grader/transports/host-pool.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { loadAnswers } from '../../../grader/inputs/load-answers.js';
import { gradeStudent } from '../../../grader/engine/run.js';
import { defaultDeps } from '../../../grader/engine/default-deps.js';
import { runEnd } from '../../../grader/util/cleanup.js';
import type { GradeResult, HostSnapshot } from '../../../grader/types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** What must be equal whichever way libvirt was reached. */
const shape = (s: HostSnapshot) => ({
  networks: s.networks.map((n) => [n.name, n.type, n.bridge, n.active, n.autostart, n.persistent, JSON.stringify(n.ips)]),
  domains: s.domains.map((d) => [d.name, d.state, d.interfaces.map((i) => [i.network, i.mac, i.type]), d.agentChannel, d.agentConnected]),
  leases: s.leases.map((l) => [l.network, l.mac, l.address, l.stale, l.domain]),
  domainNames: s.domainNames,
  problems: s.problems,
});

const outcomes = (r: GradeResult) => r.tasks.flatMap((t) => [...t.hostChecks, ...t.questions].map((v) => `${v.id}=${v.outcome}`)).sort();

describe('remote libvirt host over one pooled ssh2 connection (sshd in the lab namespace)', function () {
  let host: RemoteHost;
  let dir: string;
  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
    host = await startRemoteHost();
    dir = mkdtempSync(join(tmpdir(), 'lg-remote-pooled-'));
  });
  after(async () => {
    await runEnd();
    await host?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('inspects with one SSH connection and sees exactly what the local socket sees', async function () {
    this.timeout(180_000);
    const lab = await loadLab(await host.writeLabFile(join(dir, 'remote.yaml'), { linux: 'debian12', windows: 'win10' }));
    const pool = new HostPool({ idleMs: 10_000 });
    const virsh = virshFor(lab, 'en', { pool });
    expect(virsh.remote).to.equal(true);
    const remote = await inspectHost(lab.uri, { virsh });
    const local = await inspectHost(LAB.uri, { virsh: new Virsh({ uri: LAB.uri }) });
    expect(remote.uri).to.equal(lab.uri);
    expect(shape(remote)).to.deep.equal(shape(local));
    expect(virsh.stats.calls).to.be.greaterThan(10);
    expect(pool.opened).to.equal(1);
    await pool.closeAll();
  });

  it('grades the NAT task on the remote host exactly as on the local one (virsh and guests through the host)', async function () {
    this.timeout(300_000);
    const spec = await loadSpec(`${root}exercises/clase2-redes.yaml`);
    const answers = await loadAnswers(`${root}exercises/demo/answers-correct.yaml`, spec);
    const remoteLab = await loadLab(await host.writeLabFile(join(dir, 'remote-nat.yaml'), { linux: 'debian12', windows: 'win10' }));
    // The local lab file is written here (never read from what `lab up` may have left behind).
    const localLab = await loadLab(await labFileFor({ linux: 'debian12', windows: 'win10' }));
    const remote = await gradeStudent({ spec, lab: remoteLab, answers, task: 'nat', lang: 'en', deps: defaultDeps('en') });
    const local = await gradeStudent({ spec, lab: { ...localLab, vms: remoteLab.vms, networks: remoteLab.networks }, answers, task: 'nat', lang: 'en', deps: defaultDeps('en') });
    expect(remote.errors).to.deep.equal([]);
    expect(outcomes(remote)).to.deep.equal(outcomes(local));
    expect(remote.totals).to.deep.equal(local.totals);
    expect(remote.totals.percent).to.equal(100);
    // The guests were reached through the host's connection (a jump), not from this machine.
    const evidence = JSON.stringify(remote.tasks.flatMap((t) => t.questions.map((q) => q.evidence)));
    expect(evidence).to.include(`via root@127.0.0.1:${host.port}`);
  });
});
