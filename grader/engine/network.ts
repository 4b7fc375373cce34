// What is wrong with the task's network compared with what the spec asks of it (from the host
// snapshot): used to explain WHY an observation contradicts the theory (a "NAT" network without
// DHCP, an "isolated" network that forwards...). The host checks grade the network itself.
import type { NetworkInfo, SpecNetwork } from '../types.js';
import { msg, type Msg } from '../i18n/messages.js';
import type es from '../i18n/es/grade.js';

export interface NetworkDiagnosis {
  codes: string[];
  messages: Msg[];
}

export function diagnoseNetwork(want: SpecNetwork | undefined, net: NetworkInfo | null, expectedName: string): NetworkDiagnosis {
  const d: NetworkDiagnosis = { codes: [], messages: [] };
  const add = (code: string, key: keyof typeof es, params: Record<string, string> = {}): void => {
    d.codes.push(code);
    d.messages.push(msg('grade', key, { network: net?.name ?? expectedName, ...params }));
  };
  if (!want) return d;
  if (!net) {
    add('network-missing', 'netMissing');
    return d;
  }
  if (!net.active) add('network-inactive', 'netInactive');
  const v4 = net.ips.find((i) => i.family === 'ipv4');
  const forwards = net.forwardMode !== null && net.forwardMode !== 'none';
  if (want.type === 'nat' && net.type !== 'nat') {
    add(forwards ? 'network-wrong-forward' : 'network-no-forward', forwards ? 'netWrongForward' : 'netNoForward', { mode: net.forwardMode ?? '-' });
  }
  if ((want.type === 'isolated' || want.type === 'very-isolated') && forwards) {
    add('network-forwards', 'netForwards', { mode: net.forwardMode ?? 'nat' });
  }
  const ranges = v4?.dhcpRanges ?? [];
  if (want.dhcp && ranges.length === 0) add('network-no-dhcp', 'netNoDhcp');
  if (!want.dhcp && ranges.length > 0) add('network-has-dhcp', 'netHasDhcp', { range: ranges.map((r) => `${r.start}-${r.end}`).join(', ') });
  if (want.hostAddress && !v4) add('network-no-host-address', 'netNoHostAddress');
  if (!want.hostAddress && v4) add('network-has-host-address', 'netHasHostAddress', { address: `${v4.address}/${v4.prefix}` });
  return d;
}
