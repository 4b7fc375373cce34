import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseLinuxConfig as rawConfig,
  parseLinuxReach as rawReach,
  parseLinuxResolve as rawResolve,
  parseDhcpClients,
  parseResolvectl,
  linuxProber as rawProber,
} from '../../../grader/probes/linux/collector.js';
import { LocalConnection } from '../../../grader/transports/local.js';
import type { CommandEvidence } from '../../../grader/types.js';
import { flatProber, fromConfig, fromReach, fromResolution } from '../../helpers/facts.js';

// Results in the flat form of test/helpers/facts.ts (each Measured part side by side, a status per probe).
const parseLinuxConfig = (...a: Parameters<typeof rawConfig>) => fromConfig(rawConfig(...a));
const parseLinuxReach = (...a: Parameters<typeof rawReach>) => rawReach(...a).map(fromReach);
const parseLinuxResolve = (...a: Parameters<typeof rawResolve>) => fromResolution(rawResolve(...a));
const linuxProber = flatProber(rawProber);

const fx = (name: string) => readFileSync(join('test/fixtures/probes/linux', name), 'utf8');

describe('probes/linux parsing (fixtures)', () => {
  it('NAT guest with NetworkManager: DHCP address, gateway, DNS', () => {
    const c = parseLinuxConfig(fx('config-nat-networkmanager.txt'));
    expect(c.interfaces).to.have.length(1);
    expect(c.interfaces[0]).to.deep.equal({
      name: 'enp1s0',
      mac: '52:54:00:22:fa:b7',
      up: true,
      ipv4: [{ address: '192.168.101.218', prefix: 24, origin: 'dhcp', validLifetimeSec: 3287 }],
      ipv6LinkLocalOnly: false,
      dhcpEnabled: true,
    });
    expect(c.defaultGateway).to.equal('192.168.101.1');
    expect(c.dnsServers).to.deep.equal(['192.168.101.1']);
    expect(c.dnsSearch).to.deep.equal([]);
    expect(c.firewallEnabled).to.equal(null);
  });

  it('isolated guest with ifupdown static: static origin, no gateway, search domain', () => {
    const c = parseLinuxConfig(fx('config-isolated-ifupdown-static.txt'));
    expect(c.interfaces[0]!.ipv4).to.deep.equal([{ address: '192.168.102.2', prefix: 24, origin: 'static', validLifetimeSec: null }]);
    expect(c.interfaces[0]!.dhcpEnabled).to.equal(false);
    expect(c.defaultGateway).to.equal(null);
    expect(c.dnsServers).to.deep.equal(['192.168.102.1']);
    expect(c.dnsSearch).to.deep.equal(['lab.local']);
  });

  it('left on DHCP where there is none: IPv6 link-local only; systemd-resolved with no servers', () => {
    const c = parseLinuxConfig(fx('config-dhcp-left-systemd-resolved.txt'));
    expect(c.interfaces[0]).to.include({ name: 'ens3', ipv6LinkLocalOnly: true });
    expect(c.interfaces[0]!.ipv4).to.deep.equal([]);
    expect(c.dnsServers).to.deep.equal([]);
    expect(c.defaultGateway).to.equal(null);
  });

  it('systemd-resolved stub: asks resolvectl for the real servers; lowest-metric default route', () => {
    const c = parseLinuxConfig(fx('config-resolved-nat.txt'));
    expect(c.dnsServers).to.deep.equal(['192.168.122.1']);
    expect(c.dnsSearch).to.deep.equal(['lab.example']);
    expect(c.defaultGateway).to.equal('192.168.122.1');
    expect(c.interfaces[0]!.dhcpEnabled).to.equal(true); // networkd lease for ifindex 2
  });

  it('169.254/16 is link-local; udhcpc -i eth0 means DHCP configured', () => {
    const c = parseLinuxConfig(fx('config-apipa-udhcpc.txt'));
    expect(c.interfaces[0]!.ipv4[0]!.origin).to.equal('link-local');
    expect(c.interfaces[0]!.dhcpEnabled).to.equal(true);
    expect(c.dnsServers).to.deep.equal([]);
  });

  it('recognises DHCP client command lines', () => {
    const s = parseDhcpClients(
      [
        '/sbin/dhclient -4 -v -i -pf /run/dhclient.enp1s0.pid -lf /var/lib/dhcp/dhclient.enp1s0.leases -I -df /var/lib/dhcp/dhclient6.enp1s0.leases enp1s0 ',
        'udhcpc -b -p /var/run/udhcpc.eth0.pid -i eth0 ',
        'dhcpcd -q -b ',
        'sh -c echo dhclient',
      ].join('\n'),
    );
    expect([...s].sort()).to.deep.equal(['*', 'enp1s0', 'eth0']);
  });

  it('resolvectl text (C locale)', () => {
    expect(parseResolvectl('Global: 1.1.1.1\nLink 2 (enp1s0): 192.168.101.1 fe80::1%enp1s0\nGlobal:\nLink 2 (enp1s0): ~. red-nat\n')).to.deep.equal({
      servers: ['1.1.1.1', '192.168.101.1', 'fe80::1%enp1s0'],
      search: ['red-nat'],
    });
  });

  it('reach: replied, filtered (neighbour REACHABLE), no-neighbour (INCOMPLETE), no-reply via gateway, a ping killed at its bound is a silence', () => {
    const targets = ['192.168.101.1', '192.168.101.219', '192.168.101.77', '198.51.100.10', '203.0.113.5'];
    const r = parseLinuxReach(fx('reach-mixed.txt'), targets, false);
    expect(r).to.deep.equal([
      { target: '192.168.101.1', status: 'replied' },
      { target: '192.168.101.219', status: 'filtered', detail: 'neighbour REACHABLE' },
      { target: '192.168.101.77', status: 'no-neighbour', detail: 'neighbour INCOMPLETE' },
      { target: '198.51.100.10', status: 'no-reply', detail: 'via 192.168.101.1' },
      { target: '203.0.113.5', status: 'no-reply', detail: 'via 192.168.101.1' },
    ]);
  });

  it('reach: no-route when the route lookup fails; a name that does not resolve is an error', () => {
    const r = parseLinuxReach(fx('reach-isolated.txt'), ['198.51.100.10', '192.168.102.1', 'www.labgrade.test'], false);
    expect(r.map((x) => x.status)).to.deep.equal(['no-route', 'replied', 'error']);
    expect(r[2]!.error).to.include({ cause: 'failed', tool: 'ping' });
    expect(r[2]!.error!.detail).to.match(/Temporary failure in name resolution/);
  });

  it('reach: a script cut by its deadline leaves the missing targets as probe-timeout (not measured)', () => {
    const r = parseLinuxReach('@@LG-PING 0 0\n', ['192.168.1.1', '192.168.1.2'], true);
    expect(r.map((x) => x.status)).to.deep.equal(['replied', 'probe-timeout']);
    expect(r[1]!.error).to.include({ cause: 'cut-off' });
  });

  it('resolve: getent resolved / not found / timeout / no server; systemd-resolved upstream as server', () => {
    expect(parseLinuxResolve(fx('resolve-getent-ok.txt'), 'www.labgrade.test', false)).to.deep.equal({
      name: 'www.labgrade.test',
      status: 'resolved',
      addresses: ['198.51.100.10'],
      server: '192.168.101.1',
      tool: 'getent',
    });
    expect(parseLinuxResolve(fx('resolve-getent-notfound.txt'), 'x.test', false)).to.deep.include({ status: 'not-found', server: '192.168.102.1' });
    expect(parseLinuxResolve(fx('resolve-getent-timeout.txt'), 'x.test', false)).to.deep.include({ status: 'timeout', server: '10.9.9.9' });
    expect(parseLinuxResolve(fx('resolve-no-server.txt'), 'x.test', false)).to.deep.include({ status: 'no-server', server: null });
    expect(parseLinuxResolve(fx('resolve-resolved-stub.txt'), 'example.org', false)).to.deep.include({ status: 'resolved', server: '192.168.122.1' });
  });

  it('resolve: busybox nslookup fallback', () => {
    expect(parseLinuxResolve(fx('resolve-busybox-nslookup.txt'), 'www.labgrade.test', false)).to.deep.equal({
      name: 'www.labgrade.test',
      status: 'resolved',
      addresses: ['198.51.100.10'],
      server: '192.168.101.1',
      tool: 'nslookup',
    });
    expect(parseLinuxResolve(fx('resolve-busybox-nxdomain.txt'), 'www.labgrade.test', false).status).to.equal('not-found');
  });

  it('garbage or hostile output is "not measured", never empty facts, and never a crash', () => {
    for (const junk of ['', '\u0000\u00ff binary', '@@LG-BEGIN addr\n{not json\n@@LG-END addr 0', 'x'.repeat(100000)]) {
      const c = parseLinuxConfig(junk);
      expect(c.interfaces).to.deep.equal([]);
      expect(c.errors?.interfaces?.cause).to.equal('unparseable');
      expect(c.errors?.gateway).to.not.equal(undefined);
      expect(c.errors?.dns).to.not.equal(undefined);
      expect(parseLinuxReach(junk, ['1.2.3.4'], false)).to.have.length(1);
      expect(parseLinuxResolve(junk, 'a.test', false).status).to.equal('error');
    }
  });
});

