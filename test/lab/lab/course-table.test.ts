// The reference table of course-facts.md, proven from inside the lab's guests (scenario `all`:
// two guests per network). Each cell is observed with locale-independent commands (`ip -j`, exit codes).
import { expect } from 'chai';
import { ensureLab, useScenario, guestSsh, guestAgent, inLabNetns, LAB } from '../../helpers/lab.js';

interface IpAddr {
  ifname: string;
  addr_info: { family: string; local: string; prefixlen: number; dynamic?: boolean; valid_life_time?: number }[];
}

async function ipv4(name: string, via: 'ssh' | 'agent'): Promise<IpAddr['addr_info']> {
  const r = via === 'ssh' ? await guestSsh(name, 'ip -j -4 addr show dev eth0') : await guestAgent(name, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0']);
  expect(r.exitCode, r.stderr).to.equal(0);
  return (JSON.parse(r.stdout) as IpAddr[])[0]?.addr_info ?? [];
}

async function routes(name: string, via: 'ssh' | 'agent'): Promise<{ dst: string; gateway?: string }[]> {
  const r = via === 'ssh' ? await guestSsh(name, 'ip -j -4 route') : await guestAgent(name, ['ip', '-j', '-4', 'route']);
  expect(r.exitCode, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as { dst: string; gateway?: string }[];
}

/** Exit code of `ping -c1 -W1 target` run in the guest through the agent. */
async function ping(from: string, target: string): Promise<number> {
  return (await guestAgent(from, ['ping', '-c1', '-W1', target])).exitCode;
}

describe('lab: the course reference table, from inside the guests', function () {
  before(async function () {
    await ensureLab(this, 'all');
    await useScenario('all');
  });

  describe('NAT (red-nat)', function () {
    it('configuration is dynamic: a DHCP address from the range, with a finite lifetime', async function () {
      for (const [name, want] of [['debian12', LAB.guests.debian12.nat], ['win10', LAB.guests.win10.nat]] as const) {
        const a = await ipv4(name, 'ssh');
        expect(a).to.have.length(1);
        expect(a[0]!.local).to.equal(want);
        expect(a[0]!.prefixlen).to.equal(24);
        expect(a[0]!.dynamic).to.equal(true);
        expect(a[0]!.valid_life_time).to.be.a('number').and.to.be.greaterThan(0).and.at.most(3600);
      }
    });
    it('gateway and DNS server are the host address 192.168.101.1', async function () {
      const rt = await routes('debian12', 'ssh');
      expect(rt.find((r) => r.dst === 'default')?.gateway).to.equal('192.168.101.1');
      const rc = await guestSsh('debian12', 'cat /etc/resolv.conf');
      expect(rc.stdout.split('\n').filter((l) => l.startsWith('nameserver'))).to.deep.equal(['nameserver 192.168.101.1']);
    });
    it('reaches the outside host', async function () {
      expect(await ping('debian12', LAB.outsideHost)).to.equal(0);
    });
    it('resolves the Internet test name through 192.168.101.1', async function () {
      const r = await guestSsh('debian12', `getent ahostsv4 ${LAB.resolveName}`);
      expect(r.exitCode).to.equal(0);
      expect(r.stdout).to.contain(LAB.outsideHost);
      const direct = await guestAgent('debian12', ['nslookup', LAB.resolveName, '192.168.101.1']);
      expect(direct.exitCode).to.equal(0);
      expect(direct.stdout).to.contain(LAB.outsideHost);
    });
    it('an unknown Internet name does not resolve (NXDOMAIN)', async function () {
      const r = await guestSsh('debian12', 'getent ahostsv4 no-such-name.example');
      expect(r.exitCode).to.equal(2);
    });
    it('VM to VM and VM to host (.1) work', async function () {
      expect(await ping('debian12', LAB.guests.win10.nat)).to.equal(0);
      expect(await ping('win10', LAB.guests.debian12.nat)).to.equal(0);
      expect(await ping('debian12', '192.168.101.1')).to.equal(0);
    });
    it('the libvirt lease table has the reserved addresses (real DHCP)', async function () {
      const { leasesFor } = await import('../../../grader/lab/index.js');
      expect(await leasesFor('red-nat', LAB.guests.debian12.mac)).to.deep.equal([LAB.guests.debian12.nat]);
    });
  });

  describe('isolated (red-aislada)', function () {
    it('configuration is static: no lifetime, no gateway', async function () {
      for (const [name, want] of [['debian12-iso', '192.168.102.2'], ['win10-iso', '192.168.102.3']] as const) {
        const a = await ipv4(name, 'ssh');
        expect(a.map((x) => `${x.local}/${x.prefixlen}`)).to.deep.equal([`${want}/24`]);
        expect(a[0]!.dynamic).to.not.equal(true);
        expect((await routes(name, 'ssh')).some((r) => r.dst === 'default')).to.equal(false);
      }
    });
    it('does not reach the outside host', async function () {
      expect(await ping('debian12-iso', LAB.outsideHost)).to.not.equal(0);
    });
    it('does not resolve Internet names (not even through 192.168.102.1)', async function () {
      expect((await guestAgent('debian12-iso', ['getent', 'ahostsv4', LAB.resolveName])).exitCode).to.not.equal(0);
      const r = await guestAgent('debian12-iso', ['timeout', '5', 'nslookup', LAB.resolveName, '192.168.102.1']);
      expect(r.stdout).to.not.contain(LAB.outsideHost);
    });
    it('reaches the host (.1) and the other VM', async function () {
      expect(await ping('debian12-iso', '192.168.102.1')).to.equal(0);
      expect(await ping('debian12-iso', '192.168.102.3')).to.equal(0);
      expect(await ping('win10-iso', '192.168.102.2')).to.equal(0);
    });
  });

  describe('very isolated (red-muy-aislada)', function () {
    it('configuration is static 172.22.0.x/16 (read through the agent: no path from the host)', async function () {
      for (const [name, want] of [['debian12-viso', '172.22.0.2'], ['win10-viso', '172.22.0.3']] as const) {
        const a = await ipv4(name, 'agent');
        expect(a.map((x) => `${x.local}/${x.prefixlen}`)).to.deep.equal([`${want}/16`]);
        expect(a[0]!.dynamic).to.not.equal(true);
      }
    });
    it('VM to VM works (via the agent)', async function () {
      expect(await ping('debian12-viso', '172.22.0.3')).to.equal(0);
      expect(await ping('win10-viso', '172.22.0.2')).to.equal(0);
    });
    it('neither the host nor the outside is reachable; the host has no address there', async function () {
      expect(await ping('debian12-viso', LAB.outsideHost)).to.not.equal(0);
      expect(await ping('debian12-viso', '192.168.101.1')).to.not.equal(0);
      const br = await inLabNetns(['ip', '-j', '-4', 'addr', 'show', 'dev', 'virbr3']);
      expect((JSON.parse(br.stdout) as IpAddr[])[0]?.addr_info ?? []).to.deep.equal([]);
      expect((await inLabNetns(['ping', '-c1', '-W1', '172.22.0.2'])).exitCode).to.equal(1); // 1: no reply (2 would be an error)
    });
    it('no DNS server at all', async function () {
      const rc = await guestAgent('debian12-viso', ['cat', '/etc/resolv.conf']);
      expect(rc.stdout.trim()).to.equal('');
      expect((await guestAgent('debian12-viso', ['getent', 'ahostsv4', LAB.resolveName])).exitCode).to.not.equal(0);
    });
  });
});
