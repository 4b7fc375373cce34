// The course's three libvirt networks (course-facts.md), defined in the lab's libvirtd. Lab-only
// speed options: stp off / delay 0 (the first DHCPDISCOVER is not lost) and dnsmasq `no-ping`
// (no 3 s probe before an offer). red-nat forwards DNS to the lab's "Internet" (203.0.113.1) and
// reserves fixed addresses for the lab guests' MACs (still real DHCP with a finite lease).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { courseNetworks, GUESTS, NETWORK_NAMES, STATE_DIR, upstream, type NetworkName } from './constants.js';
import type { NetworkOverrides } from './scenarios.js';
import { virsh, virshDefine, virshOk } from './run.js';

const DNSMASQ_NS = 'http://libvirt.org/schemas/network/dnsmasq/1.0';
const speed = `  <dnsmasq:options>\n    <dnsmasq:option value='no-ping'/>\n  </dnsmasq:options>\n`;

export function networkXml(name: NetworkName, o: NetworkOverrides = {}): string {
  if (name === 'red-nat') {
    const n = courseNetworks.nat;
    const hosts = Object.values(GUESTS)
      .filter((g) => g.natReservation)
      .map((g) => `      <host mac='${g.mac}' name='${g.name}' ip='${g.natReservation}'/>\n`)
      .join('');
    const dhcp = o.natDhcp === false ? '' : `    <dhcp>\n      <range start='${n.dhcp.start}' end='${n.dhcp.end}'/>\n${hosts}    </dhcp>\n`;
    return (
      `<network xmlns:dnsmasq='${DNSMASQ_NS}'>\n  <name>${n.name}</name>\n  <forward mode='nat'/>\n` +
      `  <bridge name='${n.bridge}' stp='off' delay='0'/>\n` +
      `  <dns>\n    <forwarder addr='${upstream.router}'/>\n  </dns>\n` +
      `  <ip address='${n.address}' netmask='255.255.255.0'>\n${dhcp}  </ip>\n${speed}</network>\n`
    );
  }
  if (name === 'red-aislada') {
    const n = courseNetworks.isolated;
    return (
      `<network>\n  <name>${n.name}</name>\n  <bridge name='${n.bridge}' stp='off' delay='0'/>\n` +
      `  <ip address='${n.address}' netmask='255.255.255.0'/>\n</network>\n`
    );
  }
  const n = courseNetworks.very_isolated;
  return `<network>\n  <name>${n.name}</name>\n  <bridge name='${n.bridge}' stp='off' delay='0'/>\n</network>\n`;
}

const fpDir = `${STATE_DIR}/networks`;
const fingerprint = (xml: string) => createHash('sha256').update(xml).digest('hex').slice(0, 16);

export interface NetState {
  defined: boolean;
  active: boolean;
}

export async function networkStates(): Promise<Map<string, NetState>> {
  const out = new Map<string, NetState>();
  const all = await virshOk(['net-list', '--all', '--name']);
  const act = await virshOk(['net-list', '--name']);
  const active = new Set(act.split('\n').map((s) => s.trim()).filter(Boolean));
  for (const n of all.split('\n').map((s) => s.trim()).filter(Boolean)) out.set(n, { defined: true, active: active.has(n) });
  return out;
}

/**
 * Make the three networks match `o`. Returns the names of networks that were (re)created, whose
 * guests must be restarted (libvirt does not re-plug running guests into a restarted network).
 */
export async function ensureNetworks(o: NetworkOverrides = {}): Promise<NetworkName[]> {
  await mkdir(fpDir, { recursive: true });
  const states = await networkStates();
  const changed: NetworkName[] = [];
  await Promise.all(
    NETWORK_NAMES.map(async (name) => {
      const xml = networkXml(name, o);
      const fp = fingerprint(xml);
      const fpFile = `${fpDir}/${name}.fp`;
      const have = existsSync(fpFile) ? (await readFile(fpFile, 'utf8')).trim() : null;
      const st = states.get(name);
      if (st?.defined && have === fp) {
        if (!st.active) {
          await virshOk(['net-start', name]);
          changed.push(name);
        }
        return;
      }
      if (st?.active) await virsh(['net-destroy', name]);
      if (st?.defined) await virsh(['net-undefine', name]);
      await virshDefine('net-define', xml);
      await virshOk(['net-start', name]);
      await writeFile(fpFile, `${fp}\n`);
      changed.push(name);
    }),
  );
  return changed;
}

/** Destroy and undefine the lab's networks (nothing else). */
export async function removeNetworks(): Promise<void> {
  const states = await networkStates();
  await Promise.all(
    NETWORK_NAMES.map(async (name) => {
      const st = states.get(name);
      if (st?.active) await virsh(['net-destroy', name]);
      if (st?.defined) await virsh(['net-undefine', name]);
    }),
  );
  await rm(fpDir, { recursive: true, force: true });
}
