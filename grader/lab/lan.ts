// The lab's "LAN" for bridged ("public") network exercises: a home/classroom
// network with its own router, as a real host's br0 sits on. Everything lives in namespaces the
// lab owns; nothing touches the root namespace, no packet leaves the machine.
//
//   labgrade      br0 (10.20.0.10/24: "the host's address on the LAN") with port lg-lan0, and
//                 lg-mvt0 (lower device for macvtap guests); guests attach with
//                 <interface type='bridge'><source bridge='br0'/> or
//                 <interface type='direct'><source dev='lg-mvt0' mode='bridge'/>
//   labgrade-lan  the LAN router: bridge lanbr (10.20.0.1/24) joining lg-lan1 and lg-mvt1; dnsmasq
//                 (DHCP 10.20.0.50-99, fixed addresses for the lab's bridged guests, router and DNS
//                 = 10.20.0.1, DNS forwarded to the lab's "Internet" 203.0.113.1); forwarding and
//                 MASQUERADE out of lg-wan0 (192.0.2.1/30) towards labgrade-up (lg-wan1, 192.0.2.2/30)
import { rm } from 'node:fs/promises';
import { LAB_NETNS, LOG_DIR, RUN_DIR, UPSTREAM_NETNS, upstream } from './constants.js';
import { netnsInode, pidsInNetns, stopPids } from './procs.js';
import { run, runOk, sleep } from './run.js';
import { ensureDnsmasq } from './namespaces.js';

export const LAN_NETNS = 'labgrade-lan';

export const lan = {
  bridge: 'br0',
  /** The host's own address on its LAN bridge (as on a real host with br0). */
  hostAddress: '10.20.0.10',
  router: '10.20.0.1',
  prefix: 24,
  range: { start: '10.20.0.50', end: '10.20.0.99' },
  macvtapDev: 'lg-mvt0',
  links: { lanHost: 'lg-lan0', lanRouter: 'lg-lan1', mvtHost: 'lg-mvt0', mvtRouter: 'lg-mvt1', wan: 'lg-wan0', wanUp: 'lg-wan1', routerBridge: 'lanbr' },
  wan: { router: '192.0.2.1', up: '192.0.2.2', prefix: 30 },
  pidFile: `${RUN_DIR}/lan-dnsmasq.pid`,
  logFile: `${LOG_DIR}/lan-dnsmasq.log`,
} as const;

/** Where a lab guest's NIC is plugged instead of a libvirt network. */
export interface LanAttach {
  type: 'bridge' | 'direct';
  /** br0, or the macvtap lower device lg-mvt0. */
  source: string;
}

/** The guest's <interface> element: on a libvirt network, on br0, or macvtap on lg-mvt0. */
export function nicXml(mac: string, network: string, attach?: LanAttach): string {
  const src = !attach
    ? `<source network='${network}'/>`
    : attach.type === 'bridge'
      ? `<source bridge='${attach.source}'/>`
      : `<source dev='${attach.source}' mode='bridge'/>`;
  return `    <interface type='${attach ? attach.type : 'network'}'>
      <mac address='${mac}'/>
      ${src}
      <model type='virtio'/>
    </interface>
`;
}

const ipn = (ns: string, args: string[]) => run('ip', ['-n', ns, ...args]);
const ipnOk = (ns: string, args: string[]) => runOk('ip', ['-n', ns, ...args]);
const has = async (ns: string, link: string) => (await ipn(ns, ['link', 'show', link])).exitCode === 0;

/** A veth pair from `nsA` to `nsB`, recreated when half of it is missing. */
async function veth(nsA: string, a: string, nsB: string, b: string): Promise<void> {
  const ha = await has(nsA, a);
  const hb = await has(nsB, b);
  if (ha && hb) return;
  if (ha) await ipn(nsA, ['link', 'del', a]);
  if (hb) await ipn(nsB, ['link', 'del', b]);
  await ipnOk(nsA, ['link', 'add', a, 'type', 'veth', 'peer', 'name', b, 'netns', nsB]);
}

function dnsmasqArgs(reservations: Record<string, string>): string[] {
  const l = lan.links;
  return [
    '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces',
    `--interface=${l.routerBridge}`, '--except-interface=lo', '--user=root', '--group=root',
    `--server=${upstream.router}`,
    `--dhcp-range=${lan.range.start},${lan.range.end},255.255.255.0,1h`,
    `--dhcp-option=option:router,${lan.router}`,
    `--dhcp-option=option:dns-server,${lan.router}`,
    '--dhcp-authoritative', '--no-ping',
    ...Object.entries(reservations).sort().map(([mac, ip]) => `--dhcp-host=${mac},${ip}`),
    `--pid-file=${lan.pidFile}`, `--log-facility=${lan.logFile}`,
  ];
}

/**
 * Bring up the LAN (idempotent; needs the lab's two namespaces). `reservations`: MAC -> fixed
 * address for the lab's bridged guests (still real DHCP).
 */
