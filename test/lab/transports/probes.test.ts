// SSH (key and password) and guest-agent probes against the real sandboxed lab: correct facts for
// guests on each of the three course networks, a guest whose firewall drops ICMP (filtered), one
// with SSH stopped (agent path), and a stale-lease address refused by the identity check.
import { expect } from 'chai';
import { ensureLab, useScenario, labFileFor, LAB } from '../../helpers/lab.js';
import { loadLab } from '../../../grader/inputs/load-lab.js';
import { inspectHost } from '../../../grader/libvirt/snapshot.js';
import { openGuest, GuestUnreachableError, type OpenedGuest } from '../../../grader/transports/open.js';
import { proberFor } from '../../../grader/probes/index.js';
import { identityCheck } from '../../../grader/probes/identity.js';
import type { CommandEvidence, HostSnapshot, LabFile, LabVm } from '../../../grader/types.js';
import { flatProber } from '../../helpers/facts.js';

// Results in the flat form of test/helpers/facts.ts (each Measured part side by side, a status per probe).
const linux = flatProber(proberFor('linux'));

async function setup(roles: Record<string, string>, opts: Parameters<typeof labFileFor>[1] = {}): Promise<{ lab: LabFile; snap: HostSnapshot }> {
  const lab = await loadLab(await labFileFor(roles, opts));
  const snap = await inspectHost(lab.uri);
  return { lab, snap };
}

async function open(lab: LabFile, snap: HostSnapshot, role: string, network: string): Promise<OpenedGuest> {
  const vm = lab.vms[role] as LabVm;
  return openGuest(vm, { lab, snapshot: snap, os: vm.os ?? 'linux', identity: identityCheck(vm.os ?? 'linux'), network: snap.networks.find((n) => n.name === network)! });
}

