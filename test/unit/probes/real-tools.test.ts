// The reach and resolve scripts against real tools (busybox ip/ping/nslookup, getent), as root and
// as an unprivileged user, in a private mount and network namespace (unshare -mn): loopback only,
// /etc/resolv.conf -> 127.0.0.1, where test/helpers/dns/responder.mjs answers A and never AAAA (a
// slow upstream). No packet leaves the namespace. Skipped where unshare or busybox are missing.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalConnection } from '../../../grader/transports/local.js';
import { linuxProber as rawProber } from '../../../grader/probes/linux/collector.js';
import { flatProber } from '../../helpers/facts.js';

// Results in the flat form of test/helpers/facts.ts.
const linuxProber = flatProber(rawProber);
import { measurementFix } from '../../../grader/facts/describe.js';
import type { CommandEvidence } from '../../../grader/types.js';

const HELPERS = resolve('test/helpers/dns');

function which(cmd: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}

async function guest(tools: Record<string, string>, asUser?: number, pingGroupRange?: string): Promise<{ conn: LocalConnection; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'labgrade-dns-'));
  await chmod(dir, 0o755); // the unprivileged user must reach the tools
  for (const [name, target] of Object.entries(tools)) await symlink(target, join(dir, name));
  const conn = new LocalConnection('guest-ns', [
    'env',
    `LG_TMP=${dir}`,
    `LG_RESPONDER=${join(HELPERS, 'responder.mjs')}`,
    'LG_NAMES=www.labgrade.test=198.51.100.10',
    `LG_GUEST_PATH=${dir}`,
    `LG_GUEST_SH=${join(dir, 'sh')}`,
    ...(asUser !== undefined ? [`LG_AS_USER=${asUser}`] : []),
    ...(pingGroupRange !== undefined ? [`LG_PING_GROUP_RANGE=${pingGroupRange}`] : []),
    'unshare',
    '-mn',
    '--',
    join(HELPERS, 'guest-ns.sh'),
  ]);
  return { conn, dir };
}

