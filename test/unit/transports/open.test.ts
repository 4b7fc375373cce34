import { expect } from 'chai';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGuest, GuestUnreachableError, verifyIdentity } from '../../../grader/transports/open.js';
import { identityCheck } from '../../../grader/probes/identity.js';
import { netnsOpener } from '../../../grader/transports/stream.js';
import { connectSsh } from '../../../grader/transports/ssh.js';
import type { CommandResult, Connection, HostSnapshot, LabFile, LabVm, NetworkInfo, SshAccess } from '../../../grader/types.js';
import { startTestServer, knownHostsLine, type TestServer } from './ssh-test-server.js';
import { FakeAgent } from './fake-agent.js';

const MAC = '52:54:00:aa:bb:01';

function net(name: string, withIp: boolean): NetworkInfo {
  return {
    name,
    active: true,
    autostart: true,
    persistent: true,
    forwardMode: withIp ? 'nat' : null,
    type: withIp ? 'nat' : 'very-isolated',
    bridge: 'virbr9',
    ips: withIp ? [{ family: 'ipv4', address: '192.0.2.1', prefix: 24, dhcpRanges: [], dhcpHosts: [] }] : [],
    dns: { enabled: withIp, forwarders: [] },
  };
}

function snapshot(network: NetworkInfo, extra: Partial<HostSnapshot> = {}): HostSnapshot {
  return {
    uri: 'qemu:///system',
    takenAt: new Date().toISOString(),
    networks: [network],
    domains: [
      {
        name: 'debian12',
        state: 'running',
        interfaces: [{ type: 'network', source: network.name, network: network.name, mac: MAC }],
        agentChannel: true,
        agentConnected: true,
      },
    ],
    leases: [],
    problems: [],
    ...extra,
  };
}

