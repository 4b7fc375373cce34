// The one place that says what an IPv4 address and a hostname are, and does subnet arithmetic.
// Every validator (probe targets, answers, lab scenarios, teacher credentials) and every subnet
// test (grading, checks, NAT rules) uses these; nothing else parses a dotted quad.

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_RE = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A dotted-quad IPv4 address, each octet 0-255 without leading zeros (`192.168.1.1`; never `010.0.0.1`). */
export function isIpv4(s: string): boolean {
  return typeof s === 'string' && s.length <= 15 && IPV4_RE.test(s);
}

/**
 * A DNS hostname (RFC 1123 labels: letters, digits, inner hyphens; at most 253 characters, an
 * optional final dot). A name whose last label is all digits is not a hostname (RFC 3696 2), so
 * `999.1.1.1` is neither an address nor a name.
 */
export function isHostname(s: string): boolean {
  return hostnameProblem(s) === null;
}

/** Why `s` is not a hostname: `length`, a `label` that breaks RFC 1123, a `numeric` last label; null = it is one. */
export function hostnameProblem(s: string): 'length' | 'label' | 'numeric' | null {
  if (typeof s !== 'string' || s.length === 0 || s.length > 253) return 'length';
  const labels = (s.endsWith('.') ? s.slice(0, -1) : s).split('.');
  if (labels.some((l) => !LABEL.test(l))) return 'label';
  return /^\d+$/.test(labels[labels.length - 1]!) ? 'numeric' : null;
}

/** `192.168.1.1` -> 3232235777; null when it is not an IPv4 address (surrounding blanks allowed). */
export function ipv4ToInt(ip: string): number | null {
  const s = typeof ip === 'string' ? ip.trim() : '';
  if (!isIpv4(s)) return null;
  return s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** The netmask of a prefix length as an unsigned 32-bit number (`/24` -> 0xffffff00). */
export function prefixMask(prefix: number): number {
  return prefix <= 0 ? 0 : prefix >= 32 ? 0xffffffff : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `ip` lies in `net`/`prefix` (false when either is not an address or the prefix is not 0..32). */
export function inSubnet(ip: string, net: string, prefix: number): boolean {
  const a = ipv4ToInt(ip);
  const b = ipv4ToInt(net);
  if (a === null || b === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const mask = prefixMask(prefix);
  return ((a & mask) >>> 0) === ((b & mask) >>> 0);
}

/** `ip` lies between `start` and `end`, both included (a DHCP range). */
export function inRange(ip: string, start: string, end: string): boolean {
  const a = ipv4ToInt(ip);
  const s = ipv4ToInt(start);
  const e = ipv4ToInt(end);
  return a !== null && s !== null && e !== null && a >= s && a <= e;
}

/** 169.254.0.0/16 (APIPA). */
export function isLinkLocal(address: string): boolean {
  return address.startsWith('169.254.');
}