describe('probes/linux with real tools in a private namespace (busybox, getent, an unprivileged user, a test DNS server)', function () {
  this.timeout(60000);
  const bb = which('busybox');
  before(function () {
    if (!bb || process.getuid?.() !== 0 || !which('unshare')) return this.skip();
    try {
      execFileSync('unshare', ['-mn', 'true']);
    } catch {
      this.skip();
    }
  });

  const busyboxOnly = () => Object.fromEntries(['sh', 'cat', 'grep', 'sed', 'tr', 'ls', 'awk', 'nslookup', 'timeout'].map((a) => [a, bb!]));

  it('busybox nslookup asks A only (-type=a): resolved at once although AAAA never gets an answer', async () => {
    const { conn, dir } = await guest(busyboxOnly());
    try {
      const t0 = Date.now();
      const r = await linuxProber.resolve(conn, 'www.labgrade.test', 3000, []);
      expect(r).to.deep.include({ name: 'www.labgrade.test', status: 'resolved', addresses: ['198.51.100.10'], server: '127.0.0.1', tool: 'nslookup', command: 'nslookup -type=a www.labgrade.test' });
      expect(Date.now() - t0).to.be.below(3000); // did not wait for the bound
      expect((await linuxProber.resolve(conn, 'nx.labgrade.test', 3000, [])).status).to.equal('not-found');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('why -type=a: plain nslookup killed while waiting for AAAA loses its buffered A answer through a pipe', async () => {
    const { conn, dir } = await guest(busyboxOnly());
    try {
      const r = await conn.runScript('timeout 2 nslookup www.labgrade.test; echo "rc=$?"', [], { timeoutMs: 20000 });
      expect(r.stdout).to.not.include('198.51.100.10');
      expect(r.stdout).to.match(/rc=(124|143)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  const busyboxNet = () => ({ ...busyboxOnly(), ip: bb!, ping: bb! });

  it('reach on busybox ip/ping: a reply, and no route (192.0.2.77 has none in the namespace: nothing is sent)', async () => {
    const { conn, dir } = await guest(busyboxNet());
    try {
      const r = await linuxProber.reach(conn, ['127.0.0.1', '192.0.2.77'], 1000, []);
      expect(r.map(({ target, status }) => ({ target, status }))).to.deep.equal([
        { target: '127.0.0.1', status: 'replied' },
        { target: '192.0.2.77', status: 'no-route' },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reach as an unprivileged user whose ping may not open its socket: not measured (permission-denied), never "no"', async () => {
    const { conn, dir } = await guest(busyboxNet(), 65534);
    try {
      const r = await linuxProber.reach(conn, ['127.0.0.1', '192.0.2.77'], 1000, []);
      expect(r.map((x) => [x.status, x.error?.cause])).to.deep.equal([
        ['error', 'permission-denied'],
        ['error', 'permission-denied'],
      ]);
      expect(r[0]!.error!.detail).to.equal('PING 127.0.0.1 (127.0.0.1): 56 data bytes ping: permission denied (are you root?)');
      // The evidence shows ping_group_range closed to the user's groups: that advice, and only then.
      expect(r[0]!.error!.pingGroupRange).to.deep.equal({ range: '1 0', userInRange: false });
      expect(measurementFix('en', r[0]!.error!)).to.include("net.ipv4.ping_group_range='0 2147483647'");
      // The configuration is readable all the same.
      const c = await linuxProber.config(conn, []);
      expect(c.errors).to.equal(undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a ping denied although ping_group_range is open: not measured, and the advice is not to open it', async () => {
    const { conn, dir } = await guest(busyboxNet(), 65534, '0 2147483647');
    try {
      const r = await linuxProber.reach(conn, ['127.0.0.1'], 1000, []);
      expect(r[0]!.error!.cause).to.equal('permission-denied');
      expect(r[0]!.error!.pingGroupRange).to.deep.equal({ range: '0 2147483647', userInRange: true });
      const fix = measurementFix('en', r[0]!.error!);
      expect(fix).to.match(/already lets this user's groups ping, so that is not the cause/);
      expect(fix).not.to.include('sysctl -w');
      expect(measurementFix('es', r[0]!.error!)).to.match(/la causa no es esa/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // busybox-static with preferred applets: its `timeout` runs its own applet for a bare name. A
  // stand-in (busybox's own timeout, but a bare applet name becomes `busybox APPLET`, as there).
  const preferApplets = async (dir: string): Promise<string> => {
    const f = join(dir, 'timeout-prefer-applets');
    await writeFile(
      f,
      `#!/bin/sh\ns=$1; shift\ncase $1 in */*) exec ${bb} timeout "$s" "$@" ;; esac\nif ${bb} --list | grep -qx "$1"; then exec ${bb} timeout "$s" ${bb} "$@"; fi\nexec ${bb} timeout "$s" "$@"\n`,
    );
    await chmod(f, 0o755);
    return f;
  };

  it('the tool chosen is the tool run: busybox timeout with preferred applets + iputils ping, as an unprivileged user: measured', async function () {
    const ping = which('ping');
    if (!ping || !/cap_net_raw/.test(execFileSync('getcap', [ping], { encoding: 'utf8' }))) return this.skip();
    const holder = await mkdtemp(join(tmpdir(), 'labgrade-bbt-'));
    await chmod(holder, 0o755);
    const { conn, dir } = await guest({ ...busyboxOnly(), ip: bb!, ping, timeout: await preferApplets(holder) }, 65534);
    try {
      // The stand-in does what the guest does: a bare `ping` under it is busybox's applet, refused.
      const bare = await conn.runScript('timeout 3 ping -c 1 -W 1 127.0.0.1', [], { timeoutMs: 20000 });
      expect(bare.stdout + bare.stderr).to.match(/are you root/);
      const ev: CommandEvidence[] = [];
      const r = await linuxProber.reach(conn, ['127.0.0.1'], 1000, ev);
      expect(r).to.deep.equal([{ target: '127.0.0.1', status: 'replied', command: 'ping -c1 -W1 127.0.0.1', evidence: ev[0]!.id }]);
      expect(ev[0]!.stdout).to.include(`@@LG-TOOL ping ${dir}/ping`);
      const { facts } = await survey(conn, ['127.0.0.1']);
      // The same fact; a survey's parts get their evidence ids from the engine.
      expect(facts.reach).to.deep.equal(r.map(({ evidence: _e, ...x }) => x));
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(holder, { recursive: true, force: true });
    }
  });

  // The survey: configuration, lookup and pings in one script, side by side, on the same tools.
  const survey = async (conn: LocalConnection, targets: string[], timeoutMs = 1000) => {
    const req = { name: 'www.labgrade.test', targets, timeoutMs };
    const plan = linuxProber.survey!.plan(req);
    const r = await conn.runScript(plan.script, plan.args, { timeoutMs: plan.timeoutMs });
    return { r, facts: linuxProber.survey!.read(r, req, conn.target) };
  };

  it('survey on busybox: the same facts as the three separate probes, in one script', async () => {
    const { conn, dir } = await guest(busyboxNet());
    try {
      const { facts } = await survey(conn, ['127.0.0.1', '192.0.2.77']);
      // The same facts; the separate probes also name their evidence entry (the engine cites a survey's parts).
      const cited = <T extends { evidence?: string }>(x: T): Omit<T, 'evidence'> => {
        const { evidence: _e, ...rest } = x;
        return rest;
      };
      expect(facts.reach).to.deep.equal((await linuxProber.reach(conn, ['127.0.0.1', '192.0.2.77'], 1000, [])).map(cited));
      expect(facts.resolve).to.deep.equal(cited(await linuxProber.resolve(conn, 'www.labgrade.test', 1000, [])));
      expect(facts.config).to.deep.equal(cited(await linuxProber.config(conn, [])));
      expect(facts.resolve).to.deep.include({ status: 'resolved', addresses: ['198.51.100.10'], tool: 'nslookup' });
      expect(facts.config.errors).to.equal(undefined);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const shell of ['dash', 'bash']) {
    it(`survey under ${shell} as /bin/sh (Debian's dash; bash where sh is bash): the same facts as under busybox`, async function () {
      const sh = which(shell);
      if (!sh) return this.skip();
      const { conn, dir } = await guest({ ...busyboxNet(), sh });
      const ref = await guest(busyboxNet());
      try {
        const { facts } = await survey(conn, ['127.0.0.1', '192.0.2.77']);
        const { facts: want } = await survey(ref.conn, ['127.0.0.1', '192.0.2.77']);
        expect(facts).to.deep.equal(want);
        expect(facts.reach.map((r) => r.status)).to.deep.equal(['replied', 'no-route']);
      } finally {
        await rm(dir, { recursive: true, force: true });
        await rm(ref.dir, { recursive: true, force: true });
      }
    });
  }

  // iproute2's ip, wrapped to log its invocations; `batch: false` makes it refuse -batch (an old ip).
  const countingIp = async (holder: string, batch: boolean): Promise<string> => {
    const real = which('ip')!;
    const f = join(holder, 'ip');
    const refuse = batch ? '' : 'case " $* " in *" -batch "*) echo "Option \\"-batch\\" is unknown" >&2; exit 255 ;; esac\n';
    await writeFile(f, `#!/bin/sh\necho "$*" >> ${holder}/ip.log\n${refuse}exec ${real} "$@"\n`);
    await chmod(f, 0o755);
    return f;
  };

  it('survey with iproute2: addresses and routes from ONE ip process (-batch) when every ping replies; an ip without -batch gives the same facts', async function () {
    const real = which('ip');
    if (!real || !/iproute2/.test(execFileSync(real, ['-V'], { encoding: 'utf8' }))) return this.skip();
    const facts = [];
    const logs = [];
    const outs: string[] = [];
    for (const batch of [true, false]) {
      const holder = await mkdtemp(join(tmpdir(), 'labgrade-ip-'));
      await chmod(holder, 0o755);
      const { conn, dir } = await guest({ ...busyboxNet(), ip: await countingIp(holder, batch) });
      try {
        const { r, facts: f } = await survey(conn, ['127.0.0.1']);
        facts.push(f);
        outs.push(r.stdout);
        logs.push(execFileSync('cat', [join(holder, 'ip.log')], { encoding: 'utf8' }).trim().split('\n'));
      } finally {
        await rm(dir, { recursive: true, force: true });
        await rm(holder, { recursive: true, force: true });
      }
    }
    expect(logs[0]).to.deep.equal(['-j -batch -']);
    expect(logs[1]).to.deep.equal(['-j -batch -', '-j addr show', '-j -4 route show']);
    expect(facts[0]).to.deep.equal(facts[1]);
    expect(facts[0]!.config.errors).to.equal(undefined);
    // The addresses section is ip's JSON in both (loopback, which the facts leave out).
    for (const o of outs) expect(o).to.match(/@@LG-BEGIN addr\n\[\{"ifindex":1,"ifname":"lo"/);
    expect(facts[0]!.reach.map((r) => r.status)).to.deep.equal(['replied']);
  });

  it('survey as an unprivileged user: pings not measured (permission-denied), the configuration and the lookup still read', async () => {
    const { conn, dir } = await guest(busyboxNet(), 65534);
    try {
      const { facts } = await survey(conn, ['127.0.0.1']);
      expect(facts.reach.map((x) => [x.status, x.error?.cause])).to.deep.equal([['error', 'permission-denied']]);
      expect(facts.config.errors).to.equal(undefined);
      expect(facts.resolve.status).to.equal('resolved');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('survey cut off by its deadline: what printed counts, what did not is "could not measure", never a "no"', async () => {
    // A lookup tool that never answers: the script is cut while the lookup (and nothing else) runs.
    const { conn, dir } = await guest({ ...busyboxNet(), timeout: bb!, getent: '/bin/sleep' });
    try {
      const req = { name: 'www.labgrade.test', targets: ['127.0.0.1'], timeoutMs: 1000 };
      const plan = linuxProber.survey!.plan(req);
      // `getent` here is sleep: `sleep ahostsv4 NAME` fails at once, so make the lookup hang instead.
      const script = plan.script.replace('sec getent bounded "$2" $T ahostsv4 "$1"', 'sec getent $T 30');
      const r = await conn.runScript(script, plan.args, { timeoutMs: 4000 });
      expect(r.timedOut).to.equal(true);
      const facts = linuxProber.survey!.read(r, req, conn.target);
      expect(facts.config.errors).to.equal(undefined);
      expect(facts.resolve.status).to.equal('error');
      expect(facts.resolve.error?.cause).to.equal('cut-off');
      expect(facts.reach.map((x) => x.status)).to.not.include('no-reply');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('getent ahostsv4 when present (glibc NSS, IPv4 only)', async function () {
    const getent = which('getent');
    if (!getent) return this.skip();
    const { conn, dir } = await guest({ ...busyboxOnly(), getent });
    try {
      const r = await linuxProber.resolve(conn, 'www.labgrade.test', 3000, []);
      expect(r).to.deep.include({ status: 'resolved', addresses: ['198.51.100.10'], tool: 'getent' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
