// "A failed measurement is never a fact": every failure mode of every prober, from recorded
// outputs, gives "not measured" with its cause, or the fact its partial output proves; and no
// failed command, through the question checks, ever becomes a negative answer.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { interpret, splitSections, toolFailure, type ToolRun } from '../../../grader/probes/measurement.js';
import { linuxProber as rawLinux, parseLinuxConfig as rawConfig, parseLinuxReach as rawReach, parseLinuxResolve as rawResolve, parseIpAddrText, parseProcRoute, LOOKUP_PARSERS } from '../../../grader/probes/linux/collector.js';
import { windowsProber as rawWindows } from '../../../grader/probes/windows.js';
import { flatProber, fromConfig, fromReach, fromResolution, toConfig, toReach, toResolution, type FlatConfig, type FlatReach, type FlatResolution } from '../../helpers/facts.js';

// Results in the flat form of test/helpers/facts.ts (each Measured part side by side, a status per probe).
const parseLinuxConfig = (...a: Parameters<typeof rawConfig>) => fromConfig(rawConfig(...a));
const parseLinuxReach = (...a: Parameters<typeof rawReach>) => rawReach(...a).map(fromReach);
const parseLinuxResolve = (...a: Parameters<typeof rawResolve>) => fromResolution(rawResolve(...a));
const linuxProber = flatProber(rawLinux);
const windowsProber = flatProber(rawWindows);
import type { CommandResult, Connection, GuestFacts } from '../../../grader/types.js';
import { questionChecks } from '../../../checks/questions/index.js';
import { measurementText } from '../../../grader/facts/describe.js';
import { say } from '../../../grader/i18n/messages.js';
import type { QuestionContext } from '../../../checks/types.js';
import { courseSpec, labFile, snapshot, MAC } from '../../fixtures/engine/world.js';

const fx = (name: string) => readFileSync(join('test/fixtures/probes/linux/failures', name), 'utf8');
const G = 'ssh usuario@192.168.101.218:22';

const run = (o: Partial<ToolRun>): ToolRun => ({ command: 'cmd', tool: 'cmd', rc: 0, stdout: '', stderr: '', killed: false, ...o });

