// `labgrade init` on hosts of the new exercises: VMs on a host bridge (br0) or macvtap (direct),
// and a router VM with two NICs. Snapshots assembled from virsh XML fixtures; specs are the
// shipped YAML files.
import { expect } from 'chai';
import { proposeLab, type InitOptions, type Note } from '../../../grader/onboarding/propose.js';
import { noteText } from '../../../grader/onboarding/notes.js';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { exercise, snapshotOf } from '../../fixtures/exercises/world.js';

const opts: InitOptions = { uri: 'qemu:///system', sshUser: 'alumno', sshKeyFile: '/home/alumno/.ssh/id_ed25519', winrmUser: 'alumno' };
const notesAt = (notes: Note[], path: string) => notes.filter((n) => n.path === path);

describe('init: bridged, macvtap and multi-NIC VMs', () => {
  it('finds br0 through the VMs\' type=bridge NICs and says it is a host bridge', async () => {
    const spec = await loadSpec(exercise('clase1-4-puente.yaml'));
    const { lab, notes } = proposeLab(spec, snapshotOf(['net-red-nat.xml'], ['dom-debian12-br0.xml', 'dom-win10-br0.xml']), opts);
    expect(lab.networks.bridge).to.equal('br0');
    expect(lab.vms.linux!.domain).to.equal('debian12');
    const n = notesAt(notes, 'networks.bridge');
    expect(n.map((x) => x.code)).to.deep.equal(['network-external']);
    expect(noteText('en', n[0]!)).to.equal('bridge -> br0: host bridge (not a libvirt network), used by debian12, win10');
    expect(noteText('es', n[0]!)).to.include('bridge del host');
    // No VM on macvtap: the course name is written, with the warning.
    expect(lab.networks.macvtap).to.equal('eth0');
    expect(notesAt(notes, 'networks.macvtap').map((x) => x.code)).to.deep.equal(['network-missing']);
  });

  it('finds the macvtap device (type=direct) the VMs use, whatever its name', async () => {
    const spec = await loadSpec(exercise('clase1-4-puente.yaml'));
    const { lab, notes } = proposeLab(spec, snapshotOf([], ['dom-debian12-macvtap.xml', 'dom-win10-macvtap.xml']), opts);
    expect(lab.networks.macvtap).to.equal('enp3s0');
    expect(noteText('en', notesAt(notes, 'networks.macvtap')[0]!)).to.equal('macvtap -> enp3s0: host macvtap device (not a libvirt network), used by debian12, win10');
  });

  it('the router VM: its two NICs are listed, and a missing second NIC is a warning', async () => {
    const spec = await loadSpec(exercise('clase7-router-nat.yaml'));
    const nets = ['net-red-nat.xml', 'net-red-muy-aislada.xml'];
    const ok = proposeLab(spec, snapshotOf(nets, ['dom-debian12-router.xml', 'dom-win10-viso.xml']), opts);
    expect(ok.lab.networks).to.deep.equal({ nat: 'red-nat', very_isolated: 'red-muy-aislada' });
    const nics = notesAt(ok.notes, 'vms.linux').find((n) => n.code === 'vm-nics')!;
    expect(noteText('en', nics)).to.equal('VM debian12 has 2 NICs: red-muy-aislada (52:54:00:00:00:01), red-nat (52:54:00:00:00:11)');
    expect(ok.notes.some((n) => n.code === 'vm-nic-missing')).to.equal(false);
    const one = proposeLab(spec, snapshotOf(nets, ['dom-debian12-one-nic.xml', 'dom-win10-viso.xml']), opts);
    const miss = notesAt(one.notes, 'vms.linux').find((n) => n.code === 'vm-nic-missing')!;
    expect(miss.severity).to.equal('warning');
    expect(noteText('en', miss)).to.include('role "linux" needs a NIC on red-nat as well, and debian12 has none there');
  });
});
