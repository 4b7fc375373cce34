import { expect } from 'chai';
import { proposeLab, type InitOptions, type Note } from '../../../grader/onboarding/propose.js';
import { nameSimilarity } from '../../../grader/onboarding/similarity.js';
import { osFromName, osFromOsinfoId, osFromAgentInfo } from '../../../grader/onboarding/os-detect.js';
import { noteText } from '../../../grader/onboarding/notes.js';
import {
  bridgeNet,
  courseSpec,
  domain,
  isolatedNet,
  natNet,
  snapshot,
  veryIsolatedNet,
} from '../../fixtures/onboarding/snapshots.js';

// As `labgrade init` calls it with no options: a default key found (~/.ssh), none written.
const opts: InitOptions = { uri: 'qemu:///system', sshUser: 'alumno', sshKeyFound: true, winrmUser: 'alumno' };
const codes = (notes: Note[], path?: string) => notes.filter((n) => !path || n.path === path).map((n) => n.code);
const win10 = () => domain('win10', { osinfo: 'http://microsoft.com/win/10', net: 'red-nat', mac: '52:54:00:00:00:02' });
const deb12 = () => domain('debian12', { osinfo: 'http://debian.org/debian/12', net: 'red-nat' });

describe('onboarding: name similarity and OS detection', () => {
  it('treats dashes, underscores, case and accents as the same name', () => {
    expect(nameSimilarity('Red_Muy_Aislada', 'red-muy-aislada')).to.equal(1);
    expect(nameSimilarity('red-aislada', 'red-aislada')).to.be.greaterThan(nameSimilarity('red-muy-aislada', 'red-aislada'));
  });
  it('knows the OS from libosinfo ids, agent answers and names', () => {
    expect(osFromOsinfoId('http://microsoft.com/win/10')).to.equal('windows');
    expect(osFromOsinfoId('http://debian.org/debian/12')).to.equal('linux');
    expect(osFromOsinfoId('http://example.com/unknown')).to.equal(null);
    expect(osFromName('win10')).to.equal('windows');
    expect(osFromName('W11-pro')).to.equal('windows');
    expect(osFromName('Debian12')).to.equal('linux');
    expect(osFromName('vm2')).to.equal(null);
    expect(osFromAgentInfo({ id: 'mswindows', 'pretty-name': 'Windows 10 Pro' })?.os).to.equal('windows');
    expect(osFromAgentInfo({ id: 'debian', 'pretty-name': 'Debian GNU/Linux 12' })?.os).to.equal('linux');
    expect(osFromAgentInfo({ 'kernel-release': '6.1.0-13-amd64' })?.os).to.equal('linux');
    expect(osFromAgentInfo({})).to.equal(null);
  });
});

