// The task's network is started (an error when not: nothing can be attached to it), and set to
// start with the host (a warning when not: it will be down after the next reboot).
import type { HostCheck } from '../types.js';
import { expectedNetworkName, taskNetwork, tr, verdict } from './common.js';

export const networkActive: HostCheck = {
  name: 'network-active',
  run(ctx) {
    const net = taskNetwork(ctx);
    if (!net) {
      return [verdict(ctx, { check: 'network-active', subject: expectedNetworkName(ctx), outcome: 'skip', message: tr(ctx, 'check.skipNoNetwork', { name: expectedNetworkName(ctx), key: ctx.task.network }) })];
    }
    // A host bridge or device is not a libvirt network: libvirt neither starts nor persists it.
    if (net.external) return [];
    const out = [
      verdict(ctx, {
        check: 'network-active',
        subject: net.name,
        outcome: net.active ? 'pass' : 'fail',
        observed: tr(ctx, net.active ? 'state.active' : 'state.inactive'),
        theory: tr(ctx, 'state.active'),
        message: tr(ctx, net.active ? 'check.networkActive.pass' : 'check.networkActive.fail', { name: net.name }),
        codes: net.active ? [] : ['network-inactive'],
      }),
    ];
    if (net.persistent) {
      out.push(
        verdict(ctx, {
          check: 'network-autostart',
          subject: net.name,
          outcome: net.autostart ? 'pass' : 'fail',
          severity: 'warning',
          observed: tr(ctx, net.autostart ? 'state.autostart' : 'state.noAutostart'),
          theory: tr(ctx, 'state.autostart'),
          message: tr(ctx, net.autostart ? 'check.networkAutostart.pass' : 'check.networkAutostart.fail', { name: net.name }),
          codes: net.autostart ? [] : ['network-no-autostart'],
        }),
      );
    } else {
      out.push(
        verdict(ctx, {
          check: 'network-autostart',
          subject: net.name,
          outcome: 'fail',
          severity: 'warning',
          observed: tr(ctx, 'state.transient'),
          theory: tr(ctx, 'state.autostart'),
          message: tr(ctx, 'check.networkAutostart.transient', { name: net.name }),
          codes: ['network-transient'],
        }),
      );
    }
    return out;
  },
};
