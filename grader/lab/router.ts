// A lab guest as a Linux router/NAT for another guest: its first NIC on the scenario's network
// (the inner one), a second NIC on `uplink` configured by DHCP, the kernel's NAT modules (an
// overlay appended to the guest's initrd, built by image/build-router-overlay.sh), and forwarding
// and MASQUERADE set up the way a student does it, with the typical mistakes as knobs:
//   forward  persistent (live + /etc/sysctl.conf) | live (sysctl -w only) | off
//   nat      uplink (-o <uplink NIC>) | inner (-o <inner NIC>: the wrong interface) | none
//   save     the rules saved in /etc/iptables/rules.v4 (iptables-save) or not
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { paths, type NetworkName } from './constants.js';
import { agentExec } from './agent.js';
import { buildScriptPath, type GuestImage } from './image.js';
import { runOk } from './run.js';

export interface RouterDef {
  uplink: NetworkName;
  forward: 'persistent' | 'live' | 'off';
  nat: 'uplink' | 'inner' | 'none';
  save: boolean;
  /** The inner network the NAT rule translates (default 172.22.0.0/16, the very isolated network). */
  source?: string;
}

/** MAC of the router's uplink NIC (derived from the guest's name, like macFor). */
export function uplinkMac(name: string, macFor: (n: string) => string): string {
  return macFor(`${name}-uplink`);
}

const overlayScript = (): string => join(buildScriptPath(), '..', 'build-router-overlay.sh');

/** The guest image with the router overlay appended to its initrd (built once per base image). */
export async function routerImage(image: GuestImage): Promise<GuestImage> {
  const initrd = join(paths.imageDir, 'initrd-router.img');
  const idFile = `${initrd}.id`;
  const id = `${image.id}+router`;
  if (existsSync(initrd) && (await readFile(idFile, 'utf8').catch(() => '')).trim() === id) return { ...image, id, initrd };
  const kernelPkg = image.versions.split('\n').find((l) => l.startsWith('linux-image-'))?.split(' ')[0];
  if (!kernelPkg) throw new Error('the guest image does not name its kernel package (versions.txt)');
  const deb = (await readdir(paths.debDir)).find((f) => f.startsWith(`${kernelPkg}_`) && f.endsWith('.deb'));
  if (!deb) throw new Error(`the kernel package ${kernelPkg} is not in ${paths.debDir}: rebuild the image (labgrade lab up --rebuild-image)`);
  await runOk('bash', [overlayScript(), image.initrd, join(paths.debDir, deb), initrd], { timeoutMs: 120_000 });
  await writeFile(`${idFile}.tmp`, `${id}\n`);
  await rename(`${idFile}.tmp`, idFile);
  return { ...image, id, initrd };
}

/** $1 forward, $2 nat, $3 save (1|0), $4 uplink NIC, $5 inner NIC, $6 source network. */
export const ROUTER_SETUP_SCRIPT = String.raw`set -e
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
fwd=$1 nat=$2 save=$3 up=$4 in=$5 src=$6
for m in $(cat /lib/modules/router/order); do insmod /lib/modules/router/$m.ko 2>/dev/null || true; done
ip link set "$up" up
if ! { [ -s /run/udhcpc-up.pid ] && kill -0 "$(cat /run/udhcpc-up.pid)" 2>/dev/null; }; then
  udhcpc -b -t 15 -T 2 -A 1 -i "$up" -p /run/udhcpc-up.pid -s /etc/udhcpc.script >/dev/null 2>&1
fi
case $fwd in
  persistent) echo 1 > /proc/sys/net/ipv4/ip_forward; printf '# /etc/sysctl.conf\nnet.ipv4.ip_forward=1\n' > /etc/sysctl.conf ;;
  live) echo 1 > /proc/sys/net/ipv4/ip_forward; printf '# /etc/sysctl.conf\n#net.ipv4.ip_forward=1\n' > /etc/sysctl.conf ;;
  *) echo 0 > /proc/sys/net/ipv4/ip_forward; printf '# /etc/sysctl.conf\n#net.ipv4.ip_forward=1\n' > /etc/sysctl.conf ;;
esac
iptables -t nat -F POSTROUTING
case $nat in
  uplink) iptables -t nat -A POSTROUTING -o "$up" -s "$src" -j MASQUERADE ;;
  inner) iptables -t nat -A POSTROUTING -o "$in" -s "$src" -j MASQUERADE ;;
esac
mkdir -p /etc/iptables
if [ "$save" = 1 ]; then iptables-save > /etc/iptables/rules.v4; else rm -f /etc/iptables/rules.v4; fi
for i in $(seq 1 40); do ip -4 -o addr show dev "$up" | grep -q inet && break; sleep 0.5; done
ip -4 -o addr show dev "$up" | grep -q inet || { echo "no DHCP address on $up" >&2; exit 3; }
`;

/** Configure a running router guest (idempotent; applied at every scenario change). */
export async function configureRouter(name: string, r: RouterDef): Promise<void> {
  const args = [r.forward, r.nat, r.save ? '1' : '0', 'eth1', 'eth0', r.source ?? '172.22.0.0/16'];
  const res = await agentExec(name, ['/bin/sh', '-c', ROUTER_SETUP_SCRIPT, 'sh', ...args], 60_000);
  if (res.exitCode !== 0) throw new Error(`router setup of ${name} failed (exit ${res.exitCode}): ${(res.stderr || res.stdout).trim()}`);
}
