// The lab's scenario knobs, each proven from inside the guests, and moveGuest. Every knob is the
// `all` scenario with one change; the suite ends back on `all`.
import { expect } from 'chai';
import { ensureLab, useScenario, guestSsh, guestAgent, inLabNetns, moveLabGuest, labStatus, LAB } from '../../helpers/lab.js';
import { leasesFor } from '../../../grader/lab/index.js';
import { virsh } from '../../../grader/lab/run.js';

interface IpAddr {
  addr_info: { family: string; local: string; prefixlen: number; scope: string; dynamic?: boolean }[];
}

async function addrs(name: string, family: '-4' | '-6'): Promise<IpAddr['addr_info']> {
  const r = await guestAgent(name, ['ip', '-j', family, 'addr', 'show', 'dev', 'eth0']);
  expect(r.exitCode, r.stderr).to.equal(0);
  return (JSON.parse(r.stdout) as IpAddr[])[0]?.addr_info ?? [];
}

const ping = async (from: string, target: string) => (await guestAgent(from, ['ping', '-c1', '-W1', target])).exitCode;
/** TCP connect from a guest (busybox nc, exit code only). */
const tcp = async (from: string, host: string, port: number) =>
  (await guestAgent(from, ['sh', '-c', 'nc -w 2 "$1" "$2" </dev/null >/dev/null', 'sh', host, String(port)])).exitCode;

describe('lab: scenario knobs', function () {
  before(async function () {
    await ensureLab(this, 'all');
  });
  after(async function () {
    this.timeout(10 * 60_000);
    await useScenario('all');
  });

  describe('firewall: win10 drops ICMP echo, TCP still answered', function () {
    before(async function () {
      this.timeout(10 * 60_000);
      await useScenario('firewall');
    });
    it('ping debian12 -> win10 fails while the link works (ARP resolved, TCP answered)', async function () {
      expect(await ping('debian12', LAB.guests.win10.nat)).to.not.equal(0);
      expect(await tcp('debian12', LAB.guests.win10.nat, 22)).to.equal(0);
      const neigh = await guestAgent('debian12', ['ip', '-j', 'neigh', 'show', LAB.guests.win10.nat]);
      const entries = JSON.parse(neigh.stdout) as { lladdr?: string; state?: string[] }[];
      expect(entries[0]?.lladdr).to.equal(LAB.guests.win10.mac);
    });
    it('is a netfilter rule in the guest (iptables INPUT DROP icmp echo-request)', async function () {
      const r = await guestAgent('win10', ['iptables', '-S', 'INPUT']);
      expect(r.exitCode, r.stderr).to.equal(0);
      expect(r.stdout).to.match(/-A INPUT -p icmp -m icmp --icmp-type 8 -j DROP/);
    });
    it('win10 itself still pings out', async function () {
      expect(await ping('win10', LAB.guests.debian12.nat)).to.equal(0);
    });
  });

  describe('dhcp-left: debian12-iso on DHCP in red-aislada (no DHCP server)', function () {
    before(async function () {
      this.timeout(10 * 60_000);
      await useScenario('dhcp-left');
    });
    it('has no IPv4 address, only an IPv6 link-local one, and keeps asking', async function () {
      expect(await addrs('debian12-iso', '-4')).to.deep.equal([]);
      const v6 = await addrs('debian12-iso', '-6');
      expect(v6.some((a) => a.local.startsWith('fe80:') && a.scope === 'link')).to.equal(true);
      const ps = await guestAgent('debian12-iso', ['ps']);
      expect(ps.stdout).to.contain('udhcpc');
    });
    it('cannot be reached over IPv4 from the host', async function () {
      expect((await inLabNetns(['ping', '-c1', '-W1', '192.168.102.2'])).exitCode).to.equal(1);
    });
  });

  describe('nat-no-dhcp: red-nat without its DHCP range', function () {
    before(async function () {
      this.timeout(10 * 60_000);
      await useScenario('nat-no-dhcp');
    });
    it('the network definition has no <dhcp>, still NAT with the host address', async function () {
      const r = await virsh(['net-dumpxml', 'red-nat']);
      expect(r.stdout).to.not.contain('<dhcp>');
      expect(r.stdout).to.contain("<forward mode='nat'");
      expect(r.stdout).to.contain("address='192.168.101.1'");
    });
    it('debian12 (left on DHCP) gets no IPv4; win10 (static .3) is static and reaches outside', async function () {
      expect(await addrs('debian12', '-4')).to.deep.equal([]);
      const w = await addrs('win10', '-4');
      expect(w.map((a) => `${a.local}/${a.prefixlen}`)).to.deep.equal(['192.168.101.3/24']);
      expect(w[0]!.dynamic).to.not.equal(true);
      expect(await ping('win10', LAB.outsideHost)).to.equal(0);
    });
  });

  describe('ssh-stopped: debian12 reachable through the agent only', function () {
    before(async function () {
      this.timeout(10 * 60_000);
      await useScenario('ssh-stopped');
    });
    it('SSH is refused, ping and the agent work', async function () {
      const r = await guestSsh('debian12', 'true', { timeoutMs: 15_000 });
      expect(r.exitCode).to.not.equal(0);
      expect(await tcp('win10', LAB.guests.debian12.nat, 22)).to.not.equal(0);
      expect((await inLabNetns(['ping', '-c1', '-W1', LAB.guests.debian12.nat])).exitCode).to.equal(0);
      expect((await guestAgent('debian12', ['true'])).exitCode).to.equal(0);
    });
  });

  describe('stale-lease: iso guests keep leases in red-nat while sitting on red-aislada', function () {
    before(async function () {
      this.timeout(10 * 60_000);
      await useScenario('stale-lease');
    });
    it('the lease outlives the move; the guest is static on red-aislada', async function () {
      for (const [name, addr] of [['debian12-iso', '192.168.102.2'], ['win10-iso', '192.168.102.3']] as const) {
        const leases = await leasesFor('red-nat', LAB.guests[name].mac);
        expect(leases).to.have.length.greaterThan(0);
        expect(leases[0]).to.match(/^192\.168\.101\./);
        const a = await addrs(name, '-4');
        expect(a.map((x) => x.local)).to.deep.equal([addr]);
        const st = (await labStatus()).guests.find((g) => g.name === name);
        expect(st?.network).to.equal('red-aislada');
      }
    });
  });

  describe('moveGuest', function () {
    it('moves win10-viso to red-aislada with a static address in one call', async function () {
      this.timeout(10 * 60_000);
      const restarted = await moveLabGuest('win10-viso', 'red-aislada', { mode: 'static', address: '192.168.102.9/24' });
      expect(restarted).to.deep.equal(['win10-viso']);
      expect((await addrs('win10-viso', '-4')).map((a) => a.local)).to.deep.equal(['192.168.102.9']);
      expect(await ping('win10-viso', '192.168.102.1')).to.equal(0);
      const st = (await labStatus()).guests.find((g) => g.name === 'win10-viso');
      expect(st?.network).to.equal('red-aislada');
    });
  });

  describe('applyScenario is idempotent', function () {
    it('re-applying the current scenario restarts nothing', async function () {
      this.timeout(10 * 60_000);
      await useScenario('all');
      expect(await useScenario('all')).to.deep.equal([]);
    });
  });
});
