import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectHost, findNetwork, findNetworkMatch, findDomain, leasesFor, hostAddressOn, didYouMean, networkOfInterface, LibvirtError } from '../../../grader/libvirt/snapshot.js';
import { Virsh } from '../../../grader/libvirt/virsh.js';
import type { HostSnapshot } from '../../../grader/types.js';

const fxDir = fileURLToPath(new URL('../../fixtures/libvirt/', import.meta.url));
const fakeVirsh = join(fxDir, 'fake-virsh.mjs');

function virshFor(hostJson: string, extra: Record<string, string> = {}, lang: 'es' | 'en' = 'en'): Virsh {
  return new Virsh({ uri: 'qemu:///system', lang, virshPath: fakeVirsh, env: { FAKE_VIRSH_HOST: hostJson, ...extra }, timeoutMs: 15_000 });
}

describe('inspectHost (fake virsh answering from fixtures)', function () {
  this.timeout(60_000);
  let snap: HostSnapshot;
  let tmp: string;
  let log: string;

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'lg-inspect-'));
    log = join(tmp, 'calls.jsonl');
    snap = await inspectHost('qemu:///system', { virsh: virshFor(join(fxDir, 'host-course.json'), { FAKE_VIRSH_LOG: log }) });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('runs virsh with -c URI, LC_ALL=C and TZ=UTC, as argument vectors', () => {
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { argv: string[]; env: Record<string, string> });
    expect(calls.length).to.be.greaterThan(8);
    for (const c of calls) {
      expect(c.argv.slice(0, 3)).to.deep.equal(['-q', '-c', 'qemu:///system']);
      expect(c.env).to.deep.equal({ LC_ALL: 'C', TZ: 'UTC' });
    }
    expect(calls.map((c) => c.argv.slice(3).join(' '))).to.include('net-dumpxml --network red-nat');
  });

  it('networks: flags from net-list filters, type, bridge, addresses', () => {
    const byName = Object.fromEntries(snap.networks.map((n) => [n.name, n]));
    expect(Object.keys(byName)).to.deep.equal(['default', 'macvtap-lan', 'puente', 'red-aislada', 'red-muy-aislada', 'red-nat']);
    expect(byName['red-nat']).to.deep.include({ active: true, autostart: true, persistent: true, type: 'nat', bridge: 'virbr1' });
    expect(byName['red-aislada']).to.deep.include({ active: true, autostart: false, type: 'isolated' });
    expect(byName['red-muy-aislada']).to.deep.include({ active: false, type: 'very-isolated' });
    expect(byName['macvtap-lan']).to.deep.include({ persistent: false, type: 'macvtap' });
    expect(byName['puente']!.type).to.equal('bridge');
  });

  it('a network whose XML does not parse is a problem, not a crash', () => {
    expect(snap.problems.some((p) => /network broken: could not read its definition: not well-formed XML/.test(p))).to.equal(true);
  });

  it('domains: state, NICs mapped to networks (by name, by bridge, by macvtap device)', () => {
    const deb = findDomain(snap, 'debian12')!;
    expect(deb).to.deep.include({ state: 'running', agentChannel: true, agentConnected: true, osinfo: 'http://debian.org/debian/12' });
    expect(deb.interfaces).to.deep.equal([{ type: 'network', source: 'red-nat', network: 'red-nat', mac: '52:54:00:22:fa:b7', model: 'virtio', target: 'vnet2' }]);
    const win = findDomain(snap, 'win10')!;
    expect(win).to.deep.include({ state: 'shut off', agentChannel: false, agentConnected: null });
    expect(win.interfaces[0]).to.deep.include({ type: 'bridge', source: 'virbr1', network: 'red-nat' });
    const r = findDomain(snap, 'router_vm')!;
    expect(r.interfaces.map((i) => i.network)).to.deep.equal(['default', 'red-aislada', 'macvtap-lan', null, null]);
    expect(r.agentConnected).to.equal(false); // channel state 'disconnected'
    expect(networkOfInterface(snap, r.interfaces[1]!)!.name).to.equal('red-aislada');
  });

  it('a domain that cannot be read is a problem; its name stays in domainNames', () => {
    expect(findDomain(snap, 'ghost')).to.equal(null);
    expect(snap.domainNames).to.deep.equal(['debian12', 'ghost', 'router_vm', 'win10']);
    expect(snap.problems.some((p) => /^VM ghost: .*the virtual machine ghost does not exist/.test(p))).to.equal(true);
  });

  it('leases: current ones, stale ones (NIC moved to another network), unknown MACs undecided', () => {
    const key = (mac: string, net: string) => snap.leases.find((l) => l.mac === mac && l.network === net)!;
    expect(key('52:54:00:22:fa:b7', 'red-nat')).to.deep.include({ stale: false, domain: 'debian12', address: '192.168.101.218' });
    expect(key('52:54:00:9c:41:e0', 'red-nat')).to.deep.include({ stale: false, domain: 'win10' });
    // router_vm's second NIC now sits on red-aislada (virbr2): its red-nat lease is history.
    expect(key('52:54:00:01:00:02', 'red-nat')).to.deep.include({ stale: true, domain: 'router_vm' });
    // debian12 is on red-nat now: its lease on default is stale.
    expect(key('52:54:00:22:fa:b7', 'default')).to.deep.include({ stale: true, domain: 'debian12' });
    // ghost could not be read: an unknown MAC cannot be called stale.
    expect(key('52:54:00:aa:bb:cc', 'default').stale).to.equal(false);
    expect(snap.problems.some((p) => /unrecognised DHCP lease line: garbage/.test(p))).to.equal(true);
  });

  it('leasesFor hides stale leases unless asked', () => {
    expect(leasesFor(snap, '52-54-00-22-FA-B7').map((l) => l.network)).to.deep.equal(['red-nat']);
    expect(leasesFor(snap, '52-54-00-22-FA-B7', { includeStale: true }).map((l) => l.network)).to.deep.equal(['red-nat', 'default']);
    expect(leasesFor(snap, 'not a mac')).to.deep.equal([]);
  });

  it('lookups: exact, then loose names; host address; did-you-mean', () => {
    expect(findNetwork(snap, ['red_nat', 'red-nat'])!.name).to.equal('red-nat');
    expect(findNetworkMatch(snap, ['red_nat'])).to.deep.include({ wanted: 'red_nat', exact: false });
    expect(findNetwork(snap, ['RED-AISLADA'])!.name).to.equal('red-aislada');
    expect(findNetwork(snap, ['nope'])).to.equal(null);
    expect(hostAddressOn(findNetwork(snap, ['red-nat'])!)).to.deep.equal({ address: '192.168.101.1', prefix: 24 });
    expect(hostAddressOn(findNetwork(snap, ['red-muy-aislada'])!)).to.equal(null);
    expect(didYouMean('red-nata', snap.networks.map((n) => n.name))).to.deep.equal(['red-nat']);
    expect(didYouMean('aislada', snap.networks.map((n) => n.name))).to.deep.equal(['red-aislada', 'red-muy-aislada']);
    expect(didYouMean('debian11', snap.domainNames!)).to.deep.equal(['debian12']);
    expect(didYouMean('zzz', snap.domainNames!)).to.deep.equal([]);
  });

  it('only the requested domains are inspected; stale decided only where known', async () => {
    const s = await inspectHost('qemu:///system', { domains: ['debian12'], agentPing: false, virsh: virshFor(join(fxDir, 'host-course.json')) });
    expect(s.domains.map((d) => d.name)).to.deep.equal(['debian12']);
    expect(s.domains[0]!.agentConnected).to.equal(null);
    expect(s.domainNames).to.have.length(4);
    expect(s.leases.find((l) => l.mac === '52:54:00:9c:41:e0')!.stale).to.equal(false);
  });

  it('connection failures throw a typed LibvirtError, localized', async () => {
    const host = join(tmp, 'down.json');
    writeFileSync(host, JSON.stringify({ connect: { stderr: "error: failed to connect to the hypervisor\nerror: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory" } }));
    let err: unknown;
    try {
      await inspectHost('qemu:///system', { virsh: virshFor(host, {}, 'es') });
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(LibvirtError);
    expect((err as LibvirtError).kind).to.equal('socket-missing');
    expect((err as LibvirtError).code).to.equal('unreachable');
    expect((err as LibvirtError).message).to.match(/no existe el socket/);
  });

  it('permission denied on the read-write socket falls back to read-only (no agent pings)', async () => {
    const host = join(tmp, 'ro.json');
    const course = JSON.parse(readFileSync(join(fxDir, 'host-course.json'), 'utf8'));
    for (const n of Object.values(course.networks) as { xml: string }[]) n.xml = join(fxDir, n.xml);
    for (const d of Object.values(course.domains) as { xml: string }[]) d.xml = join(fxDir, d.xml);
    for (const k of Object.keys(course.leases)) course.leases[k] = join(fxDir, course.leases[k]);
    writeFileSync(host, JSON.stringify({ ...course, roSocketOnly: true }));
    const s = await inspectHost('qemu:///system', { virsh: virshFor(host) });
    expect(s.readOnly).to.equal(true);
    expect(s.problems[0]).to.match(/read-only connection/);
    expect(findDomain(s, 'debian12')!.agentConnected).to.equal(null);
    expect(s.networks).to.have.length(6);
  });

  it('qemu+ssh URIs are run with BatchMode (no_tty=1) and the lab key; errors name the URI without parameters', async () => {
    const l2 = join(tmp, 'ssh-calls.jsonl');
    const v = new Virsh({ uri: 'qemu+ssh://alumno@servidor/system', sshKeyFile: '/home/alumno/.ssh/id_ed25519', virshPath: fakeVirsh, env: { FAKE_VIRSH_HOST: join(fxDir, 'host-course.json'), FAKE_VIRSH_LOG: l2 } });
    await v.listNetworks('all');
    const call = JSON.parse(readFileSync(l2, 'utf8').trim().split('\n')[0]!) as { argv: string[] };
    expect(call.argv.slice(0, 3)).to.deep.equal(['-q', '-c', 'qemu+ssh://alumno@servidor/system?no_tty=1&keyfile=/home/alumno/.ssh/id_ed25519']);
    let err: unknown;
    try {
      await v.netDumpXml('nope');
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(LibvirtError);
    expect((err as LibvirtError).target).to.equal('qemu+ssh://alumno@servidor/system');
    expect((err as LibvirtError).kind).to.equal('network-not-found');
  });

  it('a missing virsh program is a clear error', async () => {
    const v = new Virsh({ uri: 'qemu:///system', virshPath: join(tmp, 'no-such-virsh') });
    let err: unknown;
    try {
      await inspectHost('qemu:///system', { virsh: v });
    } catch (e) {
      err = e;
    }
    expect((err as LibvirtError).kind).to.equal('virsh-missing');
    expect((err as LibvirtError).message).to.match(/libvirt-clients/);
  });
});
