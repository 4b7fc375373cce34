// `virsh net-dhcp-leases NET` is the one virsh view we must read as a table: it has no --xml form,
// and the alternative (dnsmasq's lease/status files under /var/lib/libvirt/dnsmasq) is local-only,
// root-only and an internal detail of libvirt. The table is safe to read by column position because
//  - virsh runs with LC_ALL=C (header words and number formats are not localized),
//  - with TZ=UTC the expiry is printed as `YYYY-MM-DD HH:MM:SS` in UTC (two tokens),
//  - the other columns never contain spaces: MAC, protocol (ipv4|ipv6), address/prefix,
//    hostname ('-' when none: DHCP host names are single labels), client id or DUID ('-' when none).
// Rows that do not match this shape are reported back, never guessed at.
import { normalizeMac } from './mac.js';
import type { LeaseInfo } from '../types.js';

export interface LeaseParse {
  leases: LeaseInfo[];
  /** Lines that looked like data but did not parse. */
  rejected: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^\d{2}:\d{2}:\d{2}$/;

export function parseLeaseTable(network: string, stdout: string): LeaseParse {
  const leases: LeaseInfo[] = [];
  const rejected: string[] = [];
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || /^-+$/.test(line) || /^Expiry Time\b/.test(line)) continue;
    const tok = line.split(/\s+/);
    const [date, time, macRaw, proto, addr, host] = tok;
    const mac = normalizeMac(macRaw);
    const m = /^([0-9a-fA-F.:]+)\/(\d{1,3})$/.exec(addr ?? '');
    if (tok.length < 6 || !DATE.test(date ?? '') || !TIME.test(time ?? '') || !mac || !m || (proto !== 'ipv4' && proto !== 'ipv6')) {
      rejected.push(line);
      continue;
    }
    const lease: LeaseInfo = { network, mac, address: m[1]!, prefix: Number(m[2]) };
    if (host && host !== '-') lease.hostname = host;
    const t = Date.parse(`${date}T${time}Z`);
    if (Number.isFinite(t)) lease.expiryTime = Math.floor(t / 1000);
    leases.push(lease);
  }
  return { leases, rejected };
}