describe('probes/measurement: the one rule', () => {
  const how = { parse: (r: ToolRun) => (/^\d/.test(r.stdout) ? r.stdout.trim() : undefined) };
  const silent = { ...how, silence: () => 'silence' };

  it('exit 127 / "not found" from the shell is tool-missing; 126 and "permission denied" are permission-denied', () => {
    expect(toolFailure(run({ tool: 'ip', rc: 127 }), G)?.cause).to.equal('tool-missing');
    expect(toolFailure(run({ tool: 'ip', rc: 2, stderr: 'sh: 1: ip: not found' }), G)?.cause).to.equal('tool-missing');
    expect(toolFailure(run({ tool: 'ip', rc: 127, stderr: 'bash: ip: command not found' }), G)?.cause).to.equal('tool-missing');
    expect(toolFailure(run({ tool: 'busybox nslookup', rc: 127, stderr: 'nslookup: applet not found' }), G)?.cause).to.equal('tool-missing');
    expect(toolFailure(run({ tool: 'ip', rc: 126 }), G)?.cause).to.equal('permission-denied');
    expect(toolFailure(run({ tool: 'cat', rc: 1, stderr: 'cat: /etc/resolv.conf: Permission denied' }), G)?.cause).to.equal('permission-denied');
    expect(toolFailure(run({ tool: 'ping', rc: 2, stderr: 'ping: socket: Operation not permitted' }), G)?.cause).to.equal('permission-denied');
    // A missing file argument or a name the resolver does not know is not a missing tool.
    expect(toolFailure(run({ tool: 'cat', rc: 1, stderr: 'cat: /etc/resolv.conf: No such file or directory' }), G)).to.equal(null);
    expect(toolFailure(run({ tool: 'nslookup', rc: 1, stderr: "** server can't find x.test: NXDOMAIN" }), G)).to.equal(null);
  });

  it('names the command, the guest, the cause and what happened', () => {
    const m = interpret(run({ command: 'ip -j addr show', tool: 'ip', rc: 127, stderr: 'sh: 1: ip: not found' }), G, how);
    expect(m).to.deep.equal({
      ok: false,
      error: { command: 'ip -j addr show', guest: G, tool: 'ip', cause: 'tool-missing', detail: 'sh: 1: ip: not found', exitCode: 127 },
    });
  });

  it('output already produced wins over the bound and over a failing exit code', () => {
    expect(interpret(run({ stdout: '198.51.100.10', rc: 124, killed: true }), G, how)).to.deep.equal({ ok: true, value: '198.51.100.10' });
    expect(interpret(run({ stdout: '198.51.100.10', rc: null, killed: true }), G, how)).to.deep.equal({ ok: true, value: '198.51.100.10' });
  });

  it('silence until the bound is a fact only for probes that detect silence, and only when the tool ran', () => {
    expect(interpret(run({ rc: 124, killed: true }), G, silent)).to.deep.equal({ ok: true, value: 'silence' });
    const cfg = interpret(run({ rc: 124, killed: true }), G, how);
    expect(cfg.ok).to.equal(false);
    expect(!cfg.ok && cfg.error.cause).to.equal('cut-off');
    const missing = interpret(run({ tool: 'getent', rc: 127, killed: false, stderr: 'getent: not found' }), G, silent);
    expect(!missing.ok && missing.error.cause).to.equal('tool-missing');
  });

  it('unreadable output is unparseable (exit 0) or failed (other exit codes)', () => {
    const a = interpret(run({ stdout: 'junk', rc: 0 }), G, how);
    const b = interpret(run({ stdout: 'junk', rc: 3, stderr: 'boom' }), G, how);
    expect(!a.ok && a.error.cause).to.equal('unparseable');
    expect(!b.ok && b.error).to.include({ cause: 'failed', detail: 'boom', exitCode: 3 });
  });

  it('sections keep their own stderr; a section cut off inside keeps its partial output with rc null', () => {
    const s = splitSections('@@LG-BEGIN a\nout\n\n@@LG-ERR a\nerr line\n@@LG-END a 2\n@@LG-BEGIN b\npartial');
    expect(s.get('a')).to.deep.equal({ body: 'out', stderr: 'err line', rc: 2 });
    expect(s.get('b')).to.deep.equal({ body: 'partial', stderr: '', rc: null });
  });
});

