// Lab guests as libvirt domains: TCG (`<domain type='qemu'>`), 128 MiB, direct kernel boot of the
// cached image, a virtio NIC with a fixed MAC, the guest-agent channel. The guest's network
// configuration travels on the kernel command line (see image/build-image.sh). Each domain's
// <description> carries a fingerprint of its definition, so unchanged guests are left running.
import { createHash } from 'node:crypto';
import { GUEST_MEMORY_MIB, GUESTS, DOMAIN_MARK, LAB_NETNS, LOG_DIR, paths, type NetworkName } from './constants.js';
import type { GuestImage } from './image.js';
import { agentExec, agentPing } from './agent.js';
import { macFor, type GuestDef, type NetworkOverrides } from './scenarios.js';
import { run, virsh, virshDefine, virshOk, waitFor } from './run.js';
import { nicXml } from './lan.js';
import { uplinkMac } from './router.js';

export function kernelCmdline(name: string, g: GuestDef): string {
  const a = ['console=ttyS0', 'quiet', 'loglevel=3', `labgrade.hostname=${name}`];
  const ip = g.ip;
  if (ip.mode === 'static') {
    a.push(`labgrade.ip=${ip.address}`);
    if (ip.gateway) a.push(`labgrade.gw=${ip.gateway}`);
    if (ip.dns?.length) a.push(`labgrade.dns=${ip.dns.join(',')}`);
    if (ip.search) a.push(`labgrade.search=${ip.search}`);
  } else {
    a.push(`labgrade.ip=${ip.mode}`);
  }
  if (g.firewall) a.push('labgrade.fw=icmp-drop');
  if (g.ssh === false) a.push('labgrade.ssh=0');
  return a.join(' ');
}

function body(name: string, g: GuestDef, image: GuestImage, network: NetworkName): string {
  return `  <name>${name}</name>
  <metadata>
    <libosinfo:libosinfo xmlns:libosinfo="http://libosinfo.org/xmlns/libvirt/domain/1.0">
      <libosinfo:os id="http://debian.org/debian/12"/>
    </libosinfo:libosinfo>
  </metadata>
  <memory unit='MiB'>${GUEST_MEMORY_MIB}</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>${image.kernel}</kernel>
    <initrd>${image.initrd}</initrd>
    <cmdline>${kernelCmdline(name, { ...g, network })}</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
${nicXml(macFor(name), network, g.attach)}${g.router ? nicXml(uplinkMac(name, macFor), g.router.uplink) : ''}    <serial type='file'><source path='${LOG_DIR}/${name}.console.log'/><target port='0'/></serial>
    <channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
    <rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
`;
}

/** The domain XML and its fingerprint (network options and image id included). */
export function domainXml(name: string, g: GuestDef, image: GuestImage, nets: NetworkOverrides, network = g.network): { xml: string; fp: string } {
  const b = body(name, g, image, network);
  const fp = createHash('sha256')
    .update(`${b}\n${image.id}\n${network === 'red-nat' ? JSON.stringify(nets) : ''}`)
    .digest('hex')
    .slice(0, 16);
  return { xml: `<domain type='qemu'>\n  <description>${DOMAIN_MARK} fp=${fp}</description>\n${b}</domain>\n`, fp };
}

export interface LabDomain {
  name: string;
  state: string;
  fp: string | null;
}

/** Domains of the lab (marked in their description), with state and fingerprint. */
export async function labDomains(): Promise<Map<string, LabDomain>> {
  const out = new Map<string, LabDomain>();
  const names = (await virshOk(['list', '--all', '--name'])).split('\n').map((s) => s.trim()).filter(Boolean);
  await Promise.all(
    names.map(async (name) => {
      const d = await virsh(['desc', name]);
      if (d.exitCode !== 0 || !d.stdout.includes(DOMAIN_MARK)) return;
      const st = await virsh(['domstate', name]);
      out.set(name, { name, state: st.stdout.trim().split('\n')[0] ?? 'unknown', fp: /fp=([0-9a-f]+)/.exec(d.stdout)?.[1] ?? null });
    }),
  );
  return out;
}

export async function destroyDomain(name: string): Promise<void> {
  await virsh(['destroy', name], { timeoutMs: 30_000 });
}

export async function removeDomain(name: string): Promise<void> {
  await destroyDomain(name);
  await virsh(['undefine', name, '--nvram'], { timeoutMs: 30_000 }).then((r) =>
    r.exitCode === 0 ? r : virsh(['undefine', name], { timeoutMs: 30_000 }),
  );
}

