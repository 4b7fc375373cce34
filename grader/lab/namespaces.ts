// The lab's two network namespaces and the daemons in them:
//   labgrade     libvirtd, virtlogd, libvirt's bridges, dnsmasq and NAT rules, the guests' taps;
//                203.0.113.2/24 on lg-up0, default route via 203.0.113.1
//   labgrade-up  "the Internet": 203.0.113.1 (router + DNS) on lg-up1, 198.51.100.10 (outside
//                host, a loopback address); a dnsmasq answering www.labgrade.test (and labgrade.test,
//                outside.labgrade.test) with 198.51.100.10 and NXDOMAIN for every other name
// Nothing is ever attached to the root namespace: the veth pair is created inside `labgrade` with
// its peer placed directly in `labgrade-up`.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { LAB_NETNS, UPSTREAM_NETNS, LIBVIRT_URI, paths, upstream, LOG_DIR, RUN_DIR } from './constants.js';
import { LabError } from './errors.js';
import { alive, exeOf, netnsInode, netnsOfPid, pidsByExe, pidsInNetns, readPidFile, rootNetnsInode, stopPids } from './procs.js';
import { run, runOk, sleep, waitFor } from './run.js';

const ipn = (ns: string, args: string[]) => run('ip', ['-n', ns, ...args]);
const ipnOk = (ns: string, args: string[]) => runOk('ip', ['-n', ns, ...args]);

async function ensureNetns(name: string): Promise<void> {
  if ((await netnsInode(name)) === null) await runOk('ip', ['netns', 'add', name]);
  await ipnOk(name, ['link', 'set', 'lo', 'up']);
}

/** Both namespaces, the veth pair, addresses and routes (idempotent: adopts what exists). */
export async function ensureNamespaces(): Promise<void> {
  await ensureNetns(LAB_NETNS);
  await ensureNetns(UPSTREAM_NETNS);
  const hasLink = (await ipn(LAB_NETNS, ['link', 'show', upstream.labLink])).exitCode === 0;
  const hasPeer = (await ipn(UPSTREAM_NETNS, ['link', 'show', upstream.upLink])).exitCode === 0;
  if (hasLink !== hasPeer) {
    if (hasLink) await ipn(LAB_NETNS, ['link', 'del', upstream.labLink]);
    if (hasPeer) await ipn(UPSTREAM_NETNS, ['link', 'del', upstream.upLink]);
  }
  if (!hasLink || !hasPeer) {
    await ipnOk(LAB_NETNS, ['link', 'add', upstream.labLink, 'type', 'veth', 'peer', 'name', upstream.upLink, 'netns', UPSTREAM_NETNS]);
  }
  await ipnOk(LAB_NETNS, ['addr', 'replace', `${upstream.labSide}/${upstream.prefix}`, 'dev', upstream.labLink]);
  await ipnOk(LAB_NETNS, ['link', 'set', upstream.labLink, 'up']);
  await ipnOk(UPSTREAM_NETNS, ['addr', 'replace', `${upstream.router}/${upstream.prefix}`, 'dev', upstream.upLink]);
  await ipnOk(UPSTREAM_NETNS, ['link', 'set', upstream.upLink, 'up']);
  await ipnOk(UPSTREAM_NETNS, ['addr', 'replace', `${upstream.outsideHost}/32`, 'dev', 'lo']);
  await ipnOk(LAB_NETNS, ['route', 'replace', 'default', 'via', upstream.router]);
}

/** Names the upstream DNS answers (A 198.51.100.10; AAAA: no data); every other name: NXDOMAIN. */
export const UPSTREAM_NAMES = [upstream.testName, upstream.testDomain, `outside.${upstream.testDomain}`];

function upstreamDnsArgs(): string[] {
  return [
    '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces',
    `--listen-address=${upstream.router}`, '--except-interface=lo', '--user=root', '--group=root',
    ...UPSTREAM_NAMES.map((n) => `--host-record=${n},${upstream.outsideHost}`),
    // everything else is answered locally, i.e. NXDOMAIN (there is no upstream of the upstream)
    '--local=/#/',
    `--pid-file=${paths.upstreamPid}`, `--log-facility=${paths.upstreamLog}`, '--log-queries',
  ];
}

/** The upstream DNS (dnsmasq in labgrade-up), adopted if already running there with the same options. */
export async function ensureUpstreamDns(): Promise<number> {
  return ensureDnsmasq(UPSTREAM_NETNS, upstreamDnsArgs(), paths.upstreamPid, 'the upstream dnsmasq pid file');
}

/**
 * The one way the lab starts a dnsmasq (the upstream DNS, the LAN's DHCP+DNS): inside `netns`,
 * adopted when one already runs there from `pidFile` with the same options, else (re)started.
 */