export async function ensureLan(reservations: Record<string, string> = {}): Promise<void> {
  const l = lan.links;
  if ((await netnsInode(LAN_NETNS)) === null) await runOk('ip', ['netns', 'add', LAN_NETNS]);
  await ipnOk(LAN_NETNS, ['link', 'set', 'lo', 'up']);
  // labgrade side: br0 with the host's address, the two links towards the router
  if (!(await has(LAB_NETNS, lan.bridge))) await ipnOk(LAB_NETNS, ['link', 'add', lan.bridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  await ipnOk(LAB_NETNS, ['addr', 'replace', `${lan.hostAddress}/${lan.prefix}`, 'dev', lan.bridge]);
  await ipnOk(LAB_NETNS, ['link', 'set', lan.bridge, 'up']);
  await veth(LAB_NETNS, l.lanHost, LAN_NETNS, l.lanRouter);
  await ipnOk(LAB_NETNS, ['link', 'set', l.lanHost, 'master', lan.bridge, 'up']);
  await veth(LAB_NETNS, l.mvtHost, LAN_NETNS, l.mvtRouter);
  await ipnOk(LAB_NETNS, ['link', 'set', l.mvtHost, 'up']);
  // the router: one bridge for both LAN segments, uplink to the lab's "Internet"
  if (!(await has(LAN_NETNS, l.routerBridge))) await ipnOk(LAN_NETNS, ['link', 'add', l.routerBridge, 'type', 'bridge', 'stp_state', '0', 'forward_delay', '0']);
  await ipnOk(LAN_NETNS, ['addr', 'replace', `${lan.router}/${lan.prefix}`, 'dev', l.routerBridge]);
  await ipnOk(LAN_NETNS, ['link', 'set', l.routerBridge, 'up']);
  for (const p of [l.lanRouter, l.mvtRouter]) await ipnOk(LAN_NETNS, ['link', 'set', p, 'master', l.routerBridge, 'up']);
  await veth(LAN_NETNS, l.wan, UPSTREAM_NETNS, l.wanUp);
  await ipnOk(LAN_NETNS, ['addr', 'replace', `${lan.wan.router}/${lan.wan.prefix}`, 'dev', l.wan]);
  await ipnOk(LAN_NETNS, ['link', 'set', l.wan, 'up']);
  await ipnOk(UPSTREAM_NETNS, ['addr', 'replace', `${lan.wan.up}/${lan.wan.prefix}`, 'dev', l.wanUp]);
  await ipnOk(UPSTREAM_NETNS, ['link', 'set', l.wanUp, 'up']);
  await ipnOk(LAN_NETNS, ['route', 'replace', 'default', 'via', lan.wan.up]);
  await runOk('ip', ['netns', 'exec', LAN_NETNS, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
  const rule = ['-t', 'nat', '-C', 'POSTROUTING', '-o', l.wan, '-j', 'MASQUERADE'];
  if ((await run('ip', ['netns', 'exec', LAN_NETNS, 'iptables', ...rule])).exitCode !== 0) {
    await runOk('ip', ['netns', 'exec', LAN_NETNS, 'iptables', '-t', 'nat', '-A', 'POSTROUTING', '-o', l.wan, '-j', 'MASQUERADE']);
  }
  await ensureLanDns(reservations);
}

function ensureLanDns(reservations: Record<string, string>): Promise<number> {
  return ensureDnsmasq(LAN_NETNS, dnsmasqArgs(reservations), lan.pidFile, 'the LAN dnsmasq pid file');
}

/** Remove the LAN: its processes (by PID), namespace and the lab-side links. Safe when absent. */
export async function removeLan(): Promise<void> {
  const ino = await netnsInode(LAN_NETNS);
  if (ino !== null) {
    const pids = await pidsInNetns(ino);
    if (pids.length) await stopPids(pids);
    await run('ip', ['netns', 'del', LAN_NETNS]);
    for (let i = 0; i < 20 && (await netnsInode(LAN_NETNS)) !== null; i++) await sleep(50);
  }
  if ((await netnsInode(LAB_NETNS)) !== null) {
    for (const link of [lan.links.lanHost, lan.links.mvtHost, lan.bridge]) if (await has(LAB_NETNS, link)) await ipn(LAB_NETNS, ['link', 'del', link]);
  }
  if ((await netnsInode(UPSTREAM_NETNS)) !== null && (await has(UPSTREAM_NETNS, lan.links.wanUp))) await ipn(UPSTREAM_NETNS, ['link', 'del', lan.links.wanUp]);
  await rm(lan.pidFile, { force: true });
  await rm(`${lan.pidFile}.args`, { force: true });
}

/** Fixed LAN addresses of the lab's bridged guests (by name; real DHCP reservations). */
export const LAN_GUESTS: Record<string, string> = {
  'debian12-br': '10.20.0.50',
  'win10-br': '10.20.0.51',
  'debian12-mvt': '10.20.0.60',
  'win10-mvt': '10.20.0.61',
};

/** MAC -> address for every guest of a scenario plugged into the LAN that has a fixed address. */
export function lanReservations(guests: Record<string, { attach?: LanAttach }>, macFor: (name: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, g] of Object.entries(guests)) if (g.attach && LAN_GUESTS[name]) out[macFor(name)] = LAN_GUESTS[name]!;
  return out;
}