describe('probes/linux scripts run by a real sh (this machine, loopback only)', function () {
  this.timeout(30000);
  it('config script output parses; reach of 127.0.0.1 classifies; resolve of localhost', async () => {
    const conn = new LocalConnection();
    const ev: CommandEvidence[] = [];
    const c = await linuxProber.config(conn, ev);
    expect(c.interfaces.every((i) => i.name !== 'lo')).to.equal(true);
    expect(ev[0]!.exitCode).to.equal(0);
    const r = await linuxProber.reach(conn, ['127.0.0.1'], 1000, ev);
    expect(r).to.have.length(1);
    expect(['replied', 'error']).to.include(r[0]!.status); // 'error' when ping is not installed here
    const res = await linuxProber.resolve(conn, 'localhost', 1000, ev);
    expect(res.status).to.equal('resolved');
    expect(res.addresses).to.include('127.0.0.1');
    expect(ev).to.have.length(3);
  });
});

describe('probes/linux: a user whose PATH has no sbin directories (this machine, no packets sent)', function () {
  this.timeout(30000);
  it('the config script still finds `ip` in /usr/sbin or /sbin and measures the interfaces', async function () {
    const { mkdtemp, symlink, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { existsSync } = await import('node:fs');
    if (!existsSync('/usr/sbin/ip') && !existsSync('/sbin/ip')) this.skip();
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-path-'));
    try {
      // Only the basic tools an unprivileged login has, from /usr/bin or /bin: no `ip` among them.
      for (const tool of ['sh', 'cat', 'grep', 'sed', 'tr', 'ls', 'awk']) {
        const from = ['/usr/bin', '/bin'].map((d) => `${d}/${tool}`).find((f) => existsSync(f));
        if (from) await symlink(from, join(dir, tool));
      }
      const conn = new LocalConnection('local', ['env', `PATH=${dir}`, join(dir, 'sh')]);
      const c = await linuxProber.config(conn, []);
      expect(c.errors?.interfaces).to.equal(undefined);
      const found = (await conn.runScript('command -v ip || echo none', [])).stdout.trim();
      expect(found).to.equal('none'); // not on the user's own PATH...
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('probes/linux on busybox applets only (this machine, loopback only; skipped without busybox)', function () {
  this.timeout(30000);
  it('busybox ip (no JSON) and busybox ping give the same facts as iproute2', async function () {
    const { mkdtemp, symlink, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { execFileSync } = await import('node:child_process');
    let bb: string;
    try {
      bb = execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim();
    } catch {
      return this.skip();
    }
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-bb-'));
    try {
      // A guest where `ip` and `ping` are busybox applets (they shadow iproute2/iputils in sbin).
      for (const a of ['sh', 'cat', 'grep', 'sed', 'tr', 'ls', 'awk', 'ip', 'ping', 'timeout']) await symlink(bb, join(dir, a));
      const conn = new LocalConnection('busybox', ['env', `PATH=${dir}`, join(dir, 'sh')]);
      const ev: CommandEvidence[] = [];
      const c = await linuxProber.config(conn, ev);
      expect(c.errors).to.equal(undefined);
      expect(ev[0]!.stdout).to.match(/^@@LG-BEGIN addr\n\d+: lo: </); // text, not JSON: busybox ip ran
      const iproute = await new LocalConnection().runScript('ip -j -4 addr show', []);
      const want = (JSON.parse(iproute.stdout) as { ifname: string; addr_info: { local: string }[] }[])
        .filter((l) => l.ifname !== 'lo')
        .flatMap((l) => l.addr_info.map((a) => a.local));
      expect(c.interfaces.flatMap((i) => i.ipv4.map((a) => a.address))).to.deep.equal(want);
      const r = await linuxProber.reach(conn, ['127.0.0.1'], 1000, ev);
      expect(r[0]!.status === 'replied' || r[0]!.error?.cause === 'permission-denied').to.equal(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