export async function ensureDnsmasq(netns: string, args: string[], pidFile: string, what: string): Promise<number> {
  const ino = await netnsInode(netns);
  const argsFile = `${pidFile}.args`;
  const pid = await readPidFile(pidFile);
  if (pid && alive(pid) && (await exeOf(pid))?.endsWith('/dnsmasq') && (await netnsOfPid(pid)) === ino) {
    const had = await readFile(argsFile, 'utf8').catch(() => '');
    if (had === JSON.stringify(args)) return pid;
    await stopPids([pid]);
  }
  await mkdir(RUN_DIR, { recursive: true });
  await mkdir(LOG_DIR, { recursive: true });
  await rm(pidFile, { force: true });
  await runOk('ip', ['netns', 'exec', netns, 'dnsmasq', ...args]);
  await writeFile(argsFile, JSON.stringify(args));
  return waitFor(what, 5000, async () => (await readPidFile(pidFile)) ?? undefined, 50);
}

export interface DaemonInfo {
  libvirtd: number;
  virtlogd: number | null;
}

/** libvirtd's pid when it runs inside the lab namespace, else null. */
export async function labLibvirtd(): Promise<number | null> {
  const ino = await netnsInode(LAB_NETNS);
  const pid = await readPidFile(paths.libvirtdPid);
  if (ino === null || !pid || !alive(pid)) return null;
  if ((await exeOf(pid)) !== '/usr/sbin/libvirtd') return null;
  return (await netnsOfPid(pid)) === ino ? pid : null;
}

/** Refuse a libvirtd outside our namespace (root namespace above all). */
export async function assertNoForeignLibvirtd(): Promise<void> {
  const ino = await netnsInode(LAB_NETNS);
  const rootIno = await rootNetnsInode();
  for (const pid of await pidsByExe('/usr/sbin/libvirtd')) {
    const ns = await netnsOfPid(pid);
    if (ns === ino && ino !== null) continue;
    if (ns === rootIno) throw new LabError('libvirtdInRootNs', { pid });
    throw new LabError('libvirtdElsewhere', { pid, netns: LAB_NETNS });
  }
}

async function libvirtReady(): Promise<boolean> {
  return (await run('virsh', ['-c', LIBVIRT_URI, '-q', 'version'], { timeoutMs: 5000 })).exitCode === 0;
}

/** virtlogd + libvirtd inside the lab namespace (adopted if already there). */
export async function ensureDaemons(): Promise<DaemonInfo> {
  await assertNoForeignLibvirtd();
  const labIno = await netnsInode(LAB_NETNS);
  let vl = await readPidFile(paths.virtlogdPid);
  if (!(vl && alive(vl) && (await exeOf(vl)) === '/usr/sbin/virtlogd' && (await netnsOfPid(vl)) === labIno)) {
    const others = (await pidsByExe('/usr/sbin/virtlogd')).filter(alive);
    if (others.length > 0) {
      // a virtlogd we did not start (or a leftover of a killed session) holds the pid file
      vl = others[0]!;
    } else {
      await rm(paths.virtlogdPid, { force: true });
      await runOk('ip', ['netns', 'exec', LAB_NETNS, 'virtlogd', '-d']);
      vl = await waitFor('virtlogd', 5000, async () => (await readPidFile(paths.virtlogdPid)) ?? undefined, 50);
    }
  }
  let pid = await labLibvirtd();
  if (pid === null) {
    await rm(paths.libvirtdPid, { force: true });
    await runOk('ip', ['netns', 'exec', LAB_NETNS, 'libvirtd', '-d']);
    pid = await waitFor('libvirtd', 15_000, async () => (await readPidFile(paths.libvirtdPid)) ?? undefined, 50);
    if ((await netnsOfPid(pid)) !== labIno) {
      await stopPids([pid]);
      throw new LabError('libvirtdElsewhere', { pid, netns: LAB_NETNS });
    }
  }
  await waitFor('libvirtd to accept connections', 30_000, async () => ((await libvirtReady()) ? true : undefined), 100);
  return { libvirtd: pid, virtlogd: vl };
}

/**
 * Stop everything running in the lab's namespaces (libvirtd, virtlogd, QEMU, dnsmasq), by PID,
 * and delete the namespaces. Safe on a half-dead lab.
 */
export async function teardownNamespaces(): Promise<void> {
  const lv = await labLibvirtd();
  if (lv) await stopPids([lv], 10_000);
  // then everything else in both namespaces at once (upstream dnsmasq, virtlogd, leftovers)
  const names = [LAB_NETNS, UPSTREAM_NETNS];
  const inodes = (await Promise.all(names.map((n) => netnsInode(n)))).filter((i): i is number => i !== null);
  const pids = (await Promise.all(inodes.map((i) => pidsInNetns(i)))).flat();
  if (pids.length) await stopPids(pids);
  await Promise.all(
    names.map(async (ns) => {
      if ((await netnsInode(ns)) === null) return;
      await run('ip', ['netns', 'del', ns]);
      for (let i = 0; i < 20 && (await netnsInode(ns)) !== null; i++) await sleep(50);
    }),
  );
  // virtlogd was started inside the lab namespace, so it was stopped with the rest.
  await rm(paths.upstreamPid, { force: true });
  await rm(`${paths.upstreamPid}.args`, { force: true });
}