describe('transports/open (openGuest) with a test SSH server and a fake agent', function () {
  this.timeout(30000);
  let srv: TestServer;
  let dir: string;
  let lab: LabFile;
  let pwFile: string;

  before(async () => {
    srv = await startTestServer();
    dir = await mkdtemp(join(tmpdir(), 'labgrade-open-'));
    await writeFile(join(dir, 'known_hosts'), knownHostsLine(srv));
    pwFile = join(dir, 'pw');
    await writeFile(pwFile, 'wrong-password\n');
    lab = { file: join(dir, 'lab.yaml'), uri: 'qemu:///system', networks: {}, vms: {} };
  });
  after(async () => {
    await srv.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ssh = (o: Partial<SshAccess> = {}): SshAccess => ({
    kind: 'ssh',
    user: 'lab',
    port: srv.port,
    useAgent: false,
    acceptNewHostKey: false,
    jump: 'none',
    knownHostsFile: join(dir, 'known_hosts'),
    ...o,
  });

  it('uses the first method that works and keeps the reasons of the others', async () => {
    const vm: LabVm = { role: 'linux', domain: 'debian12', access: [ssh({ host: '127.0.0.1', password: { file: pwFile } }), { kind: 'agent' }] };
    const fake = new FakeAgent();
    const g = await openGuest(vm, { lab, snapshot: snapshot(net('red-nat', true)), os: 'linux', identity: identityCheck('linux'), virsh: fake });
    expect(g.address).to.equal('agent');
    expect(g.conn.kind).to.equal('agent');
    expect(g.tried).to.have.length(2);
    expect(g.tried[0]).to.include({ method: `ssh lab@127.0.0.1:${srv.port}`, code: 'auth', outcome: 'failed', reason: 'auth' });
    expect(g.tried[0]!.error).to.not.include('wrong-password');
    expect(g.tried[1]).to.include({ method: 'agent', outcome: 'used', reason: null });
    await g.conn.close();
  });

  it('connects over SSH with an explicit host', async () => {
    await writeFile(pwFile, 's3cret-pw\n');
    const vm: LabVm = { role: 'linux', domain: 'debian12', access: [ssh({ host: '127.0.0.1', password: { file: pwFile } })] };
    const g = await openGuest(vm, { lab, snapshot: snapshot(net('red-nat', true)), os: 'linux', identity: identityCheck('linux'), virsh: new FakeAgent() });
    expect(g.address).to.equal('127.0.0.1');
    expect((await g.conn.runScript('echo "$1"', ['hola'])).stdout).to.equal('hola\n');
    await g.conn.close();
  });

  it('a lab of one\'s own without a password (as init writes it): LABGRADE_<ROLE>_PASSWORD; never for a student\'s lab', async () => {
    const vm: LabVm = { role: 'linux', domain: 'debian12', access: [ssh({ host: '127.0.0.1' })] };
    const saved = process.env.LABGRADE_LINUX_PASSWORD;
    process.env.LABGRADE_LINUX_PASSWORD = 's3cret-pw';
    try {
      const g = await openGuest(vm, { lab, snapshot: snapshot(net('red-nat', true)), os: 'linux', identity: identityCheck('linux'), virsh: new FakeAgent() });
      expect(g.address).to.equal('127.0.0.1');
      await g.conn.close();
      // The same file handed in by a student: the variable of whoever grades is not used.
      try {
        await openGuest(vm, { lab: { ...lab, trust: 'student' }, snapshot: snapshot(net('red-nat', true)), os: 'linux', identity: identityCheck('linux'), virsh: new FakeAgent() });
        expect.fail('a student lab must not get the grader\'s variable');
      } catch (e) {
        expect((e as GuestUnreachableError).tried[0]).to.include({ code: 'config' });
        expect((e as GuestUnreachableError).tried[0]!.error).to.include('roster');
      }
    } finally {
      if (saved === undefined) delete process.env.LABGRADE_LINUX_PASSWORD;
      else process.env.LABGRADE_LINUX_PASSWORD = saved;
    }
    // WinRM without a password in one's own lab: the error names the variable to set.
    const win: LabVm = { role: 'windows', domain: 'debian12', access: [{ kind: 'winrm', user: 'alumno', host: '127.0.0.1', scheme: 'https', port: 5986, auth: 'ntlm', insecureSkipVerify: false, jump: 'none' }] };
    const { missingPasswords } = await import('../../../grader/transports/password-prompt.js');
    expect(missingPasswords({ ...lab, vms: { windows: win } })).to.deep.equal([{ role: 'windows', user: 'alumno', env: 'LABGRADE_WINDOWS_PASSWORD' }]);
    expect(missingPasswords({ ...lab, trust: 'student', vms: { windows: win } })).to.deep.equal([]);
    try {
      await openGuest(win, { lab, snapshot: snapshot(net('red-nat', true)), os: 'windows', identity: identityCheck('windows'), virsh: new FakeAgent() });
      expect.fail('no password');
    } catch (e) {
      expect((e as GuestUnreachableError).tried[0]!.error).to.include('export LABGRADE_WINDOWS_PASSWORD=');
    }
  });

  it('very isolated network: network methods skipped with the reason, agent used', async () => {
    const vm: LabVm = { role: 'linux', domain: 'debian12', access: [ssh({ password: { file: pwFile } }), { kind: 'agent' }] };
    const n = net('red-muy-aislada', false);
    const g = await openGuest(vm, { lab, snapshot: snapshot(n), os: 'linux', identity: identityCheck('linux'), network: n, virsh: new FakeAgent() });
    expect(g.conn.kind).to.equal('agent');
    expect(g.tried[0]!.error).to.include('red-muy-aislada').and.include('agent');
  });

  it('a lease that leads to another machine is refused after the identity check', async () => {
    const vm: LabVm = { role: 'linux', domain: 'debian12', access: [ssh({ password: { file: pwFile } })] };
    const n = net('red-nat', true);
    const snap = snapshot(n, { leases: [{ network: 'red-nat', mac: MAC, address: '127.0.0.1', prefix: 8 }] });
    snap.domains[0]!.agentChannel = false;
    try {
      await openGuest(vm, { lab, snapshot: snap, os: 'linux', identity: identityCheck('linux'), network: n, virsh: new FakeAgent() });
      expect.fail('should not accept');
    } catch (e) {
      expect(e).to.be.instanceOf(GuestUnreachableError);
      const t = (e as GuestUnreachableError).tried;
      expect(t).to.have.length(1);
      expect(t[0]!.method).to.equal(`ssh lab@127.0.0.1:${srv.port}`);
      expect(t[0]!.error).to.include(MAC).and.include('127.0.0.1');
    }
  });

  it('no address anywhere: says so; a stopped domain: says so', async () => {
    const vm: LabVm = { role: 'linux', domain: 'debian12', access: [ssh({ password: { file: pwFile } })] };
    const fake = new FakeAgent();
    fake.interfaces = [];
    try {
      await openGuest(vm, { lab, snapshot: snapshot(net('red-nat', true)), os: 'linux', identity: identityCheck('linux'), virsh: fake });
      expect.fail('no address');
    } catch (e) {
      expect((e as GuestUnreachableError).tried[0]!.error).to.include('host:');
    }
    const snap = snapshot(net('red-nat', true));
    snap.domains[0]!.state = 'shut off';
    try {
      await openGuest(vm, { lab, snapshot: snap, os: 'linux', identity: identityCheck('linux'), virsh: fake });
      expect.fail('stopped');
    } catch (e) {
      expect((e as GuestUnreachableError).code).to.equal('domain-not-running');
    }
  });
});

describe('transports/stream: the netns pipe program', function () {
  this.timeout(30000);
  it('carries an SSH session over a child process stdio (run here without a namespace)', async () => {
    const srv = await startTestServer();
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-pipe-'));
    try {
      await writeFile(join(dir, 'kh'), knownHostsLine(srv));
      // `env node netns-relay.mjs SOCKET` instead of `ip netns exec NS node netns-relay.mjs SOCKET`
      const opener = netnsOpener('test', { command: 'env', prefixArgs: [] });
      const conn = await connectSsh({ host: '127.0.0.1', port: srv.port, user: 'lab', password: 's3cret-pw', knownHostsFiles: [join(dir, 'kh')], openStream: opener });
      const r = await conn.runScript('head -c 300000 /dev/zero | wc -c', []);
      expect(r.stdout.trim()).to.equal('300000');
      await conn.close();
      // a closed port is reported as refused
      await srv.close();
      await opener('127.0.0.1', srv.port).then(
        () => expect.fail('should be refused'),
        (e) => expect(e.code).to.equal('refused'),
      );
      expect(() => netnsOpener('-bad name')).to.throw();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** Our child processes running this test's netns relay (from /proc: ppid, command line, environment). */
function relayChildren(): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('netns-relay.mjs') && readFileSync(`/proc/${d}/environ`, 'utf8').includes('LABGRADE_RELAY_TEST=1')) pids.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return pids;
}

describe('transports/stream: one netns relay per run, not one process per connection', function () {
  this.timeout(30000);
  it('opens several SSH connections at once through a single relay process, which outlives them', async () => {
    const srv = await startTestServer();
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-relay-'));
    try {
      await writeFile(join(dir, 'kh'), knownHostsLine(srv));
      // A namespace-entry command of its own (`env X=1`), so this test gets a fresh relay.
      const opener = netnsOpener('test', { command: 'env', prefixArgs: ['LABGRADE_RELAY_TEST=1'] });
      const open = () => connectSsh({ host: '127.0.0.1', port: srv.port, user: 'lab', password: 's3cret-pw', knownHostsFiles: [join(dir, 'kh')], openStream: opener });
      const conns = await Promise.all([open(), open(), open()]);
      const outs = await Promise.all(conns.map((c, i) => c.runScript('echo "$1"', [`conn-${i}`])));
      expect(outs.map((r) => r.stdout.trim())).to.deep.equal(['conn-0', 'conn-1', 'conn-2']);
      const relays = relayChildren();
      expect(relays).to.have.length(1);
      await Promise.all(conns.map((c) => c.close()));
      const again = await open();
      expect((await again.runScript('echo again', [])).stdout.trim()).to.equal('again');
      await again.close();
      expect(relayChildren()).to.deep.equal(relays);
    } finally {
      await srv.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('transports/open: jump through the libvirt host of a qemu+ssh URI', function () {
  this.timeout(30000);
  it('reaches the guest with forwardOut through one shared host connection, closed with the last guest', async () => {
    const host = await startTestServer({ user: 'admin', password: 'host-pw' });
    const guest = await startTestServer();
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-jump-'));
    try {
      await writeFile(join(dir, 'kh'), knownHostsLine(host) + knownHostsLine(guest));
      await writeFile(join(dir, 'pw'), 's3cret-pw');
      const lab: LabFile = {
        file: join(dir, 'lab.yaml'),
        uri: `qemu+ssh://admin@127.0.0.1:${host.port}/system`,
        networks: {},
        vms: {},
        hostSsh: { kind: 'ssh', user: 'admin', host: '127.0.0.1', port: host.port, password: { value: 'host-pw' }, useAgent: false, acceptNewHostKey: false, jump: 'none', knownHostsFile: join(dir, 'kh') },
      };
      const vm: LabVm = {
        role: 'linux',
        domain: 'debian12',
        access: [{ kind: 'ssh', user: 'lab', host: '127.0.0.1', port: guest.port, password: { file: join(dir, 'pw') }, useAgent: false, acceptNewHostKey: false, jump: 'auto', knownHostsFile: join(dir, 'kh') }],
      };
      const { JumpPool } = await import('../../../grader/transports/open.js');
      const jumps = new JumpPool();
      const ctx = { lab, snapshot: snapshot(net('red-nat', true)), os: 'linux' as const, identity: identityCheck('linux'), virsh: new FakeAgent(), jumps };
      const a = await openGuest(vm, ctx);
      const b = await openGuest(vm, ctx);
      expect(a.conn.target).to.include('via admin@127.0.0.1');
      expect((await a.conn.runScript('echo "$1"', ['uno'])).stdout).to.equal('uno\n');
      expect((await b.conn.runScript('echo "$1"', ['dos'])).stdout).to.equal('dos\n');
      expect(host.connections).to.equal(1);
      expect(host.forwards).to.deep.equal([`127.0.0.1:${guest.port}`, `127.0.0.1:${guest.port}`]);
      expect(host.commands).to.deep.equal([]); // nothing ran on the libvirt host
      await a.conn.close();
      expect(host.clients.size).to.equal(1);
      await b.conn.close();
      await new Promise((r) => setTimeout(r, 200));
      expect(host.clients.size).to.equal(0);
    } finally {
      await host.close();
      await guest.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('transports/open: the identity check tells "cannot check" from "does not match"', function () {
  this.timeout(30000);
  const res = (stdout: string, o: Partial<CommandResult> = {}): CommandResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 1, truncated: false, timedOut: false, ...o });
  const conn = (r: CommandResult, kind: Connection['kind'] = 'ssh'): Connection => ({ kind, target: 'ssh usuario@192.0.2.50:22', runScript: async () => r, close: async () => undefined });
  const NO_IP = '@@LG-BEGIN addr\n\n@@LG-ERR addr\nip: not found\n@@LG-END addr 127\n';
  const ADDR = (mac: string) =>
    `@@LG-BEGIN addr\n[{"ifindex":2,"ifname":"enp1s0","flags":["UP","LOWER_UP"],"operstate":"UP","link_type":"ether","address":"${mac}","addr_info":[{"family":"inet","local":"192.0.2.50","prefixlen":24}]}]\n@@LG-ERR addr\n\n@@LG-END addr 0\n`;

  it('Linux: match, mismatch (another MAC: a stale lease), cannot-check (`ip` missing, unparseable, cut off)', async () => {
    expect(await verifyIdentity(conn(res(ADDR(MAC))), identityCheck('linux'), [MAC], '192.0.2.50')).to.deep.equal({ verdict: 'match' });
    expect(await verifyIdentity(conn(res(ADDR('52:54:00:99:99:99'))), identityCheck('linux'), [MAC], '192.0.2.50')).to.deep.equal({ verdict: 'mismatch' });
    const missing = await verifyIdentity(conn(res(NO_IP)), identityCheck('linux'), [MAC], '192.0.2.50');
    expect(missing.verdict).to.equal('cannot-check');
    expect(missing.verdict === 'cannot-check' && missing.error).to.include({ cause: 'tool-missing', tool: 'ip' });
    const junk = await verifyIdentity(conn(res('@@LG-BEGIN addr\nwhat\n@@LG-END addr 0\n')), identityCheck('linux'), [MAC], '192.0.2.50');
    expect(junk.verdict === 'cannot-check' && junk.error.cause).to.equal('unparseable');
    const cut = await verifyIdentity(conn(res('', { exitCode: null, timedOut: true })), identityCheck('linux'), [MAC], '192.0.2.50');
    expect(cut.verdict === 'cannot-check' && cut.error.cause).to.equal('cut-off');
  });

  it('Linux with a first script (the survey): it runs in place of the identity script and its result comes back', async () => {
    const ran: string[] = [];
    const survey = `@@LG-PART-BEGIN config\n${ADDR(MAC)}@@LG-PART-END config\n@@LG-PING 0 0 64 bytes from 198.51.100.10\n`;
    const c: Connection = { kind: 'ssh', target: 'ssh usuario@192.0.2.50:22', runScript: async (script) => (ran.push(script), res(survey)), close: async () => undefined };
    const plan = { label: 'survey', script: 'SURVEY-SCRIPT', args: ['www.labgrade.test', '1', '198.51.100.10'], timeoutMs: 15000 };
    const id = await verifyIdentity(c, identityCheck('linux', plan), [MAC], '192.0.2.50');
    expect(id.verdict).to.equal('match');
    expect(id.first?.stdout).to.equal(survey);
    expect(ran).to.deep.equal(['SURVEY-SCRIPT']);
    // A mismatch still hands the run back (the caller drops it with the connection).
    expect((await verifyIdentity(conn(res(ADDR('52:54:00:99:99:99'))), identityCheck('linux', plan), [MAC], '192.0.2.50')).verdict).to.equal('mismatch');
  });

  it('Windows: cmdlet missing or unreadable output is cannot-check, not a mismatch', async () => {
    const ok = await verifyIdentity(conn(res('[{"a":"192.0.2.50","m":"52-54-00-AA-BB-01"}]')), identityCheck('windows'), [MAC], '192.0.2.50');
    expect(ok).to.deep.equal({ verdict: 'match' });
    const nf = await verifyIdentity(conn(res('', { exitCode: 1, stderr: "Get-NetIPAddress : The term 'Get-NetIPAddress' is not recognized as the name of a cmdlet" })), identityCheck('windows'), [MAC], '192.0.2.50');
    expect(nf.verdict === 'cannot-check' && nf.error.cause).to.equal('tool-missing');
  });

  it('a lease whose identity cannot be checked is not called stale: the agent is used, the trail says why', async () => {
    const srv = await startTestServer({
      onExec: (cmd) =>
        cmd.includes('sec addr ipaddr')
          ? (ch) => {
              ch.write(NO_IP);
              ch.exit(0);
              ch.end();
            }
          : undefined,
    });
    const dir = await mkdtemp(join(tmpdir(), 'labgrade-id-'));
    try {
      await writeFile(join(dir, 'kh'), knownHostsLine(srv));
      const lab: LabFile = { file: join(dir, 'lab.yaml'), uri: 'qemu:///system', networks: {}, vms: {} };
      const ssh: SshAccess = { kind: 'ssh', user: 'lab', port: srv.port, password: { value: 's3cret-pw' }, useAgent: false, acceptNewHostKey: false, jump: 'none', knownHostsFile: join(dir, 'kh') };
      const n = net('red-nat', true);
      const snap = snapshot(n, { leases: [{ network: 'red-nat', mac: MAC, address: '127.0.0.1', prefix: 8 }] });
      const fake = new FakeAgent();
      fake.interfaces = []; // the agent runs commands but reports no address: the lease is the only candidate
      const g = await openGuest({ role: 'linux', domain: 'debian12', access: [ssh, { kind: 'agent' }] }, { lab, snapshot: snap, os: 'linux', identity: identityCheck('linux'), network: n, virsh: fake });
      expect(g.conn.kind).to.equal('agent');
      expect(g.tried.map((x) => [x.outcome, x.reason])).to.deep.equal([
        ['skipped', 'identity-unverified'],
        ['used', null],
      ]);
      expect(g.tried[0]!.detail).to.include('ip is not installed or not on the PATH').and.not.include('stale');
      await g.conn.close();

      // With no other method, the unverified connection is used, and says so.
      const only = await openGuest({ role: 'linux', domain: 'debian12', access: [ssh] }, { lab, snapshot: { ...snap, domains: [{ ...snap.domains[0]!, agentChannel: false }] }, os: 'linux', identity: identityCheck('linux'), network: n, virsh: fake });
      expect(only.conn.kind).to.equal('ssh');
      expect(only.tried.at(-1)).to.include({ outcome: 'used', reason: 'identity-unverified' });
      await only.conn.close();
    } finally {
      await srv.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
