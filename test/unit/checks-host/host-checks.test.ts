import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../../grader/inputs/load-spec.js';
import { parseDomainXml, parseNetworkXml, type ParsedNetwork } from '../../../grader/libvirt/xml.js';
import { mapInterface, markStale } from '../../../grader/libvirt/snapshot.js';
import { hostChecks } from '../../../checks/host/index.js';
import type { ExerciseSpec, HostSnapshot, LabFile, NetworkInfo, DomainInfo, Verdict, Lang } from '../../../grader/types.js';
import type { HostCheckContext } from '../../../checks/types.js';

const fx = (name: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/libvirt/${name}`, import.meta.url)), 'utf8');
const specPath = fileURLToPath(new URL('../../../exercises/clase2-redes.yaml', import.meta.url));

type NetSpec = [file: string, flags?: { active?: boolean; autostart?: boolean; persistent?: boolean }];
type DomSpec = [file: string, state: string];

/** A snapshot assembled from fixture XML the way inspectHost assembles it. */
function snapshotOf(nets: NetSpec[], doms: DomSpec[], extraDomainNames: string[] = [], problems: string[] = []): HostSnapshot {
  const parsed = new Map<string, ParsedNetwork>();
  const networks: NetworkInfo[] = nets.map(([file, f = {}]) => {
    const p = parseNetworkXml(fx(file));
    parsed.set(p.name, p);
    return { name: p.name, active: f.active ?? true, autostart: f.autostart ?? true, persistent: f.persistent ?? true, forwardMode: p.forwardMode, type: p.type, bridge: p.bridge, ips: p.ips, dns: p.dns };
  });
  const names = networks.map((n) => n.name);
  const domains: DomainInfo[] = doms.map(([file, state]) => {
    const p = parseDomainXml(fx(file));
    return { name: p.name, state, interfaces: p.interfaces.map((i) => mapInterface(i, names, parsed)), agentChannel: p.agentChannel, agentConnected: null };
  });
  const leases: HostSnapshot['leases'] = [];
  markStale(leases, domains, true);
  return { uri: 'qemu:///system', takenAt: '2024-11-05T10:00:00Z', networks, domains, leases, problems, domainNames: [...domains.map((d) => d.name), ...extraDomainNames].sort() };
}

const lab = (over: Partial<LabFile> = {}): LabFile => ({ file: '/tmp/lab.yaml', uri: 'qemu:///system', networks: {}, vms: {}, ...over });

function run(spec: ExerciseSpec, taskId: string, snapshot: HostSnapshot, l: LabFile = lab(), lang: Lang = 'en'): Record<string, Verdict> {
  const task = spec.tasks.find((t) => t.id === taskId)!;
  const ctx: HostCheckContext = { spec, task, lab: l, snapshot, lang };
  const out: Record<string, Verdict> = {};
  for (const c of hostChecks) for (const v of c.run(ctx)) {
    expect(out[v.id], `duplicate verdict id ${v.id}`).to.equal(undefined);
    out[v.id] = v;
  }
  return out;
}

const COURSE: NetSpec[] = [['net-default.xml'], ['net-red-nat.xml'], ['net-red-aislada.xml', { autostart: false }], ['net-red-muy-aislada.xml', { active: false }]];

describe('host checks', () => {
  let spec: ExerciseSpec;
  before(async () => {
    spec = await loadSpec(specPath);
  });

  it('registers each check once, with 0 points and ids <task>.host.<check>.<subject>', () => {
    expect(hostChecks.map((c) => c.name)).to.deep.equal(['network-exists', 'network-type', 'network-active', 'vm-exists', 'vm-running', 'vm-attached', 'vm-nics']);
    const v = run(spec, 'nat', snapshotOf(COURSE, [['dom-debian12-running.xml', 'running'], ['dom-win10-bridge-shutoff.xml', 'shut off']]));
    for (const x of Object.values(v)) {
      expect(x.id).to.match(/^nat\.host\.[a-z-]+\.[\w.-]+$/);
      expect(x).to.include({ points: 0, maxPoints: 0, task: 'nat' });
    }
  });

  it('NAT task on the course setup: network ok, debian12 running on red-nat, win10 attached through its bridge but shut off', () => {
    const v = run(spec, 'nat', snapshotOf(COURSE, [['dom-debian12-running.xml', 'running'], ['dom-win10-bridge-shutoff.xml', 'shut off']]));
    expect(v['nat.host.network-exists.red-nat']!.outcome).to.equal('pass');
    expect(v['nat.host.network-type.red-nat']).to.include({ outcome: 'pass', observed: 'NAT, DHCP 192.168.101.128-192.168.101.254, host 192.168.101.1/24' });
    expect(v['nat.host.network-active.red-nat']!.outcome).to.equal('pass');
    expect(v['nat.host.network-autostart.red-nat']).to.include({ outcome: 'pass', severity: 'warning' });
    expect(v['nat.host.vm-exists.debian12']).to.include({ outcome: 'pass', role: 'linux' });
    expect(v['nat.host.vm-running.debian12']!.outcome).to.equal('pass');
    expect(v['nat.host.vm-running.win10']).to.include({ outcome: 'fail', observed: 'shut off' });
    expect(v['nat.host.vm-running.win10']!.message).to.match(/virsh start win10/);
    expect(v['nat.host.vm-attached.win10']!.outcome).to.equal('pass');
    expect(v['nat.host.vm-attached.win10']!.message).to.match(/red-nat \(bridge NIC on virbr1\) \(52:54:00:9c:41:e0\)/);
  });

  it('isolated task while the VMs are still on red-nat: says where they are and how to move them', () => {
    const v = run(spec, 'isolated', snapshotOf(COURSE, [['dom-debian12-running.xml', 'running']]), lab(), 'es');
    const a = v['isolated.host.vm-attached.debian12']!;
    expect(a.outcome).to.equal('fail');
    expect(a.codes).to.deep.equal(['vm-not-attached']);
    expect(a.message).to.match(/debian12 no tiene ninguna interfaz en red-aislada; sus interfaces están en: red-nat \(52:54:00:22:fa:b7\)/);
    expect(a.message).to.match(/Fuente de red: Red virtual red-aislada/);
    expect(v['isolated.host.network-autostart.red-aislada']).to.include({ outcome: 'fail', severity: 'warning' });
    expect(v['isolated.host.network-autostart.red-aislada']!.message).to.match(/virsh net-autostart red-aislada/);
    // win10 is missing: exists fails with the list, the rest is skipped.
    expect(v['isolated.host.vm-exists.win10']!.outcome).to.equal('fail');
    expect(v['isolated.host.vm-exists.win10']!.message).to.match(/Máquinas que hay: debian12/);
    expect(v['isolated.host.vm-running.win10']!.outcome).to.equal('skip');
    expect(v['isolated.host.vm-attached.win10']!.outcome).to.equal('skip');
  });

  it('very isolated network inactive: error; and one that has an <ip> is the wrong type', () => {
    const v = run(spec, 'very_isolated', snapshotOf(COURSE, []));
    expect(v['very_isolated.host.network-active.red-muy-aislada']).to.include({ outcome: 'fail', severity: 'error' });
    expect(v['very_isolated.host.network-active.red-muy-aislada']!.message).to.match(/virsh net-start red-muy-aislada/);
    expect(v['very_isolated.host.network-type.red-muy-aislada']!.outcome).to.equal('pass');

    const w = run(spec, 'very_isolated', snapshotOf([['net-red_muy_aislada-with-ip.xml']], []));
    const t = w['very_isolated.host.network-type.red_muy_aislada']!;
    expect(t.outcome).to.equal('fail');
    expect(t.codes).to.deep.equal(['network-type-mismatch', 'host-address-unexpected']);
    expect(t.message).to.match(/10\.10\.10\.1\/24 on the bridge virbr3/);
  });

  it('an "isolated" network that forwards (NAT) with DHCP fails type and DHCP', () => {
    const v = run(spec, 'isolated', snapshotOf([['net-red-nat.xml']], []), lab({ networks: { isolated: 'red-nat' } }));
    const t = v['isolated.host.network-type.red-nat']!;
    expect(t.codes).to.deep.equal(['network-type-mismatch', 'dhcp-unexpected']);
    expect(t.message).to.match(/It is NAT \(forward: nat\) and must be isolated/);
    expect(t.message).to.match(/DHCP \(192\.168\.101\.128-192\.168\.101\.254\)/);
  });

  it('a "NAT" network without DHCP fails on DHCP (the lab file names it)', () => {
    const v = run(spec, 'nat', snapshotOf([['net-red-aislada.xml']], []), lab({ networks: { nat: 'red-aislada' } }));
    expect(v['nat.host.network-type.red-aislada']!.codes).to.deep.equal(['network-type-mismatch', 'dhcp-missing']);
  });

  it('accepts the spec\'s variant names (red_nat with bare <forward/> and DHCP .2-.254)', () => {
    const v = run(spec, 'nat', snapshotOf([['net-red_nat-bare-forward.xml']], []));
    expect(v['nat.host.network-exists.red_nat']!.outcome).to.equal('pass');
    expect(v['nat.host.network-type.red_nat']!.outcome).to.equal('pass');
  });

  it('missing network: lists existing networks and suggests a near name', () => {
    const v = run(spec, 'nat', snapshotOf([['net-default.xml'], ['net-aislada-dhcp-dns.xml']], []), lab({ networks: { nat: 'red-nat' } }));
    const e = v['nat.host.network-exists.red-nat']!;
    expect(e.outcome).to.equal('fail');
    expect(e.message).to.match(/There is no network red-nat on the host\. Networks there: aislada-dhcp, default\./);
    expect(e.message).to.match(/lab file says networks\.nat: red-nat/);
    expect(v['nat.host.network-type.red-nat']!.outcome).to.equal('skip');
    expect(v['nat.host.network-active.red-nat']!.outcome).to.equal('skip');

    const w = run(spec, 'isolated', snapshotOf([['net-default.xml'], ['net-aislada-dhcp-dns.xml']], []), lab(), 'es');
    const f = w['isolated.host.network-exists.red-aislada']!;
    expect(f.message).to.match(/No existe la red red-aislada \(o red_aislada\)/);
    expect(f.message).to.match(/¿Querías decir aislada-dhcp\?/);
    expect(f.codes).to.deep.equal(['network-missing', 'did-you-mean']);
  });

  it('missing VM: did-you-mean from the host\'s domains, lab file hint', () => {
    const snap = snapshotOf(COURSE, [['dom-multi-nic.xml', 'running']], ['Debian12', 'win-10']);
    const v = run(spec, 'nat', snap);
    expect(v['nat.host.vm-exists.debian12']!.message).to.match(/Did you mean Debian12\?/);
    expect(v['nat.host.vm-exists.win10']!.message).to.match(/Did you mean win-10\?/);
    expect(v['nat.host.vm-exists.win10']!.message).to.match(/vms\.windows\.domain/);
  });

  it('a VM listed but unreadable is an error citing the problem', () => {
    const snap = snapshotOf(COURSE, [], ['debian12'], ['VM debian12: could not read its definition or state: boom']);
    const v = run(spec, 'nat', snap);
    expect(v['nat.host.vm-exists.debian12']).to.include({ outcome: 'error' });
    expect(v['nat.host.vm-exists.debian12']!.message).to.match(/boom/);
  });

  it('a VM with several NICs: attached, and the other attachments are named; link down fails', () => {
    const l = lab({ vms: { linux: { role: 'linux', domain: 'router_vm', access: [] } } });
    const nets: NetSpec[] = [...COURSE, ['net-macvtap.xml']];
    const iso = run(spec, 'isolated', snapshotOf(nets, [['dom-multi-nic.xml', 'running']]), l);
    const a = iso['isolated.host.vm-attached.router_vm']!;
    expect(a.outcome).to.equal('fail');
    expect(a.codes).to.deep.equal(['link-down']);
    expect(a.message).to.match(/virsh domif-setlink router_vm 52:54:00:01:00:02 up/);
    const nat = run(spec, 'nat', snapshotOf([['net-red-nat.xml'], ['net-default.xml']], [['dom-multi-nic.xml', 'running']]), lab({ networks: { nat: 'default' }, vms: l.vms }));
    const b = nat['nat.host.vm-attached.router_vm']!;
    expect(b.outcome).to.equal('pass');
    expect(b.codes).to.deep.equal(['multiple-nics']);
    expect(b.message).to.match(/also has NICs on: bridge virbr2, which belongs to no libvirt network \(52:54:00:01:00:02\) \[link down\], direct enp3s0/);
  });

  it('paused VM: resume, not start; transient network: warning', () => {
    const v = run(spec, 'nat', snapshotOf([['net-red-nat.xml', { persistent: false, autostart: false }]], [['dom-debian12-running.xml', 'paused']]));
    expect(v['nat.host.vm-running.debian12']!.message).to.match(/virsh resume debian12/);
    expect(v['nat.host.network-autostart.red-nat']).to.include({ outcome: 'fail', severity: 'warning' });
    expect(v['nat.host.network-autostart.red-nat']!.codes).to.deep.equal(['network-transient']);
  });
});
