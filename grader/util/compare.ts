// Sort orders for names and addresses, without String.prototype.localeCompare: its first use loads
// ICU's collation data (~10 ms of every run's CPU) to order a handful of libvirt names.
import { ipv4ToInt } from '../net/ipv4.js';

/** Case-insensitive, then exact (so the order is total and stable across machines and locales). */
export function byText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** IPv4 addresses by value (192.168.1.9 before 192.168.1.10); anything else by text, after them. */
export function byAddress(a: string, b: string): number {
  const x = ipv4ToInt(a);
  const y = ipv4ToInt(b);
  if (x !== null && y !== null) return x - y;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return byText(a, b);
}