describe('probes/linux: every failure mode, from recorded outputs', () => {
  it('config as an unprivileged user without `ip`: interfaces not measured (tool-missing); gateway from /proc/net/route', () => {
    const c = parseLinuxConfig(fx('config-no-ip-unprivileged.txt'), G);
    expect(c.interfaces).to.deep.equal([]);
    expect(c.errors?.interfaces).to.include({ cause: 'tool-missing', tool: 'ip', guest: G, exitCode: 127 });
    expect(c.errors?.gateway).to.equal(undefined);
    expect(c.defaultGateway).to.equal('192.168.101.1');
    expect(c.dnsServers).to.deep.equal(['192.168.101.1']);
  });

  it('config on a busybox guest: `ip addr` text; udhcpc\'s "forever" address is DHCP', () => {
    const c = parseLinuxConfig(fx('config-busybox-udhcpc.txt'), G);
    expect(c.errors).to.equal(undefined);
    expect(c.interfaces).to.deep.equal([
      {
        name: 'eth0',
        mac: '52:54:00:4c:47:12',
        up: true,
        ipv4: [{ address: '192.168.101.57', prefix: 24, origin: 'dhcp', validLifetimeSec: null }],
        ipv6LinkLocalOnly: false,
        dhcpEnabled: true,
      },
    ]);
    expect(c.defaultGateway).to.equal('192.168.101.1');
  });

  it('config cut off by its bound: what ended is kept, what was cut is not measured (cut-off)', () => {
    const c = parseLinuxConfig(fx('config-cut-off.txt'), G, true);
    expect(c.interfaces[0]!.ipv4[0]!.address).to.equal('192.168.101.218');
    expect(c.errors?.interfaces).to.equal(undefined);
    expect(c.errors?.gateway?.cause).to.equal('cut-off');
    expect(c.errors?.dns?.cause).to.equal('cut-off');
    expect(c.defaultGateway).to.equal(null);
  });

  it('config with /etc/resolv.conf unreadable: DNS not measured (permission-denied), never "no DNS server"', () => {
    const c = parseLinuxConfig(fx('config-resolv-denied.txt'), G);
    expect(c.errors?.dns).to.include({ cause: 'permission-denied', command: 'cat /etc/resolv.conf' });
    expect(c.errors?.gateway).to.equal(undefined);
    expect(c.defaultGateway).to.equal(null); // an empty route table is a fact
  });

  it('config with unparseable output: not measured (unparseable)', () => {
    const c = parseLinuxConfig(fx('config-unparseable.txt'), G);
    expect(c.errors?.interfaces?.cause).to.equal('unparseable');
    expect(c.errors?.gateway?.cause).to.equal('unparseable');
  });

  it('busybox `ip addr` text and /proc/net/route parse like their JSON forms', () => {
    const links = parseIpAddrText('2: eth0@if9: <BROADCAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP\n    link/ether 52:54:00:00:00:01 brd ff:ff:ff:ff:ff:ff\n    inet 10.0.0.5/8 brd 10.255.255.255 scope global dynamic eth0\n       valid_lft 3000sec preferred_lft 3000sec\n');
    expect(links).to.deep.equal([
      { ifindex: 2, ifname: 'eth0', flags: ['BROADCAST', 'UP', 'LOWER_UP'], operstate: 'UP', link_type: 'ether', address: '52:54:00:00:00:01', addr_info: [{ family: 'inet', local: '10.0.0.5', prefixlen: 8, dynamic: true, scope: 'global', valid_life_time: 3000 }] },
    ]);
    expect(parseIpAddrText('Usage: ip [OPTIONS] address')).to.equal(undefined);
    expect(parseProcRoute('Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\t00000000\t0165A8C0\t0003\t0\t0\t0\t00000000\n')).to.deep.equal([
      { dst: 'default', gateway: '192.168.101.1', metric: 0 },
    ]);
  });

  const reach = (line: string, targets = ['198.51.100.10']) => parseLinuxReach(`@@LG-TOOL ping ping\n@@LG-TOOL ip ip\n${line}\n@@LG-ADDR 0 198.51.100.10\n`, targets, false, G);

  it('reach: ping missing (no tool found, or exit 127) is not measured for every target', () => {
    const r = parseLinuxReach('@@LG-TOOL ping \n@@LG-TOOL ip ip\n', ['192.168.101.1', '198.51.100.10'], false, G);
    expect(r.map((x) => [x.status, x.error?.cause])).to.deep.equal([['error', 'tool-missing'], ['error', 'tool-missing']]);
    const r2 = reach('@@LG-PING 0 127 sh: 1: ping: not found');
    expect(r2[0]).to.deep.include({ status: 'error' });
    expect(r2[0]!.error).to.include({ cause: 'tool-missing', tool: 'ping', guest: G });
  });

  it('reach: an unprivileged ping that may not open its socket is not measured (permission-denied)', () => {
    expect(reach('@@LG-PING 0 1 ping: permission denied (are you root?)')[0]!.error?.cause).to.equal('permission-denied');
    const denied = reach('@@LG-PING 0 2 ping: socket: Operation not permitted\n@@LG-PGR 1\t0 | 1000 24')[0]!.error!;
    expect(denied.cause).to.equal('permission-denied');
    expect(denied.pingGroupRange).to.deep.equal({ range: '1 0', userInRange: false });
    // The fix for an unprivileged ping names the sysctl that allows it, when the guest shows it closed.
    expect(measurementText('en', denied, 'x')).to.include("net.ipv4.ping_group_range='0 2147483647'");
    // Open to the user's groups: not the cause, so not the advice.
    const open = reach('@@LG-PING 0 1 ping: permission denied (are you root?)\n@@LG-PGR 0\t2147483647 | 1000')[0]!.error!;
    expect(open.pingGroupRange).to.deep.equal({ range: '0 2147483647', userInRange: true });
    expect(measurementText('en', open, 'x')).not.to.include('sysctl -w');
    expect(measurementText('en', open, 'x')).to.include('is not the cause');
    // Not read (no evidence of the range): the general advice, not the sysctl.
    const unknown = reach('@@LG-PING 0 1 ping: permission denied (are you root?)')[0]!.error!;
    expect(unknown.pingGroupRange).to.equal(undefined);
    expect(measurementText('en', unknown, 'x')).not.to.include('sysctl -w');
    expect(measurementText('en', unknown, 'x')).to.include('log in as a user allowed to run it');
  });

  it('reach: a reply printed before the bound killed ping counts as replied', () => {
    expect(reach('@@LG-PING 0 124 PING 198.51.100.10 (198.51.100.10): 56 data bytes 64 bytes from 198.51.100.10: seq=0 ttl=63 time=1.2 ms')[0]).to.deep.equal({
      target: '198.51.100.10',
      status: 'replied',
    });
  });

  it('reach: a running ping killed at its bound with no reply is the silence it detects (a "no")', () => {
    const r = reach('@@LG-PING 0 124 PING 198.51.100.10 (198.51.100.10) 56(84) bytes of data.');
    expect(r[0]!.status).to.not.equal('error');
    expect(r[0]!.error).to.equal(undefined);
  });

  it('reach: output that is no ping transcript is not measured (failed), never a "no"', () => {
    const r = reach("@@LG-PING 0 2 ping: invalid argument: '-W'");
    expect(r[0]!.status).to.equal('error');
    expect(r[0]!.error).to.include({ cause: 'failed', exitCode: 2 });
    expect(reach('@@LG-PING 0 1 something odd')[0]!.error?.cause).to.equal('failed');
  });

  it('reach without `ip` (busybox guest): routes from /proc/net/route, neighbours from /proc/net/arp', () => {
    const r = parseLinuxReach(fx('reach-busybox-no-ip.txt'), ['192.168.101.1', '192.168.101.140', '198.51.100.10'], false, G);
    expect(r).to.deep.equal([
      { target: '192.168.101.1', status: 'replied' },
      { target: '192.168.101.140', status: 'filtered', detail: 'neighbour REACHABLE' },
      { target: '198.51.100.10', status: 'no-reply', detail: 'via 192.168.101.1' },
    ]);
  });

  it('resolve: busybox nslookup printed the A answer and was killed waiting (AAAA): resolved', () => {
    const cut = fx('resolve-busybox-a-then-killed-waiting-aaaa.txt');
    expect(parseLinuxResolve(cut, 'www.labgrade.test', true, G)).to.deep.equal({
      name: 'www.labgrade.test',
      status: 'resolved',
      addresses: ['198.51.100.10'],
      server: '192.168.101.1',
      tool: 'nslookup',
    });
    // Same transcript ended by timeout(1) (exit 124) instead of the script's deadline.
    const byTimeout = `${cut}\n@@LG-ERR nslookup\n\n@@LG-END nslookup 124\n`;
    expect(parseLinuxResolve(byTimeout, 'www.labgrade.test', false, G).status).to.equal('resolved');
  });

  it('resolve: no lookup tool at all, or exit 127: not measured (tool-missing)', () => {
    const r = parseLinuxResolve(fx('resolve-no-lookup-tool.txt'), 'www.labgrade.test', false, G);
    expect(r.status).to.equal('error');
    expect(r.error).to.include({ cause: 'tool-missing', guest: G });
    const r2 = parseLinuxResolve("@@LG-BEGIN ns\n192.168.101.1\n@@LG-END ns 0\n@@LG-BEGIN getent\n\n@@LG-ERR getent\ntimeout: failed to run command 'getent': No such file or directory\n@@LG-END getent 127\n", 'x.test', false, G);
    expect(r2.error?.cause).to.equal('tool-missing');
  });

  it('resolve: permission denied and unparseable output are not measured; a running lookup killed silent is a timeout', () => {
    const ns = '@@LG-BEGIN ns\n192.168.101.1\n@@LG-END ns 0\n';
    const denied = parseLinuxResolve(`${ns}@@LG-BEGIN resolvectl\n\n@@LG-ERR resolvectl\nFailed to resolve 'x.test': Access denied\n@@LG-END resolvectl 1\n`, 'x.test', false, G);
    expect(denied.error?.cause).to.equal('permission-denied');
    const usage = parseLinuxResolve(`${ns}@@LG-BEGIN nslookup\nBusyBox v1.27.2 multi-call binary.\n\nUsage: nslookup [HOST] [SERVER]\n@@LG-ERR nslookup\n\n@@LG-END nslookup 1\n`, 'x.test', false, G);
    expect(usage.status).to.equal('error');
    expect(usage.error?.cause).to.equal('failed');
    const junk = parseLinuxResolve(`${ns}@@LG-BEGIN host\n%%%\n@@LG-ERR host\n\n@@LG-END host 0\n`, 'x.test', false, G);
    expect(junk.error?.cause).to.equal('unparseable');
    const silent = parseLinuxResolve(`${ns}@@LG-BEGIN getent\n\n@@LG-ERR getent\n\n@@LG-END getent 124\n`, 'x.test', false, G);
    expect(silent).to.deep.include({ status: 'timeout', server: '192.168.101.1' });
  });

  it('resolve: every IPv4-only lookup tool is read (getent, nslookup, host, resolvectl, dig)', () => {
    const r = (o: Partial<ToolRun>) => run({ ...o });
    expect(LOOKUP_PARSERS.host!(r({ stdout: 'www.labgrade.test has address 198.51.100.10\n' }), 'www.labgrade.test')).to.deep.equal({ status: 'resolved', addresses: ['198.51.100.10'] });
    expect(LOOKUP_PARSERS.host!(r({ rc: 1, stdout: 'Host x.test not found: 3(NXDOMAIN)\n' }), 'x.test')?.status).to.equal('not-found');
    expect(LOOKUP_PARSERS.host!(r({ rc: 1, stdout: ';; connection timed out; no servers could be reached\n' }), 'x.test')?.status).to.equal('timeout');
    expect(LOOKUP_PARSERS.resolvectl!(r({ stdout: 'www.labgrade.test: 198.51.100.10                   -- link: enp1s0\n' }), 'www.labgrade.test')).to.deep.equal({ status: 'resolved', addresses: ['198.51.100.10'] });
    expect(LOOKUP_PARSERS.resolvectl!(r({ rc: 1, stderr: "x.test: resolve call failed: 'x.test' not found\n" }), 'x.test')?.status).to.equal('not-found');
    expect(LOOKUP_PARSERS.resolvectl!(r({ rc: 1, stderr: 'x.test: resolve call failed: All attempts to contact name servers or networks failed\n' }), 'x.test')?.status).to.equal('timeout');
    expect(LOOKUP_PARSERS.resolvectl!(r({ rc: 1, stderr: 'Failed to resolve x.test: Unit dbus-org.freedesktop.resolve1.service not found.\n' }), 'x.test')).to.equal(undefined);
    expect(LOOKUP_PARSERS.dig!(r({ stdout: 'edge.example.net.\n198.51.100.10\n' }), 'x')).to.deep.equal({ status: 'resolved', addresses: ['198.51.100.10'] });
    expect(LOOKUP_PARSERS.dig!(r({ rc: 0, stdout: '' }), 'x')?.status).to.equal('not-found');
    expect(LOOKUP_PARSERS.dig!(r({ rc: 9, stdout: ';; connection timed out; no servers could be reached\n' }), 'x')?.status).to.equal('timeout');
  });
});

