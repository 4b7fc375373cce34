// The task's network is of the required kind: its type (NAT, isolated, very isolated...), whether
// libvirt hands out addresses (a DHCP range) and whether the host has an address on the bridge.
import type { HostCheck } from '../types.js';
import { describeNetwork, describeSpecNetwork, expectedNetworkName, hasDhcp, hostAddressOn, specNetwork, taskNetwork, tr, typeLabel, verdict, join, type Msg } from './common.js';

export const networkType: HostCheck = {
  name: 'network-type',
  run(ctx) {
    const net = taskNetwork(ctx);
    const spec = specNetwork(ctx);
    if (!net || !spec) {
      return [
        verdict(ctx, {
          check: 'network-type',
          subject: net?.name ?? expectedNetworkName(ctx),
          outcome: 'skip',
          message: tr(ctx, net ? 'check.noSpecNetwork' : 'check.skipNoNetwork', { name: net?.name ?? expectedNetworkName(ctx), key: ctx.task.network }),
        }),
      ];
    }
    const problems: Msg[] = [];
    const codes: string[] = [];
    if (net.type !== spec.type) {
      codes.push('network-type-mismatch');
      problems.push(
        join([
          tr(ctx, 'check.networkType.type', { observed: typeLabel(ctx, net.type), expected: typeLabel(ctx, spec.type), forward: net.forwardMode ?? tr(ctx, 'desc.noForward') }),
          tr(ctx, `fix.type.${spec.type}`),
        ]),
      );
    }
    const dhcp = hasDhcp(net);
    if (spec.dhcp && !dhcp) {
      codes.push('dhcp-missing');
      problems.push(tr(ctx, 'check.networkType.dhcpMissing'));
    } else if (!spec.dhcp && dhcp) {
      codes.push('dhcp-unexpected');
      const ranges = net.ips.flatMap((i) => i.dhcpRanges.map((r) => `${r.start}-${r.end}`));
      problems.push(tr(ctx, 'check.networkType.dhcpUnexpected', { range: ranges.join(', ') || '-' }));
    }
    const host = hostAddressOn(net);
    if (spec.hostAddress && !host) {
      codes.push('host-address-missing');
      problems.push(tr(ctx, 'check.networkType.hostMissing', { bridge: net.bridge ?? '-' }));
    } else if (!spec.hostAddress && host) {
      codes.push('host-address-unexpected');
      problems.push(tr(ctx, 'check.networkType.hostUnexpected', { address: `${host.address}/${host.prefix}`, bridge: net.bridge ?? '-' }));
    }
    const observed = describeNetwork(ctx, net);
    const theory = describeSpecNetwork(ctx, spec);
    if (problems.length === 0) {
      return [verdict(ctx, { check: 'network-type', subject: net.name, outcome: 'pass', observed, theory, message: tr(ctx, 'check.networkType.pass', { name: net.name, observed }) })];
    }
    return [
      verdict(ctx, {
        check: 'network-type',
        subject: net.name,
        outcome: 'fail',
        observed,
        theory,
        codes,
        message: join([tr(ctx, 'check.networkType.fail', { name: net.name, observed, expected: theory }), ...problems]),
      }),
    ];
  },
};
