// ipv4-config: the configuration the guest took on the task's network — address/prefix of the
// interface on that network, default gateway, DNS servers — as seen INSIDE the guest. libvirt's
// DHCP leases are only hints: a lease whose address differs from the guest's (a moved VM, an old
// lease virt-manager still shows) is reported as a stale lease.
import type { QuestionCheck } from '../types.js';
import {
  addressText,
  configOnTask,
  isLinkLocal,
  joinList,
  leasesOf,
  mainAddress,
  normMac,
  notMeasured,
  tr,
  data,
  join,
  onMeasuredGuest,
  type Msg,
} from './util.js';
import { configWords } from '../../grader/answers/kinds/ipv4-config.js';

export const ipv4Config: QuestionCheck = onMeasuredGuest({
  name: 'ipv4-config',
  kind: 'ipv4-config',
  observe(ctx, facts) {
        const onTask = configOnTask(ctx, facts);
    if ('observation' in onTask) return onTask.observation;
    const { iface, evidence, guest } = onTask;
    // The gateway and the DNS servers are part of the answer: one that could not be read is not "none".
    const { gateway: gw, dns: dn } = facts.config;
    if (!gw.ok) return notMeasured(ctx, gw.error, tr(ctx, 'what_gateway'), evidence, guest);
    if (!dn.ok) return notMeasured(ctx, dn.error, tr(ctx, 'what_dns'), evidence, guest);
    const addr = mainAddress(iface);
    const gateway = gw.value;
    const dns = dn.value.servers;
    const codes: string[] = [];
    const parts: Msg[] = [];
    parts.push(
      tr(ctx, 'obsIpv4Config', {
        guest,
        iface: iface.name,
        address: addr ? addressText(ctx, addr) : tr(ctx, 'none'),
        gateway: gateway ?? tr(ctx, 'noneGateway'),
        dns: dns.length ? dns.join(', ') : tr(ctx, 'none'),
      }),
    );
    if (addr && isLinkLocal(addr.address)) {
      codes.push('apipa', 'no-dhcp-server');
      parts.push(tr(ctx, 'obsApipaShort', { address: addr.address }));
    } else if (!addr && iface.ipv6LinkLocalOnly) {
      codes.push('link-local-only', 'no-dhcp-server');
      parts.push(tr(ctx, 'obsLinkLocalOnlyShort'));
    }
    // Stale leases: libvirt shows a lease for this NIC whose address the guest does not have.
    const have = new Set(iface.ipv4.map((a) => a.address));
    // (a) a lease for this NIC with an address the guest does not have; (b) a lease on a network
    // the NIC is no longer attached to (the VM moved: virt-manager still shows the old address).
    const dom = ctx.snapshot.domains.find((d) => d.interfaces.some((i) => normMac(i.mac) === normMac(iface.mac)));
    const attachedTo = (mac: string): string | null =>
      dom?.interfaces.find((i) => normMac(i.mac) === normMac(mac))?.network ?? null;
    const staleAny = leasesOf(ctx, ctx.role).filter((l) =>
      normMac(l.mac) === normMac(iface.mac) ? !have.has(l.address) : attachedTo(l.mac) !== l.network,
    );
    if (staleAny.length > 0) {
      codes.push('stale-lease');
      for (const l of staleAny) {
        parts.push(tr(ctx, 'obsStaleLease', { lease: `${l.address}/${l.prefix}`, network: l.network, mac: l.mac, actual: addr ? addr.address : tr(ctx, 'none') }));
      }
    }
    return {
      value: addr
        ? { kind: 'ipv4-config', address: addr.address, prefix: addr.prefix, gateway, dns: [...dns] }
        : { kind: 'ipv4-config', address: null, prefix: null, gateway, dns: [...dns] },
      display: configWords(
        addr ? data(`${addr.address}/${addr.prefix}`) : tr(ctx, 'none'),
        gateway !== null ? data(gateway) : tr(ctx, 'noneGateway'),
        dns.length ? data(joinList(dns)) : tr(ctx, 'none'),
      ),
      codes,
      explanation: join(parts),
      evidence,
    };
  },
});