// ------------------------------------------------------------------ through the question checks

/** A Connection that replays one recorded result per script (matched by a word of the script). */
class Replay implements Connection {
  readonly kind = 'ssh' as const;
  readonly target = G;
  constructor(private readonly byScript: (script: string) => CommandResult) {}
  async runScript(script: string): Promise<CommandResult> {
    return this.byScript(script);
  }
  async close(): Promise<void> {}
}

const result = (stdout: string, o: Partial<CommandResult> = {}): CommandResult => ({ exitCode: 0, stdout, stderr: '', durationMs: 5, truncated: false, timedOut: false, ...o });

function observeAll(flatConfig: FlatConfig, flatReach: FlatReach[], flatResolve: FlatResolution): Record<string, { error?: string; value: unknown }> {
  const config = toConfig(flatConfig);
  const reach = flatReach.map(toReach);
  const resolve = toResolution(flatResolve);
  const spec = courseSpec();
  const lab = labFile();
  const snap = snapshot({ linux: 'red-nat', windows: 'red-nat' });
  const task = spec.tasks.find((t) => t.network === 'nat')!;
  const facts: GuestFacts = {
    role: 'linux',
    domain: 'debian12',
    os: 'linux',
    transport: 'ssh',
    reachedVia: G,
    config,
    reach: Object.fromEntries(reach.map((r) => [r.target, r])),
    resolve,
    evidence: [],
  };
  const peer: GuestFacts = {
    ...facts,
    role: 'windows',
    domain: 'win10',
    config: toConfig({ interfaces: [{ name: 'e', mac: MAC.windows, up: true, ipv4: [{ address: '192.168.101.140', prefix: 24, origin: 'dhcp', validLifetimeSec: 100 }], ipv6LinkLocalOnly: false, dhcpEnabled: true }], defaultGateway: null, dnsServers: [], dnsSearch: [], firewallEnabled: null }),
  };
  const out: Record<string, { error?: string; value: unknown }> = {};
  for (const qid of task.questions) {
    const question = spec.questions[qid]!;
    const ctx: QuestionContext = {
      spec,
      task,
      question,
      role: 'linux',
      lab,
      snapshot: snap,
      network: snap.networks.find((n) => n.name === 'red-nat')!,
      guests: { linux: { ok: true, facts }, windows: { ok: true, facts: peer } },
      lang: 'en',
    };
    const o = questionChecks[question.check]!.observe(ctx);
    out[qid] = { value: o.value, ...(o.error !== undefined ? { error: say('en', o.error) } : {}) };
  }
  return out;
}