describe('onboarding: proposeLab networks', () => {
  it('maps the course names directly, ignoring libvirt default', () => {
    const snap = snapshot(
      [natNet('default', 122, 'virbr0', [2, 254]), natNet('red-nat'), isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')],
      [deb12(), win10()],
    );
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.networks).to.deep.equal({ nat: 'red-nat', isolated: 'red-aislada', very_isolated: 'red-muy-aislada' });
    expect(notes.filter((n) => n.severity === 'warning')).to.deep.equal([]);
    expect(codes(notes, 'networks.nat')).to.include('network-default-skipped');
  });

  it('maps the underscore variants', () => {
    const snap = snapshot([natNet('red_nat'), isolatedNet('red_aislada'), veryIsolatedNet('red_muy_aislada')], [deb12(), win10()]);
    expect(proposeLab(courseSpec, snap, opts).lab.networks).to.deep.equal({
      nat: 'red_nat',
      isolated: 'red_aislada',
      very_isolated: 'red_muy_aislada',
    });
  });

  it('maps unrelated names by their properties alone', () => {
    const snap = snapshot(
      [veryIsolatedNet('lab-c', 'virbr9'), isolatedNet('lab-b', 150, 'virbr8'), natNet('lab-a', 123, 'virbr7', [2, 254]), bridgeNet('lan')],
      [deb12(), win10()],
    );
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.networks).to.deep.equal({ nat: 'lab-a', isolated: 'lab-b', very_isolated: 'lab-c' });
    expect(notes.filter((n) => n.severity === 'warning')).to.deep.equal([]);
  });

  it('does not let a misleading name beat the properties', () => {
    // Named "aislada" but has no address at all: it is the very isolated one.
    const snap = snapshot([natNet('nat1'), isolatedNet('muy-aislada', 102), veryIsolatedNet('aislada')], [deb12(), win10()]);
    expect(proposeLab(courseSpec, snap, opts).lab.networks).to.deep.equal({ nat: 'nat1', isolated: 'muy-aislada', very_isolated: 'aislada' });
  });

  it('comments two equally good candidates instead of choosing silently', () => {
    const snap = snapshot(
      [natNet('red-nat'), isolatedNet('net1', 102, 'virbr2'), isolatedNet('net2', 103, 'virbr4'), veryIsolatedNet('red-muy-aislada')],
      [deb12(), win10()],
    );
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(['net1', 'net2']).to.include(lab.networks.isolated);
    const amb = notes.find((n) => n.code === 'network-ambiguous');
    expect(amb?.path).to.equal('networks.isolated');
    expect(amb?.severity).to.equal('warning');
    expect(String(amb?.params.others)).to.match(/net[12]/);
    expect(noteText('en', amb!)).to.match(/^AMBIGUOUS: net\d and net\d fit "isolated"/);
  });

  it('keeps an isolated network that still has DHCP, with a note on what differs', () => {
    const snap = snapshot([natNet('red-nat'), isolatedNet('red-aislada', 102, 'virbr2', true), veryIsolatedNet('red-muy-aislada')], [deb12(), win10()]);
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.networks.isolated).to.equal('red-aislada');
    const n = notes.find((x) => x.code === 'network-properties');
    expect(n?.path).to.equal('networks.isolated');
    expect(noteText('es', n!)).to.contain('DHCP: sí ≠ no');
  });

  it('writes the course name for a network that does not exist, with a MISSING note', () => {
    const snap = snapshot([natNet('red-nat'), isolatedNet('red-aislada')], [deb12(), win10()]);
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.networks.very_isolated).to.equal('red-muy-aislada');
    expect(codes(notes, 'networks.very_isolated')).to.include('network-missing');
    expect(noteText('es', notes.find((n) => n.code === 'network-missing')!)).to.match(/^FALTA: ninguna red encaja con «very_isolated» \(red muy aislada, sin DHCP, sin dirección del host\)/);
  });

  it('uses libvirt default only when nothing else fits, and says so', () => {
    const snap = snapshot([natNet('default', 122, 'virbr0', [2, 254]), isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')], [deb12(), win10()]);
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.networks.nat).to.equal('default');
    expect(codes(notes, 'networks.nat')).to.include('network-only-default');
  });

  it('honours explicit --network choices', () => {
    const snap = snapshot([natNet('red-nat'), natNet('other-nat', 110, 'virbr5'), isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')], [deb12(), win10()]);
    const { lab, notes } = proposeLab(courseSpec, snap, { ...opts, networkOverrides: { nat: 'other-nat' } });
    expect(lab.networks.nat).to.equal('other-nat');
    expect(codes(notes, 'networks.nat')).to.deep.equal(['network-override']);
  });

  it('notes an inactive network', () => {
    const nat = natNet('red-nat');
    nat.active = false;
    const { notes } = proposeLab(courseSpec, snapshot([nat, isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')], [deb12(), win10()]), opts);
    expect(codes(notes, 'networks.nat')).to.include('network-inactive');
  });
});

describe('onboarding: proposeLab VMs and access', () => {
  const nets = [natNet('red-nat'), isolatedNet('red-aislada'), veryIsolatedNet('red-muy-aislada')];

  it('uses libosinfo metadata before names', () => {
    const snap = snapshot(nets, [
      domain('alpha', { osinfo: 'http://microsoft.com/win/10' }),
      domain('beta', { osinfo: 'http://debian.org/debian/12' }),
    ]);
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.vms.linux?.domain).to.equal('beta');
    expect(lab.vms.windows?.domain).to.equal('alpha');
    expect(lab.vms.windows?.os).to.equal(undefined);
    expect(notes.filter((n) => n.severity === 'warning')).to.deep.equal([]);
  });

  it('falls back to names, and comments that the OS was guessed from the name only when unknown', () => {
    const snap = snapshot(nets, [domain('Windows10-clase'), domain('debian12')]);
    const { lab } = proposeLab(courseSpec, snap, opts);
    expect(lab.vms.windows?.domain).to.equal('Windows10-clase');
    expect(lab.vms.linux?.domain).to.equal('debian12');
  });

  it('proposes SSH (no key path: the default keys are found when checking) for Linux, WinRM over HTTPS without a password for Windows, agent where a channel exists', () => {
    const snap = snapshot(nets, [deb12(), { ...win10(), agentChannel: false, agentConnected: null }]);
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.vms.linux?.access).to.deep.equal([
      { kind: 'ssh', user: 'alumno', port: 22, useAgent: true, acceptNewHostKey: false, jump: 'auto' },
      { kind: 'agent' },
    ]);
    const w = lab.vms.windows?.access ?? [];
    expect(w).to.have.length(1);
    expect(w[0]).to.deep.include({ kind: 'winrm', scheme: 'https', port: 5986, auth: 'ntlm' });
    expect(w[0]).not.to.have.property('password');
    expect(codes(notes, 'vms.windows.access')).to.include('no-agent-channel').and.include('winrm-password');
    expect(codes(notes, 'vms.linux.access')).to.include('ssh-password');
    expect(notes.map((n) => n.code)).not.to.include('not-for-hand-in');
    expect(JSON.stringify(lab)).not.to.match(/"value"|"env"|"file"/);
  });

  it('a key, a known_hosts file, accept-new or a namespace are written only when asked for, with a warning that the file cannot be handed in', () => {
    const snap = snapshot(nets, [deb12(), win10()]);
    const { lab, notes } = proposeLab(courseSpec, snap, { ...opts, sshKeyFile: '/home/alumno/.ssh/id_ed25519', knownHostsFile: '/home/alumno/kh', netns: 'labgrade' });
    expect(lab.vms.linux?.access[0]).to.deep.include({ keyFile: '/home/alumno/.ssh/id_ed25519', knownHostsFile: '/home/alumno/kh', useAgent: false });
    expect(lab.netns).to.equal('labgrade');
    const n = notes.find((x) => x.code === 'not-for-hand-in');
    expect(n).to.deep.include({ severity: 'warning', params: { options: '--netns, --ssh-key, --known-hosts' } });
  });

  it('says "no Windows VM found" and maps a Linux stand-in with an os override', () => {
    const snap = snapshot(nets, [domain('debian12'), domain('vm2')]);
    const agentOs = { debian12: { id: 'debian' }, vm2: { id: 'debian' } };
    const { lab, notes } = proposeLab(courseSpec, snap, { ...opts, agentOs });
    expect(lab.vms.linux?.domain).to.equal('debian12');
    expect(lab.vms.windows).to.deep.include({ domain: 'vm2', os: 'linux' });
    expect(lab.vms.windows?.access[0]?.kind).to.equal('ssh');
    const n = notes.find((x) => x.code === 'vm-os-mismatch');
    expect(n?.path).to.equal('vms.windows');
    expect(noteText('en', n!)).to.contain('no Windows VM is left for "windows"; vm2 runs Linux');
  });

  it('the agent wins over a misleading name', () => {
    const snap = snapshot(nets, [domain('debian12'), domain('win10')]);
    const { lab, notes } = proposeLab(courseSpec, snap, { ...opts, agentOs: { win10: { id: 'debian', name: 'Debian GNU/Linux' } } });
    expect(lab.vms.windows).to.deep.include({ domain: 'win10', os: 'linux' });
    expect(codes(notes, 'vms.windows')).to.include('vm-os-mismatch');
  });

  it('marks a missing Windows VM and two equal Linux candidates', () => {
    const snap = snapshot(nets, [domain('vm-a', { osinfo: 'http://debian.org/debian/12' })]);
    const { lab, notes } = proposeLab(courseSpec, snap, opts);
    expect(lab.vms.linux?.domain).to.equal('vm-a');
    expect(lab.vms.windows?.domain).to.equal('win10');
    expect(codes(notes, 'vms.windows')).to.include('vm-missing');

    const two = snapshot(nets, [domain('vm-a', { osinfo: 'http://debian.org/debian/12' }), domain('vm-b', { osinfo: 'http://debian.org/debian/12' }), win10()]);
    const r = proposeLab(courseSpec, two, opts);
    expect(codes(r.notes, 'vms.linux')).to.include('vm-ambiguous');
  });

  it('notes a stopped VM and an unknown OS', () => {
    const snap = snapshot(nets, [domain('debian12', { state: 'shut off' }), domain('maquina2')]);
    const { notes } = proposeLab(courseSpec, snap, opts);
    expect(codes(notes, 'vms.linux')).to.include('vm-not-running');
    expect(codes(notes, 'vms.windows')).to.include('vm-os-unknown');
  });

  it('writes netns and probe overrides when given', () => {
    const snap = snapshot(nets, [deb12(), win10()]);
    const { lab, notes } = proposeLab(courseSpec, snap, { ...opts, netns: 'labgrade', probes: { outsideHost: '198.51.100.10' } });
    expect(lab.netns).to.equal('labgrade');
    expect(lab.probes).to.deep.equal({ outsideHost: '198.51.100.10' });
    expect(codes(notes)).not.to.include('probes-default');
  });
});