export async function startDomain(name: string): Promise<void> {
  await virshOk(['start', name], { timeoutMs: 60_000 });
}

export async function defineAndStart(xml: string, name: string): Promise<void> {
  await virshDefine('define', xml);
  await startDomain(name);
}

const IPV4_IN = (addr: string, net: string) => addr.startsWith(net);

/** The IPv4 address the lab expects a guest to have (static, or its NAT reservation), else null. */
export function expectedAddress(name: string, g: GuestDef, nets: NetworkOverrides = {}): string | null {
  if (g.ip.mode === 'static') return g.ip.address.split('/')[0] ?? null;
  if (g.ip.mode === 'dhcp' && g.network === 'red-nat' && nets.natDhcp !== false) return GUESTS[name]?.natReservation ?? null;
  return null;
}

/** The address to SSH to from the lab namespace, when the guest is reachable that way. */
export function sshTarget(name: string, g: GuestDef, nets: NetworkOverrides = {}): string | null {
  if (g.ssh === false || g.network === 'red-muy-aislada' || g.attach) return null;
  const a = expectedAddress(name, g, nets);
  if (!a) return null;
  const prefix = g.network === 'red-nat' ? '192.168.101.' : '192.168.102.';
  return IPV4_IN(a, prefix) ? a : null;
}

/** Current DHCP lease addresses of a MAC on a network (text of LC_ALL=C virsh; may be stale). */
export async function leasesFor(network: string, mac: string): Promise<string[]> {
  const r = await virsh(['net-dhcp-leases', network, '--mac', mac]);
  if (r.exitCode !== 0) return [];
  const out: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /\bipv4\s+(\d+\.\d+\.\d+\.\d+)\/\d+/.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

export function sshArgs(address: string, extra: string[] = []): string[] {
  return [
    'netns', 'exec', LAB_NETNS, 'ssh',
    '-i', paths.sshKey,
    '-o', `UserKnownHostsFile=${paths.knownHosts}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=3',
    '-o', 'LogLevel=ERROR',
    ...extra,
    `root@${address}`,
  ];
}

/** Run a shell command line in the guest over SSH from the lab namespace (lab-internal use). */
export function sshRun(address: string, command: string, timeoutMs = 20_000) {
  return run('ip', [...sshArgs(address), '--', command], { timeoutMs });
}

/** Wait until the guest is usable: agent answers; DHCP bound where a server exists; SSH accepts the lab key where it can. */
export async function waitGuestReady(name: string, g: GuestDef, nets: NetworkOverrides, timeoutMs: number): Promise<void> {
  await waitFor(`the guest agent of ${name}`, timeoutMs, async () => ((await agentPing(name)) ? true : undefined), 200);
  const addr4 = async () => (await agentExec(name, ['ip', '-j', '-4', 'addr', 'show', 'dev', 'eth0'])).stdout;
  if (g.ip.mode === 'dhcp' && (g.attach || (g.network === 'red-nat' && nets.natDhcp !== false))) {
    // leases outlive guests: ask the guest itself whether DHCP has bound an address
    await waitFor(`${name}'s DHCP address`, timeoutMs, async () => (/"dynamic":true/.test(await addr4()) ? true : undefined), 200);
  } else if (g.ip.mode === 'static') {
    const want = `"local":"${g.ip.address.split('/')[0]}"`;
    await waitFor(`${name}'s address`, timeoutMs, async () => ((await addr4()).includes(want) ? true : undefined), 200);
  } else {
    // no IPv4 expected: wait for the IPv6 link-local address to settle (DAD done)
    await waitFor(`${name}'s link-local address`, timeoutMs, async () => {
      const r = await agentExec(name, ['ip', '-j', '-6', 'addr', 'show', 'dev', 'eth0']);
      const ifs = JSON.parse(r.stdout || '[]') as { addr_info?: { local?: string; tentative?: boolean }[] }[];
      return ifs.some((i) => i.addr_info?.some((a) => a.local?.startsWith('fe80:') && !a.tentative)) ? true : undefined;
    }, 200);
  }
  const target = sshTarget(name, g, nets);
  if (target) {
    await waitFor(`SSH on ${name} (${target})`, timeoutMs, async () => ((await sshRun(target, 'true', 8000)).exitCode === 0 ? true : undefined), 200);
  }
}