/** Every recorded failure of one prober, as whole-script results. */
const LINUX_FAILURES: Record<string, (script: string) => CommandResult> = {
  'tools missing (exit 127)': (s) =>
    s.includes('sec addr ipaddr') && s.includes('nm()')
      ? result(fx('config-no-ip-unprivileged.txt'))
      : s.includes('@@LG-PING')
        ? result('@@LG-TOOL ping \n@@LG-TOOL ip \n')
        : result(fx('resolve-no-lookup-tool.txt')),
  'permission denied': (s) =>
    s.includes('nm()')
      ? result(fx('config-resolv-denied.txt').replace('"local":"192.168.102.2"', '"local":"192.168.101.218"').replace('52:54:00:22:fa:b7', MAC.linux))
      : s.includes('@@LG-PING')
        ? result('@@LG-TOOL ping ping\n@@LG-TOOL ip ip\n@@LG-PING 0 2 ping: socket: Operation not permitted\n@@LG-PING 1 2 ping: socket: Operation not permitted\n@@LG-PING 2 2 ping: socket: Operation not permitted\n')
        : result('@@LG-BEGIN ns\n192.168.101.1\n@@LG-END ns 0\n@@LG-BEGIN resolvectl\n\n@@LG-ERR resolvectl\nFailed to resolve: Access denied\n@@LG-END resolvectl 1\n'),
  'killed at the bound with no output': () => result('', { exitCode: null, timedOut: true }),
  unparseable: (s) =>
    s.includes('nm()') ? result(fx('config-unparseable.txt')) : s.includes('@@LG-PING') ? result('@@LG-TOOL ping ping\n@@LG-PING 0 3 ?\n@@LG-PING 1 3 ?\n@@LG-PING 2 3 ?\n') : result('@@LG-BEGIN dig\n%%\n@@LG-ERR dig\n\n@@LG-END dig 10\n'),
};

