// Words and rules for addresses shared by the address kinds (ipv4, ipv4-config): a named address
// as read ("el host"), and the theory's addresses (the host's, a VM's, none, any).
import type { AddressRef, NetworkInfo, TheoryAddress } from '../types.js';
import { data, msg, type Msg } from '../i18n/messages.js';
import type { TheoryContext, VmAddresses } from './kind.js';

const REF_KEY: Record<AddressRef, string> = { host: 'refHost', gateway: 'refGateway' };
const REF_WHY: Record<AddressRef, string> = { host: 'refWhyHost', gateway: 'refWhyGateway' };

export function refName(ref: AddressRef): Msg {
  return msg('grade', REF_KEY[ref]);
}

/** A named address as read: "192.168.101.1 (el host)", or why it has no address. */
export function refText(ref: AddressRef, address: string | null): Msg {
  return address ? msg('grade', 'refResolved', { address, ref: refName(ref) }) : msg('grade', 'refUnresolved', { ref: refName(ref), why: msg('grade', REF_WHY[ref]) });
}

/** An address, or the word for none. */
export function addressOrNone(a: string | null, noneKey: 'none' | 'noneGateway' = 'none'): Msg {
  return a === null ? msg('grade', noneKey) : data(a);
}

export function hostAddress(net: NetworkInfo | null): string | null {
  return net?.ips.find((i) => i.family === 'ipv4')?.address ?? null;
}

function vmRole(a: TheoryAddress): string | null {
  return a.startsWith('vm:') ? a.slice(3) : null;
}

/** A theory address in words. */
export function theoryAddressText(a: TheoryAddress, ctx: TheoryContext, noneKey: 'none' | 'noneGateway' = 'none'): Msg {
  if (a === 'none') return msg('grade', noneKey);
  if (a === 'any') return msg('grade', 'anyValue');
  const role = vmRole(a);
  if (role !== null) {
    const addrs = ctx.vms[role] ?? [];
    const vm = ctx.names[role] ?? role;
    return addrs.length > 0 ? msg('grade', 'theoryVmAddress', { role: vm, address: addrs.join(', ') }) : msg('grade', 'theoryVmAddressNone', { role: vm });
  }
  const h = hostAddress(ctx.net);
  return h ? msg('grade', 'theoryHostAddress', { address: h }) : msg('grade', 'theoryHostAddressNone');
}

/** Does one address agree with a theory address? */
export function addrHolds(a: TheoryAddress, value: string | null, net: NetworkInfo | null, vms: VmAddresses): boolean {
  if (a === 'any') return true;
  if (a === 'none') return value === null;
  const role = vmRole(a);
  if (role !== null) return value !== null && (vms[role] ?? []).includes(value);
  return value !== null && value === hostAddress(net);
}

/** Does a list of DNS servers agree with a theory address? */
export function dnsHolds(a: TheoryAddress, dns: string[], net: NetworkInfo | null, vms: VmAddresses): boolean {
  if (a === 'any') return true;
  if (a === 'none') return dns.length === 0;
  const role = vmRole(a);
  if (role !== null) return dns.some((d) => (vms[role] ?? []).includes(d));
  return dns.includes(hostAddress(net) ?? '\0');
}