describe('lab: transports and Linux probes', function () {
  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
  });

  it('NAT, SSH with a key: DHCP address, gateway and DNS = host, Internet and names reachable', async function () {
    this.timeout(120_000);
    const { lab, snap } = await setup({ linux: 'debian12', windows: 'win10' });
    const g = await open(lab, snap, 'linux', 'red-nat');
    try {
      expect(g.conn.kind).to.equal('ssh');
      expect(g.address).to.equal(LAB.guests.debian12.nat);
      const ev: CommandEvidence[] = [];
      const cfg = await linux.config(g.conn, ev);
      const eth = cfg.interfaces.find((i) => i.name === LAB.guestIf)!;
      expect(eth.mac).to.equal(LAB.guests.debian12.mac);
      expect(eth.ipv4).to.have.length(1);
      expect(eth.ipv4[0]).to.include({ address: '192.168.101.218', prefix: 24, origin: 'dhcp' });
      expect(eth.ipv4[0]!.validLifetimeSec).to.be.a('number');
      expect(eth.dhcpEnabled).to.equal(true);
      expect(cfg.defaultGateway).to.equal('192.168.101.1');
      expect(cfg.dnsServers).to.deep.equal(['192.168.101.1']);
      const reach = await linux.reach(g.conn, [LAB.outsideHost, '192.168.101.1', LAB.guests.win10.nat], 1000, ev);
      expect(reach.map((r) => r.status)).to.deep.equal(['replied', 'replied', 'replied']);
      const res = await linux.resolve(g.conn, LAB.resolveName, 1000, ev);
      expect(res).to.deep.include({ status: 'resolved', addresses: [LAB.outsideHost], server: '192.168.101.1' });
      const nx = await linux.resolve(g.conn, 'nope.example-not-in-lab.labgrade', 1000, ev);
      expect(nx.status).to.equal('not-found');
      expect(ev.every((e) => e.transport === 'ssh' && e.guest.includes('192.168.101.218'))).to.equal(true);
    } finally {
      await g.conn.close();
    }
  });

  it('hostile output from a real guest is bounded over dropbear SSH and over the agent', async function () {
    this.timeout(180_000);
    const { lab, snap } = await setup({ linux: 'debian12-iso', windows: 'win10-iso' }, { access: ['ssh'] });
    const g = await open(lab, snap, 'linux', 'red-aislada');
    try {
      const endless = await g.conn.runScript('yes labgrade', [], { maxOutputBytes: 100_000, timeoutMs: 20_000 });
      expect(endless).to.deep.include({ truncated: true, timedOut: false });
      expect(endless.stdout.length).to.equal(100_000);
      const slow = await g.conn.runScript('while :; do echo x; sleep 1; done', [], { timeoutMs: 1500 });
      expect(slow).to.deep.include({ timedOut: true, exitCode: null });
      const binary = await g.conn.runScript('head -c 300000 /dev/urandom', [], { maxOutputBytes: 50_000 });
      expect(binary.truncated).to.equal(true);
      expect((await g.conn.runScript('echo still-usable', [])).stdout).to.equal('still-usable\n');
    } finally {
      await g.conn.close();
    }
    const { lab: alab, snap: asnap } = await setup({ linux: 'debian12-iso', windows: 'win10-iso' }, { access: ['agent'] });
    const a = await open(alab, asnap, 'linux', 'red-aislada');
    try {
      expect(a.conn.kind).to.equal('agent');
      const big = await a.conn.runScript('head -c 3000000 /dev/zero | tr "\\0" z', [], { maxOutputBytes: 100_000, timeoutMs: 60_000 });
      expect(big.truncated).to.equal(true);
      expect(big.stdout).to.equal('z'.repeat(100_000));
      const stuck = await a.conn.runScript('sleep 60', [], { timeoutMs: 1500 });
      expect(stuck).to.deep.include({ timedOut: true, exitCode: null });
    } finally {
      await a.conn.close();
    }
  });

  it('NAT, SSH with a password only', async function () {
    this.timeout(120_000);
    const { lab, snap } = await setup({ linux: 'debian12', windows: 'win10' }, { passwordOnly: true });
    expect((lab.vms.windows!.access[0] as { keyFile?: string }).keyFile).to.equal(undefined);
    const g = await open(lab, snap, 'windows', 'red-nat');
    try {
      expect(g.conn.kind).to.equal('ssh');
      expect(g.address).to.equal(LAB.guests.win10.nat);
      const cfg = await linux.config(g.conn, []);
      expect(cfg.interfaces.find((i) => i.mac === LAB.guests.win10.mac)?.ipv4[0]?.address).to.equal('192.168.101.219');
    } finally {
      await g.conn.close();
    }
  });

  it('isolated: static address, no gateway, no Internet (no-route), host and peer reachable, no resolution', async function () {
    this.timeout(120_000);
    const { lab, snap } = await setup({ linux: 'debian12-iso', windows: 'win10-iso' });
    const g = await open(lab, snap, 'linux', 'red-aislada');
    try {
      expect(g.conn.kind).to.equal('ssh');
      expect(g.address).to.equal('192.168.102.2');
      const ev: CommandEvidence[] = [];
      const cfg = await linux.config(g.conn, ev);
      const eth = cfg.interfaces.find((i) => i.name === LAB.guestIf)!;
      expect(eth.ipv4[0]).to.include({ address: '192.168.102.2', prefix: 24, origin: 'static', validLifetimeSec: null });
      expect(cfg.defaultGateway).to.equal(null);
      const reach = await linux.reach(g.conn, [LAB.outsideHost, '192.168.102.1', '192.168.102.3'], 1000, ev);
      expect(reach.map((r) => r.status)).to.deep.equal(['no-route', 'replied', 'replied']);
      const res = await linux.resolve(g.conn, LAB.resolveName, 1000, ev);
      expect(res.status).to.not.equal('resolved');
      expect(res.addresses).to.deep.equal([]);
    } finally {
      await g.conn.close();
    }
  });

  it('very isolated: SSH impossible from the host (reason kept), the agent gets in; peer reachable only', async function () {
    this.timeout(180_000);
    const { lab, snap } = await setup({ linux: 'debian12-viso', windows: 'win10-viso' });
    const g = await open(lab, snap, 'linux', 'red-muy-aislada');
    try {
      expect(g.conn.kind).to.equal('agent');
      expect(g.address).to.equal('agent');
      expect(g.tried.map((x) => [x.outcome, x.reason])).to.deep.equal([
        ['skipped', 'very-isolated'],
        ['used', null],
      ]);
      expect(g.tried[0]!.method).to.match(/^ssh /);
      expect(g.tried[0]!.error).to.include('red-muy-aislada');
      const ev: CommandEvidence[] = [];
      const cfg = await linux.config(g.conn, ev);
      const eth = cfg.interfaces.find((i) => i.name === LAB.guestIf)!;
      expect(eth.ipv4[0]).to.include({ address: '172.22.0.2', prefix: 16, origin: 'static' });
      expect(cfg.defaultGateway).to.equal(null);
      const reach = await linux.reach(g.conn, ['172.22.0.3', LAB.outsideHost, '172.22.0.99'], 1000, ev);
      expect(reach[0]!.status).to.equal('replied');
      expect(reach[1]!.status).to.equal('no-route');
      expect(reach[2]!.status).to.equal('no-neighbour');
      const res = await linux.resolve(g.conn, LAB.resolveName, 1000, ev);
      expect(res.status).to.be.oneOf(['no-server', 'not-found', 'timeout']);
      expect(ev.every((e) => e.transport === 'agent')).to.equal(true);
    } finally {
      await g.conn.close();
    }
  });

  it('a stale DHCP lease pointing at another guest is refused by the identity check', async function () {
    this.timeout(120_000);
    const { lab, snap } = await setup({ linux: 'debian12-iso', windows: 'win10-iso' }, { access: ['ssh'] });
    // What virt-manager shows after a move: a lease in red-nat for this MAC, here for an address
    // that another guest (win10, same host key) answers. No agent, so the lease is the only hint.
    const dom = snap.domains.find((d) => d.name === 'debian12-iso')!;
    dom.agentChannel = false;
    snap.leases.push({ network: 'red-nat', mac: LAB.guests['debian12-iso'].mac, address: LAB.guests.win10.nat, prefix: 24 });
    const nat = snap.networks.find((n) => n.name === 'red-nat')!;
    try {
      await openGuest(lab.vms.linux!, { lab, snapshot: snap, os: 'linux', identity: identityCheck('linux'), network: nat });
      expect.fail('must not accept another guest');
    } catch (e) {
      expect(e).to.be.instanceOf(GuestUnreachableError);
      const tried = (e as GuestUnreachableError).tried;
      expect(tried.some((x) => x.method.includes(LAB.guests.win10.nat) && /MAC/.test(x.error) && x.reason === 'identity-mismatch')).to.equal(true);
    }
  });
});

