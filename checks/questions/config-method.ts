// config-method: did the guest need a static or a dynamic (DHCP) configuration on the task's
// network? Read from the origin of the guest's IPv4 address on that network (`dynamic` flag and
// finite lifetime on Linux, PrefixOrigin Dhcp on Windows). A guest left on DHCP where no DHCP
// server answers (APIPA 169.254/16, or IPv6 link-local only) is recognised and explained: what it
// needed there is a static configuration.
import type { QuestionCheck } from '../types.js';
import { addressText, configOnTask, isLinkLocal, mainAddress, tr, onMeasuredGuest, } from './util.js';

export const configMethod: QuestionCheck = onMeasuredGuest({
  name: 'config-method',
  kind: 'config-method',
  needs: () => [{ kind: 'config' }],
  observe(ctx, facts) {
        const onTask = configOnTask(ctx, facts);
    if ('observation' in onTask) return onTask.observation;
    const { iface, evidence, guest } = onTask;
    const addr = mainAddress(iface);
    if (!addr || isLinkLocal(addr.address)) {
      const onDhcp = iface.dhcpEnabled !== false || (addr !== null && addr.origin === 'link-local') || iface.ipv6LinkLocalOnly;
      if (onDhcp) {
        const code = addr ? 'apipa' : 'link-local-only';
        return {
          value: { kind: 'config-method', value: 'static' },
          display: tr(ctx, 'displayDhcpNoServer'),
          codes: [code, 'no-dhcp-server'],
          explanation: tr(ctx, addr ? 'obsApipa' : 'obsLinkLocalOnly', {
            guest,
            iface: iface.name,
            address: addr ? `${addr.address}/${addr.prefix}` : '',
            network: ctx.network?.name ?? '?',
          }),
          evidence,
        };
      }
      return {
        value: null,
        display: tr(ctx, 'displayNoIpv4'),
        codes: ['no-ipv4'],
        explanation: tr(ctx, 'obsNoIpv4', { guest, iface: iface.name }),
        evidence,
      };
    }
    const dynamic = addr.origin === 'dhcp';
    const unknown = addr.origin === 'unknown';
    const value = dynamic || (unknown && iface.dhcpEnabled === true) ? 'dynamic' : 'static';
    return {
      value: { kind: 'config-method', value },
      display: tr(ctx, value === 'dynamic' ? 'dynamic' : 'static'),
      codes: [],
      explanation: tr(ctx, value === 'dynamic' ? 'obsConfigDynamic' : 'obsConfigStatic', {
        guest,
        iface: iface.name,
        address: addressText(ctx, addr),
        lifetime: addr.validLifetimeSec === null ? '∞' : String(addr.validLifetimeSec),
      }),
      evidence,
    };
  },
});