describe('no failed command becomes a negative observation (through the question checks)', function () {
  this.timeout(20000);
  const targets = ['198.51.100.10', '192.168.101.1', '192.168.101.140'];

  for (const [mode, replay] of Object.entries(LINUX_FAILURES)) {
    it(`Linux prober, ${mode}: every answer that depends on a failed command is "could not measure"`, async () => {
      const conn = new Replay(replay);
      const config = await linuxProber.config(conn, []);
      const reach = await linuxProber.reach(conn, targets, 1000, []);
      const resolve = await linuxProber.resolve(conn, 'www.labgrade.test', 1000, []);
      expect(reach.every((r) => r.status === 'error' || r.status === 'probe-timeout')).to.equal(true);
      expect(resolve.status).to.equal('error');
      const obs = observeAll(config, reach, resolve);
      for (const [qid, o] of Object.entries(obs)) {
        const dependsOnFailure = ['outside', 'dns', 'vm_to_vm', 'host'].includes(qid) || (config.errors?.interfaces && ['config', 'vm_config'].includes(qid)) || (config.errors?.dns && ['dns_server', 'vm_config'].includes(qid)) || (config.errors?.gateway && qid === 'vm_config');
        if (dependsOnFailure) {
          expect(o.error, `${qid} must be "could not measure"`).to.be.a('string');
          expect(o.value, `${qid} must not be an answer`).to.equal(null);
        }
        // Never a "no" made of a failure: a yes-no observation that exists is not false here.
        if (o.value && (o.value as { kind: string }).kind === 'yes-no') expect((o.value as { value: boolean }).value).to.equal(true);
      }
    });
  }

  const WINDOWS_FAILURES: Record<string, CommandResult> = {
    'powershell missing (exit 127)': result('', { exitCode: 127, stderr: "sh: 1: powershell: not found" }),
    'access denied': result('', { exitCode: 1, stderr: 'Get-NetAdapter : Access is denied.' }),
    'killed at the bound with no output': result('', { exitCode: null, timedOut: true }),
    unparseable: result('<Objs Version="1.1.0.1">#< CLIXML', { exitCode: 0 }),
  };
  for (const [mode, r] of Object.entries(WINDOWS_FAILURES)) {
    it(`Windows prober, ${mode}: not measured, never a "no"`, async () => {
      const conn = new Replay(() => r);
      const config = await windowsProber.config(conn, []);
      const reach = await windowsProber.reach(conn, targets, 1000, []);
      const resolve = await windowsProber.resolve(conn, 'www.labgrade.test', 1000, []);
      expect(config.errors?.interfaces?.guest).to.equal(G);
      expect(config.errors?.dns).to.not.equal(undefined);
      expect(reach.every((x) => (x.status === 'error' || x.status === 'probe-timeout') && x.error !== undefined)).to.equal(true);
      expect(resolve.status).to.equal('error');
      expect(resolve.error?.command).to.match(/Resolve-DnsName/);
      const obs = observeAll(config, reach, resolve);
      for (const [qid, o] of Object.entries(obs)) {
        if (qid === 'host' || qid === 'vm_to_vm' || qid === 'outside' || qid === 'dns' || qid === 'config' || qid === 'vm_config' || qid === 'dns_server') {
          expect(o.error, `${qid}`).to.be.a('string');
        }
      }
    });
  }

  it('the message names what could not be measured, the guest, the command, what happened and the fix (en, es)', async () => {
    const conn = new Replay(LINUX_FAILURES['tools missing (exit 127)']!);
    const config = await linuxProber.config(conn, []);
    const obs = observeAll(config, [], { name: 'www.labgrade.test', status: 'resolved', addresses: ['198.51.100.10'], server: null });
    expect(obs.config!.error).to.equal(
      'Could not measure the network interfaces on debian12 (ssh usuario@192.168.101.218:22): "ip -j addr show" could not run: ip is not installed or not on the PATH (ip: not found). Fix: install ip in the VM (labgrade already looks in /usr/local/sbin, /usr/sbin and /sbin) or log in as a user whose PATH has it.',
    );
    const es = measurementText('es', config.errors!.interfaces!, 'las interfaces de red', 'debian12');
    expect(es).to.equal(
      'No fue posible medir las interfaces de red en debian12: «ip -j addr show» no se pudo ejecutar: ip no está instalado o no está en el PATH (ip: not found). Cómo arreglarlo: instala ip en la máquina virtual (labgrade ya busca en /usr/local/sbin, /usr/sbin y /sbin) o entra con un usuario que lo tenga en su PATH.',
    );
  });
});