describe('lab: firewall that drops ICMP, and SSH stopped', function () {
  before(async function () {
    await ensureLab(this, 'all');
  });

  it('a peer dropping ICMP echo is reported as filtered (neighbour resolved)', async function () {
    this.timeout(600_000);
    await useScenario('firewall');
    const { lab, snap } = await setup({ linux: 'debian12', windows: 'win10' });
    const g = await open(lab, snap, 'linux', 'red-nat');
    try {
      const reach = await linux.reach(g.conn, [LAB.guests.win10.nat, '192.168.101.1', '192.168.101.77'], 1000, []);
      expect(reach[0]).to.deep.include({ target: LAB.guests.win10.nat, status: 'filtered' });
      expect(reach[1]!.status).to.equal('replied');
      expect(reach[2]!.status).to.equal('no-neighbour');
    } finally {
      await g.conn.close();
    }
  });

  it('a guest with SSH stopped is reached through the agent, the SSH failure kept', async function () {
    this.timeout(600_000);
    await useScenario('ssh-stopped');
    const { lab, snap } = await setup({ linux: 'debian12', windows: 'win10' });
    const g = await open(lab, snap, 'linux', 'red-nat');
    try {
      expect(g.conn.kind).to.equal('agent');
      expect(g.tried.map((x) => x.code)).to.deep.equal(['refused', null]);
      expect(g.tried.map((x) => x.outcome)).to.deep.equal(['failed', 'used']);
      expect(g.tried[0]!.method).to.equal('ssh root@192.168.101.218:22');
      const cfg = await linux.config(g.conn, []);
      expect(cfg.interfaces.find((i) => i.name === LAB.guestIf)?.ipv4[0]?.address).to.equal('192.168.101.218');
      const reach = await linux.reach(g.conn, [LAB.outsideHost], 1000, []);
      expect(reach[0]!.status).to.equal('replied');
    } finally {
      await g.conn.close();
    }
  });
});
