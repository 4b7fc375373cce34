// Lab files written by the lab load with the project's lab-file loader (no lab or root needed).
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeLabFile } from '../../../grader/lab/index.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { LAB } from '../../helpers/lab.js';

describe('lab: lab files', function () {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'labgrade-labfile-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads with loadLab: netns, networks, roles, ssh (key, password file, known_hosts) then agent, probes', async function () {
    const path = await writeLabFile(join(dir, 'lab.yaml'), { linux: 'debian12-iso', windows: 'win10-iso' });
    const lab = await loadLab(path);
    expect(lab.uri).to.equal('qemu:///system');
    expect(lab.netns).to.equal('labgrade');
    expect(lab.networks).to.deep.equal({ nat: 'red-nat', isolated: 'red-aislada', very_isolated: 'red-muy-aislada' });
    expect(lab.vms.linux?.domain).to.equal('debian12-iso');
    expect(lab.vms.linux?.os).to.equal(undefined);
    expect(lab.vms.windows?.domain).to.equal('win10-iso');
    expect(lab.vms.windows?.os).to.equal('linux');
    const [ssh, agent] = lab.vms.linux!.access;
    expect(ssh).to.include({ kind: 'ssh', user: 'root', port: 22, keyFile: LAB.sshKey, knownHostsFile: LAB.knownHosts, acceptNewHostKey: false });
    expect(ssh && ssh.kind === 'ssh' ? ssh.password : null).to.deep.equal({ file: LAB.passwordFile });
    expect(agent).to.deep.equal({ kind: 'agent' });
    expect(lab.probes).to.deep.equal({ outsideHost: '198.51.100.10', resolveName: 'www.labgrade.test', timeoutMs: 1000 });
  });

  it('agent-only and password-only variants', async function () {
    const a = await loadLab(await writeLabFile(join(dir, 'agent.yaml'), { linux: 'debian12-viso' }, { access: ['agent'] }));
    expect(a.vms.linux?.access).to.deep.equal([{ kind: 'agent' }]);
    const p = await loadLab(await writeLabFile(join(dir, 'pw.yaml'), { linux: 'debian12' }, { passwordOnly: true, access: ['ssh'] }));
    const s = p.vms.linux!.access[0]!;
    expect(s.kind === 'ssh' && s.keyFile).to.equal(undefined);
    expect(s.kind === 'ssh' && s.password).to.deep.equal({ file: LAB.passwordFile });
  });
});
