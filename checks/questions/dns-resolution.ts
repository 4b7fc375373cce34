// dns-resolution: does the guest resolve an Internet name? The name is the spec's, overridden by
// the lab file. Statuses: resolved -> yes; not-found / server-failure / no-server / timeout -> no;
// error -> could not measure.
import type { QuestionCheck } from '../types.js';
import { commandFor, guestLabel, notMeasured, tr, onMeasuredGuest, yesNo, evidenceOf } from './util.js';

export const dnsResolution: QuestionCheck = onMeasuredGuest({
  name: 'dns-resolution',
  kind: 'yes-no',
  observe(ctx, facts) {
    const name = ctx.lab.probes?.resolveName ?? ctx.spec.probes.resolveName;
    const r = facts.resolve;
    const evidence = evidenceOf(facts, facts.resolve?.evidence);
    const guest = guestLabel(facts);
    if (!r) {
      const error = tr(ctx, 'obsResolveNotProbed', { guest, name });
      return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['not-probed'], explanation: error, evidence, error };
    }
    const params = {
      guest,
      name: r.name,
      // The lookup tool that actually ran (getent, busybox nslookup, host, resolvectl, dig...).
      command: r.command ?? commandFor(facts, r.name, facts.os === 'windows' ? `Resolve-DnsName ${r.name} -Type A` : `getent ahostsv4 ${r.name}`),
      addresses: r.addresses.join(', '),
      server: r.server ?? (facts.config.dnsServers.join(', ') || tr(ctx, 'none')),
    };
    switch (r.status) {
      case 'resolved':
        return { value: { kind: 'yes-no', value: true }, display: yesNo(ctx, true), codes: [], explanation: tr(ctx, 'obsResolved', params), evidence };
      case 'error': {
        if (r.error) return notMeasured(ctx, r.error, tr(ctx, 'what_resolve', { name: r.name }), evidence, guest);
        const error = tr(ctx, 'obsResolveError', params);
        return { value: null, display: tr(ctx, 'displayUnknown'), codes: ['resolve-error'], explanation: error, evidence, error };
      }
      default: {
        const key =
          r.status === 'no-server' || facts.config.dnsServers.length === 0
            ? 'obsResolveNoServer'
            : r.status === 'timeout'
              ? 'obsResolveTimeout'
              : r.status === 'server-failure'
                ? 'obsResolveServerFailure'
                : 'obsResolveNotFound';
        return { value: { kind: 'yes-no', value: false }, display: yesNo(ctx, false), codes: [`resolve-${r.status}`], explanation: tr(ctx, key, params), evidence };
      }
    }
  },
});
